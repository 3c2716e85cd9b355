import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import NIOCore
import RegistryTestSupport
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
    /// Sends `body` (JSON text or raw bytes), with a bearer `token` if given, and returns the whole response.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil,
        contentType: String = "application/json", token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json { buffer = ByteBuffer(string: json) }
        if let bytes { buffer = ByteBuffer(bytes: bytes) }
        // Changes always say they are JSON, body or not (the server refuses them otherwise).
        if buffer != nil || [.post, .put, .patch].contains(method), headers[.contentType] == nil {
            headers[.contentType] = contentType
        }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            APIResponse(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// Signs in over HTTP as `login` (with ``TestRegistry/password``) and returns the bearer token.
    func token(_ login: String, password: String = TestRegistry.password) async throws -> String {
        let response = try await send(.post, "/api/v1/auth/token",
                                      json: #"{"login":"\#(login)","password":"\#(password)"}"#)
        try #require(response.status == .ok, "sign-in as \(login) failed: \(response.text)")
        return try #require(response.json["token"] as? String)
    }

    /// Adds the account `login` with `role` to `test`'s registry and signs in as it over HTTP.
    func signedIn(as login: String, role: StaffRole = .manager, in test: TestRegistry) async throws -> SignedInClient {
        try await test.account(login, role: role)
        return SignedInClient(client: self, token: try await token(login))
    }
}

/// A test client that sends every request with one account's bearer token.
struct SignedInClient {
    let client: any TestClientProtocol
    let token: String

    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil,
        contentType: String = "application/json", headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        try await client.send(method, uri, json: json, bytes: bytes, contentType: contentType, token: token, headers: headers)
    }
}
