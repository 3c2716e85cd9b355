import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A JSON response with the registry's encoding: camelCase keys, ISO-8601 dates, sorted keys.
struct JSONBody<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let value: Value

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(try Self.encoder.encode(value), status: status)
    }

    /// The answer carrying `json`, already encoded with ``encoder``.
    static func response(_ json: Data, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
