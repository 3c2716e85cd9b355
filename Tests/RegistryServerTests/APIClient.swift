import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A parsed response from the test client.
struct APIResponse {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `code` of a problem+json body.
    var code: String? { json["code"] as? String }

    /// Field paths of a validation problem.
    var fields: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

extension TestClientProtocol {
    /// Sends `body` (JSON text or raw bytes) and returns the whole response.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil,
        contentType: String = "application/json", staff: String = "tester"
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let name = HTTPField.Name("X-Staff-Login") { headers[name] = staff }
        var buffer: ByteBuffer?
        if let json { buffer = ByteBuffer(string: json) }
        if let bytes { buffer = ByteBuffer(bytes: bytes) }
        if buffer != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            APIResponse(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }
}
