import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LoanRegistry

/// Authenticates every request and checks its route's access in ``RouteCatalogue``.
///
/// Added to the router itself, so it runs for every route however the route was added:
/// - A route not in the catalogue is refused with 403 (closed by default).
/// - Anonymous routes pass; every other route needs `Authorization: Bearer <token>` or the
///   session cookie, else 401.
/// - A cookie-authenticated request that changes something (not GET/HEAD) must carry the
///   session's CSRF token in `X-CSRF-Token`, else 403 `csrf_token_invalid`.
/// - The account's role must be allowed by ``AccessPolicy``, else 403 `forbidden`.
struct AuthorizationMiddleware: RouterMiddleware {
    let registry: Registry
    let catalogue: RouteCatalogue

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")

    func handle(
        _ request: Request, context: RegistryRequestContext,
        next: (Request, RegistryRequestContext) async throws -> Response
    ) async throws -> Response {
        // No matched route: the router answers 404 after this (405 was given by the browser guard).
        guard let path = context.endpointPath else { return try await next(request, context) }
        // The staff pages check the same sign-in and roles themselves (``PageGroup``); any other
        // route outside `/api/` is closed like an unlisted API route.
        guard path.hasPrefix("/api/") else {
            guard catalogue.isPage(request.method, path) else {
                throw ProblemDetails(status: .forbidden, code: "forbidden", title: "Forbidden",
                                     detail: "This route has no access rule, so it is closed.")
            }
            return try await next(request, context)
        }
        guard let entry = catalogue.entry(request.method, path) else {
            throw ProblemDetails(status: .forbidden, code: "forbidden", title: "Forbidden",
                                 detail: "This route has no access rule, so it is closed.")
        }
        let access = entry.access
        var context = context
        let credential = try Self.credential(in: request)
        if case .anonymous = access {
            // Open to anyone; a valid sign-in still names the actor (e.g. changing one's own
            // password) — for a cookie that changes something, only with its CSRF token.
            if let credential, credential.kind == .bearer || Self.hasValidCSRFToken(request, credential),
               let actor = try? await registry.staff.authenticate(token: credential.token, kind: credential.kind) {
                context.actor = actor
                context.credential = credential
            }
            try Self.checkQuery(of: request, against: entry)
            return try await next(request, context)
        }
        guard let credential else { throw RegistryError.authenticationFailed(.authenticationRequired) }
        let actor = try await registry.staff.authenticate(token: credential.token, kind: credential.kind)
        if credential.kind == .cookie {
            guard Self.hasValidCSRFToken(request, credential) else {
                throw ProblemDetails(status: .forbidden, code: "csrf_token_invalid", title: "CSRF token missing or wrong",
                                     detail: "A change made with the session cookie needs the X-CSRF-Token header from sign-in.")
            }
        }
        if case .operation(let operation) = access {
            try actor.authorize(operation)
        }
        context.actor = actor
        context.credential = credential
        // The query is checked once the caller is known: an anonymous probe learns nothing.
        try Self.checkQuery(of: request, against: entry)
        return try await next(request, context)
    }

    /// Whether a cookie request may act: reads (GET, HEAD) always; changes only with the
    /// session's CSRF token in `X-CSRF-Token`.
    static func hasValidCSRFToken(_ request: Request, _ credential: Credential) -> Bool {
        if [.get, .head].contains(request.method) { return true }
        guard let sent = csrfHeader.flatMap({ request.headers[$0] }) else { return false }
        return ContentHash.constantTimeEquals(sent, csrfToken(for: credential.token))
    }

    /// The bearer token or session cookie of `request`, if any; a malformed `Authorization` header is refused.
    static func credential(in request: Request) throws -> Credential? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer", isTokenShaped(parts[1]) else {
                throw RegistryError.authenticationFailed(.malformedCredentials)
            }
            return Credential(token: String(parts[1]), kind: .bearer)
        }
        if let token = SessionCookie.value(in: request), isTokenShaped(Substring(token)) {
            return Credential(token: token, kind: .cookie)
        }
        return nil
    }

    /// 43 base64url characters: the form of every token the registry issues.
    static func isTokenShaped(_ token: Substring) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { byte in
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || byte == 95
        }
    }

    /// The CSRF token of a cookie session: derived from the (secret, HttpOnly) session token, so
    /// a page on another site can neither read nor guess it, and nothing more is stored.
    static func csrfToken(for sessionToken: String) -> String {
        Data(SHA256.hash(data: Data("loan-registry csrf\n\(sessionToken)".utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The staff pages' session cookie: `HttpOnly`, `SameSite=Strict`, `Secure` behind TLS.
enum SessionCookie {
    static let name = "lr_session"

    /// The cookie's value in `request`, if present.
    static func value(in request: Request) -> String? {
        guard let header = request.headers[.cookie] else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == name { return pair[1] }
        }
        return nil
    }

    /// `Set-Cookie` for a new session lasting `maxAge` seconds.
    static func set(_ token: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the cookie.
    static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}

extension AuthorizationMiddleware {
    /// Refuses a query that names a parameter twice (400) or gives one a value its documented
    /// schema does not allow (422, every parameter at once); unknown names are refused after this.
    static func checkQuery(of request: Request, against entry: RouteCatalogue.Entry) throws {
        let unknown = Set(request.formQuery.map(\.name)).subtracting(entry.query).sorted()
        guard unknown.isEmpty else {
            throw ProblemDetails(status: .badRequest, code: "unknown_query_parameter", title: "Unknown query parameter",
                                 detail: "This route takes " + (entry.query.isEmpty ? "no query parameters"
                                     : "only " + entry.query.sorted().joined(separator: ", ")) + ".",
                                 errors: unknown.map { ProblemDetails.FieldProblem(field: $0, message: "is not a query parameter of this route") })
        }
        var counts: [String: Int] = [:]
        for pair in request.formQuery { counts[pair.name, default: 0] += 1 }
        let repeated = counts.filter { $0.value > 1 }.keys.sorted()
        guard repeated.isEmpty else {
            throw ProblemDetails(status: .badRequest, code: "repeated_query_parameter", title: "Query parameter given twice",
                                 detail: "Give each query parameter once.",
                                 errors: repeated.map { ProblemDetails.FieldProblem(field: $0, message: "is given more than once") })
        }
        var problems: [FieldError] = []
        for parameter in entry.doc.query {
            guard let value = request.queryValue(parameter.name) else { continue }
            problems += parameter.schema.problems(inQueryValue: value, named: parameter.name)
        }
        guard problems.isEmpty else { throw ProblemDetails.validation(problems) }
    }
}
