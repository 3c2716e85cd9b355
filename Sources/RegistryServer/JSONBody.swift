import Foundation
import HTTPTypes
import Hummingbird
import LoanRegistry
import NIOCore

/// A JSON response with the registry's encoding: camelCase keys, ISO-8601 dates, sorted keys.
struct JSONBody<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let value: Value

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    /// `value` as the API's JSON: sorted keys, unescaped slashes, ISO-8601 dates (``RecordJSONEncoder``).
    static func encode(_ value: Value) throws -> Data {
        try RecordJSONEncoder.encode(value)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(try Self.encode(value), status: status)
    }

    /// The answer carrying `json`, already encoded with ``encode(_:)``.
    static func response(_ json: Data, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
