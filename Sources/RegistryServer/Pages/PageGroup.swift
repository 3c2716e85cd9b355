import Foundation
import HTTPTypes
import Hummingbird
import LoanRegistry
import Logging

/// The staff pages' router: every page is added with the access it needs, like ``APIGroup``.
///
/// Before a handler runs:
/// - the session cookie is checked with the registry (the same sign-in as the API's cookie);
///   a page that needs a sign-in sends a visitor without one to `/signin`;
/// - a posted form must carry the session's CSRF token in `_csrf`, else 403 (and nothing is done);
/// - the account's role must be allowed the page's operation by ``AccessPolicy``, else 403.
///
/// A registry error a handler does not handle itself becomes an error page with the message in
/// the page language (``UIText/message(for:_:)``) and the status the API would give.
struct PageGroup {
    /// What a page needs before its handler runs.
    enum Access: Sendable {
        /// Anyone: sign-in, password change, the style sheet.
        case open
        /// A signed-in account whose role may perform the operation.
        case operation(RegistryOperation)
        /// Any signed-in account.
        case signedIn
    }

    let router: Router<RegistryRequestContext>
    let registry: Registry
    /// Where each page is recorded, so the authorisation middleware lets exactly these through.
    let catalogue: RouteCatalogue
    let logger = Logger(label: "loan-registry.pages")

    typealias Handler = @Sendable (PageVisit) async throws -> Response

    @discardableResult
    func get(_ path: String, _ access: Access, _ handler: @escaping Handler) -> Self {
        on(.get, path, access, handler)
    }

    @discardableResult
    func post(_ path: String, _ access: Access, _ handler: @escaping Handler) -> Self {
        on(.post, path, access, handler)
    }

    private func on(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: @escaping Handler) -> Self {
        let registry = registry
        let logger = logger
        catalogue.addPage(method, RouterPath(path).description)
        router.on(RouterPath(path), method: method) { request, context in
            let language = UILanguage.of(request)
            var actor: AuditActor?
            var token: String?
            if let cookie = SessionCookie.value(in: request), AuthorizationMiddleware.isTokenShaped(Substring(cookie)) {
                actor = try? await registry.staff.authenticate(token: cookie, kind: .cookie)
                token = actor == nil ? nil : cookie
            }
            var page = PageVisit(request: request, context: context, language: language, actor: actor,
                                 sessionToken: token, form: FormFields())
            if actor != nil { page.idleMinutes = await Self.idleMinutes(registry) }
            do {
                let form = method == .post ? try await FormFields.read(request, context: context) : FormFields()
                page = PageVisit(request: request, context: context, language: language, actor: actor, sessionToken: token,
                                 form: form, idleMinutes: page.idleMinutes)
                switch access {
                case .open:
                    break
                case .signedIn, .operation:
                    guard let actor, let token else {
                        // Ids only in the path, so `next` carries no patient data.
                        let next = method == .get ? request.uri.path : "/"
                        return PageRenderer.redirect("/signin?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
                    }
                    if method == .post {
                        let sent = form["_csrf"] ?? request.headers[AuthorizationMiddleware.csrfHeader!] ?? ""
                        guard ContentHash.constantTimeEquals(sent, AuthorizationMiddleware.csrfToken(for: token)) else {
                            return Self.errorPage(page, status: .forbidden, message: UIText.text("csrf", language))
                        }
                    }
                    if case .operation(let operation) = access {
                        try actor.authorize(operation)
                    }
                }
                return try await handler(page)
            } catch {
                let problem = ProblemDetails(error)
                if problem.status == .internalServerError {
                    logger.error("page failed", metadata: ["path": "\(context.endpointPath ?? "")", "error": "\(type(of: error))"])
                }
                if problem.status == .unauthorized {
                    return PageRenderer.redirect("/signin?ended=1")
                }
                return Self.errorPage(page, status: problem.status, message: UIText.message(for: error, language))
            }
        }
        return self
    }

    /// The error page: what went wrong in the page language and a way back.
    static func errorPage(_ page: PageVisit, status: HTTPResponse.Status, message: String) -> Response {
        struct Content { let message: String }
        return page.render("error", title: page.t("errorTitle"), content: Content(message: message), status: status)
    }

    /// The configured idle time, for the page's own lock.
    static func idleMinutes(_ registry: Registry) async -> Int {
        (try? await registry.staff.idleTimeoutMinutes()) ?? 30
    }
}
