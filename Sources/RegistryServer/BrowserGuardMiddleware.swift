import Foundation
import HTTPTypes
import Hummingbird

/// Keeps a hostile web page out, before any route runs, and sets the security headers on every
/// answer, problems included (it sits outside ``ProblemMiddleware``).
///
/// - `Host` must be one of the configured names (DNS rebinding): else 421 `misdirected_host`.
/// - A request that changes something and carries an `Origin` must come from an allowed host:
///   else 403 `cross_origin`.
/// - A method the path does not take gets 405 `method_not_allowed` with `Allow` (before the
///   content-type check, so `PUT /api/v1/health` says the method is wrong, not the body).
/// - `POST`, `PUT` and `PATCH` under `/api/` need `Content-Type: application/json`, with or without
///   a body: a form or plain-text post, which any web site can send without a preflight, gets 415.
/// - Every answer gets `X-Content-Type-Options: nosniff`; API answers `Cache-Control: no-store`
///   unless they set their own; HTML a restrictive `Content-Security-Policy`.
struct BrowserGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Host names (without port) the service answers to.
    let allowedHosts: Set<String>
    /// The routes, for a 405's `Allow`.
    let catalogue: RouteCatalogue

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let api = request.uri.path.hasPrefix("/api/")
        do {
            try check(request, matched: context.endpointPath != nil)
        } catch let problem as ProblemDetails {
            var response = try problem.response(from: request, context: context)
            Self.secure(&response, api: api)
            return response
        }
        var response = try await next(request, context)
        Self.secure(&response, api: api)
        return response
    }

    /// Throws the problem for a request that must not reach any route.
    private func check(_ request: Request, matched: Bool) throws {
        if let authority = request.head.authority, !allowedHosts.contains(Self.hostName(authority)) {
            throw ProblemDetails(status: .misdirectedRequest, code: "misdirected_host", title: "Unknown host",
                                 detail: "This service does not answer to that host name (see serve --allowed-host).")
        }
        let changes = ![.get, .head, .options].contains(request.method)
        if changes, let origin = request.headers[.origin], !allowedHosts.contains(Self.hostName(Self.authority(ofOrigin: origin))) {
            throw ProblemDetails(status: .forbidden, code: "cross_origin", title: "Cross-origin request",
                                 detail: "Changes are accepted only from this service's own pages.")
        }
        if !matched {
            let allowed = catalogue.methods(matching: request.uri.path)
            guard allowed.isEmpty else {
                throw ProblemDetails(status: .methodNotAllowed, code: "method_not_allowed", title: "Method not allowed",
                                     detail: "This path takes " + allowed.map(\.rawValue).joined(separator: ", ") + ".",
                                     allow: allowed.map(\.rawValue).joined(separator: ", "))
            }
        }
        if [.post, .put, .patch].contains(request.method), request.uri.path.hasPrefix("/api/") {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type == "application/json" || type.hasPrefix("application/json;") else {
                throw ProblemDetails(status: .unsupportedMediaType, code: "unsupported_media_type",
                                     title: "Unsupported media type",
                                     detail: "Send Content-Type: application/json (also for actions without a body).")
            }
        }
    }

    static func secure(_ response: inout Response, api: Bool) {
        response.headers[.xContentTypeOptions] = "nosniff"
        if api, response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        if response.headers[.contentType]?.hasPrefix("text/html") == true, response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] =
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'self'"
        }
    }

    /// `example.org` from `example.org:8080` or `[::1]:8080`, lower-cased.
    static func hostName(_ authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") {
            return String(lowered[lowered.index(after: lowered.startIndex)..<end])
        }
        return String(lowered.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// `example.org:8080` from `https://example.org:8080`; an opaque origin (`null`) is none.
    static func authority(ofOrigin origin: String) -> String {
        guard let range = origin.range(of: "://") else { return "" }
        return String(origin[range.upperBound...].prefix { $0 != "/" })
    }
}
