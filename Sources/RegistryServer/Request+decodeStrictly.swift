import Foundation
import Hummingbird
import LoanRegistry
import NIOCore

extension Request {
    /// Decodes a JSON object body into `T` (``BrowserGuardMiddleware`` has already required
    /// `Content-Type: application/json`), refusing with a problem (never a 500) when the body
    /// is too large, not UTF-8, not JSON, has a key twice, has unknown fields, or has missing or
    /// mistyped ones.
    func decodeStrictly<T: Decodable>(_ type: T.Type, schema: FieldSchema, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw ProblemDetails(status: .contentTooLarge, code: "payload_too_large", title: "Body too large",
                                 detail: "The request body is larger than \(context.maxUploadSize) bytes.")
        }
        let bytes = Array(buffer.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ProblemDetails(status: .badRequest, code: "invalid_encoding", title: "Body is not UTF-8",
                                 detail: "The request body must be UTF-8 encoded JSON.")
        }
        let data = Data(bytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ProblemDetails(status: .badRequest, code: "malformed_json", title: "Malformed JSON",
                                 detail: "The request body is not valid JSON.")
        }
        guard let dictionary = object as? [String: Any] else {
            throw ProblemDetails.validation([FieldError("", "the body must be a JSON object")])
        }
        let duplicates = DuplicateKeyScanner.duplicateKeys(in: bytes)
        guard duplicates.isEmpty else {
            throw ProblemDetails.validation(duplicates.map { FieldError($0, "is given more than once") })
        }
        let unknown = schema.unknownFields(in: dictionary)
        guard unknown.isEmpty else {
            throw ProblemDetails.validation(unknown.map { FieldError($0, "is not a known field") })
        }
        let nonIntegers = schema.nonIntegers(in: dictionary)
        guard nonIntegers.isEmpty else {
            throw ProblemDetails.validation(nonIntegers.map { FieldError($0, "must be a whole number") })
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom(Self.decodeTimestamp)
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ProblemDetails.validation([FieldError(decoding: error)])
        }
    }
}

extension Request {
    /// An ISO-8601 date-time with a zone (`2026-11-21T10:30:00+09:00`, `…Z`), with or without fractional seconds.
    @Sendable static func decodeTimestamp(_ decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(text) { return date }
        }
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "expected an ISO-8601 date and time with a zone, e.g. 2026-11-21T10:30:00+09:00")
    }
}

extension FieldError {
    /// The field a decoding error names, in words staff can act on (the value is never echoed).
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context):
            self.init(path(context.codingPath + [key]), "is required")
        case let .valueNotFound(_, context):
            self.init(path(context.codingPath), "must not be null")
        case let .typeMismatch(type, context):
            let expected = switch type {
            case is Bool.Type: "true or false"
            case is Int.Type: "a whole number"
            case is String.Type: "text"
            default: "a value of another type"
            }
            self.init(path(context.codingPath), "must be \(expected)")
        case let .dataCorrupted(context):
            let message = context.debugDescription.hasPrefix("expected") ? "must be " + context.debugDescription.dropFirst(9)
                : "has an invalid value"
            self.init(path(context.codingPath), message)
        @unknown default:
            self.init("", "could not be read")
        }
    }
}
