import Foundation
import HTTPTypes
import Hummingbird
import LoanRegistry

/// What a staff page handler receives: the request, the signed-in account (if any), the posted
/// form and the page language.
struct PageVisit: Sendable {
    let request: Request
    let context: RegistryRequestContext
    let language: UILanguage
    /// The signed-in account; `nil` only on open pages.
    let actor: AuditActor?
    /// The session token of the cookie (for sign-out and the CSRF token).
    let sessionToken: String?
    /// The posted form (empty for GET).
    let form: FormFields
    /// Minutes without activity before the page locks itself (the sign-in ends then too).
    var idleMinutes: Int = 30

    /// The signed-in account, for pages that need one (the page group made sure there is).
    func requireActor() throws -> AuditActor {
        guard let actor else { throw RegistryError.authenticationFailed(.authenticationRequired) }
        return actor
    }

    /// The CSRF token every form of this session carries in `_csrf`.
    var csrfToken: String {
        sessionToken.map(AuthorizationMiddleware.csrfToken(for:)) ?? ""
    }

    /// The path parameter `name`.
    func parameter(_ name: String) throws -> String {
        try context.parameters.require(name)
    }

    /// The query value `name`, trimmed; `nil` when missing or blank.
    func query(_ name: String) -> String? {
        guard let value = request.queryValue(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// Whether the account's role may do `operation` (to show or hide a menu or a button).
    func may(_ operation: RegistryOperation) -> Bool {
        guard let actor else { return false }
        return AccessPolicy.allows(actor, operation)
    }
}

extension PageVisit {
    /// The page `template` with `content`, in the frame of the staff pages.
    func render(_ template: String, title: String, content: Any, status: HTTPResponse.Status = .ok,
                error: String? = nil, notice: String? = nil, chrome: Bool = true) -> Response {
        PageRenderer.shared.page(template, title: title, content: content, for: self, status: status, error: error,
                                 notice: notice, chrome: chrome)
    }

    /// The notice for `?done=…` after a form was handled (`done.registered` …); nothing for a
    /// word the table does not know.
    func doneNotice() -> String? {
        guard let done = query("done"), UIText.entries["done." + done] != nil else { return nil }
        return t("done." + done)
    }

    /// The text `key` in the page language.
    func t(_ key: String) -> String {
        UIText.text(key, language)
    }
}
