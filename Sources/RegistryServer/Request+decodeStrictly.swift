import Foundation
import Hummingbird
import LoanRegistry
import NIOCore

extension Request {
    /// Decodes the JSON object body into `T` after checking it against the route's documented
    /// schema (``OperationDoc/body``); ``BrowserGuardMiddleware`` has already required
    /// `Content-Type: application/json`.
    ///
    /// Refuses with a problem, never a 500: too large (413), not UTF-8 or not JSON (400), and in
    /// one 422 every key given twice, unknown field, missing field, mistyped value and `null`
    /// where none is allowed.
    func decodeStrictly<T: Decodable>(_ type: T.Type, context: RegistryRequestContext) async throws -> T {
        guard let schema = context.bodySchema else {
            preconditionFailure("route reads a body but its OperationDoc gives no body schema")
        }
        let buffer = try await collectedBody(context: context)
        var bytes = Array(buffer.readableBytesView)
        // A byte order mark (tools on Windows save "UTF-8 with BOM") is ignored, as RFC 8259 allows.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ProblemDetails(status: .badRequest, code: "invalid_encoding", title: "Body is not UTF-8",
                                 detail: "The request body must be UTF-8 encoded JSON.")
        }
        let parsed: (value: RequestJSON, duplicateKeys: [String])
        do {
            parsed = try RequestJSON.parse(bytes)
        } catch {
            throw ProblemDetails(status: .badRequest, code: "malformed_json", title: "Malformed JSON",
                                 detail: error.tooDeep ? "The request body nests more than \(RequestJSON.maximumDepth) levels."
                                     : "The request body is not valid JSON.")
        }
        let problems = parsed.duplicateKeys.map { FieldError($0, "is given more than once") }
            + schema.problems(in: parsed.value)
        guard problems.isEmpty else {
            throw ProblemDetails.validation(problems)
        }
        let data = Data(bytes)
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
    /// The whole body, or 413 `payload_too_large` past the context's upload limit.
    func collectedBody(context: RegistryRequestContext) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw ProblemDetails(status: .contentTooLarge, code: "payload_too_large", title: "Body too large",
                                 detail: "The request body is larger than \(context.maxUploadSize) bytes.")
        }
    }

    /// Checks the body of an action that takes no fields: empty, or `{}`.
    func requireNoFields(context: RegistryRequestContext) async throws {
        let buffer = try await collectedBody(context: context)
        guard buffer.readableBytesView.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return }
        var request = self
        request.body = .init(buffer: buffer)
        _ = try await request.decodeStrictly(NoFields.self, context: context)
    }

    /// An action's empty body.
    struct NoFields: Decodable {}
}

extension Request {
    /// An ISO-8601 date-time with a zone (`2026-11-21T10:30:00+09:00`, `…Z`), with or without fractional seconds.
    @Sendable static func decodeTimestamp(_ decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        guard let date = parseTimestamp(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO-8601 date and time with a zone, e.g. 2026-11-21T10:30:00+09:00")
        }
        return date
    }

    /// `text` as an ISO-8601 date-time with a zone, or `nil`.
    static func parseTimestamp(_ text: String) -> Date? {
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(text) { return date }
        }
        return nil
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
