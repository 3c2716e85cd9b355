import Foundation
import Hummingbird
import LoanRegistry
import NIOCore

/// Sign-in (with the second factor when the account has one), sign-out, the idle lock, the
/// change of an initial password, the language switch and the static files.
struct AuthPages: Sendable {
    let registry: Registry
    let throttle: SignInThrottle
    let secureCookies: Bool

    func add(to pages: PageGroup) {
        pages.get("signin", .open, signInForm)
            .post("signin", .open, signIn)
            .post("signout", .signedIn, signOut)
            .get("password", .open, passwordForm)
            .post("password", .open, changePassword)
            .get("language", .open, switchLanguage)
            .get("static/:file", .open, staticFile)
    }

    struct SignInContent {
        var login = ""
        var next = "/"
        var askCode = false
        var locked = false
        var signed = false
        var refused = false
        var ended = false
    }

    @Sendable func signInForm(_ page: PageVisit) async throws -> Response {
        if page.actor != nil { return PageRenderer.redirect("/") }
        let content = SignInContent(next: Self.safeNext(page.query("next")), locked: page.query("locked") != nil,
                                    signed: page.query("signed") != nil, refused: page.query("refused") != nil,
                                    ended: page.query("ended") != nil)
        return page.render("signin", title: page.t("signInTitle"), content: content)
    }

    @Sendable func signIn(_ page: PageVisit) async throws -> Response {
        let login = page.form.text("login") ?? ""
        var content = SignInContent(login: login, next: Self.safeNext(page.form["next"]))
        let code = page.form.text("totp")
        do {
            let session = try await throttle.guarding(page.context.remoteAddress) {
                try await registry.staff.signIn(SignInRequest(
                    login: login, password: page.form["password"] ?? "",
                    totp: code.flatMap { $0.count <= 8 ? $0 : nil }, recoveryCode: code.flatMap { $0.count > 8 ? $0 : nil },
                    kind: .cookie, address: page.context.remoteAddress))
            }
            var response = PageRenderer.redirect(content.next)
            let maxAge = max(0, Int(session.expiresAt.timeIntervalSince(registry.clock.now())))
            response.headers[.setCookie] = SessionCookie.set(session.token, maxAge: maxAge, secure: secureCookies)
            return response
        } catch RegistryError.authenticationFailed(.passwordChangeRequired, _) {
            struct Content { let login: String }
            return page.render("password", title: page.t("passwordTitle"), content: Content(login: login),
                               status: .forbidden, error: page.t("passwordChangeRequired"))
        } catch RegistryError.authenticationFailed(.secondFactorRequired, _) {
            content.askCode = true
            return page.render("signin", title: page.t("signInTitle"), content: content, status: .unauthorized,
                               notice: page.t("secondFactorRequired"))
        } catch let error as RegistryError {
            content.askCode = code != nil
            let status = ProblemDetails(error).status
            return page.render("signin", title: page.t("signInTitle"), content: content, status: status,
                               error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func signOut(_ page: PageVisit) async throws -> Response {
        if let token = page.sessionToken { try await registry.staff.signOut(token: token) }
        var response = PageRenderer.redirect(page.form["reason"] == "idle" ? "/signin?locked=1" : "/signin")
        response.headers[.setCookie] = SessionCookie.clear(secure: secureCookies)
        return response
    }

    @Sendable func passwordForm(_ page: PageVisit) async throws -> Response {
        struct Content { let login: String }
        return page.render("password", title: page.t("passwordTitle"), content: Content(login: page.actor?.login ?? ""))
    }

    @Sendable func changePassword(_ page: PageVisit) async throws -> Response {
        struct Content { let login: String }
        let login = page.form.text("login") ?? ""
        do {
            _ = try await throttle.guarding(page.context.remoteAddress) {
                try await registry.staff.changePassword(
                    login: login, currentPassword: page.form["currentPassword"] ?? "",
                    newPassword: page.form["newPassword"] ?? "", address: page.context.remoteAddress, by: page.actor)
            }
        } catch let error as RegistryError {
            return page.render("password", title: page.t("passwordTitle"), content: Content(login: login),
                               status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
        var response = PageRenderer.redirect("/signin")
        // A password change ends every sign-in of the account: the cookie is gone too.
        response.headers[.setCookie] = SessionCookie.clear(secure: secureCookies)
        return response
    }

    @Sendable func switchLanguage(_ page: PageVisit) async throws -> Response {
        let language = page.query("to").flatMap(UILanguage.init(rawValue:)) ?? .ja
        var response = PageRenderer.redirect(Self.safeNext(page.query("back")))
        response.headers[.setCookie] = "\(UILanguage.cookieName)=\(language.rawValue); Path=/; Max-Age=31536000; SameSite=Strict"
            + (secureCookies ? "; Secure" : "")
        return response
    }

    @Sendable func staticFile(_ page: PageVisit) async throws -> Response {
        guard let file = PageAssets.files[try page.parameter("file")] else {
            throw RegistryError.notFound(entity: "file", id: "")
        }
        var headers = PageRenderer.headers(contentType: file.type)
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// A path of this site to go to after sign-in (never another site: `//host` and `http:` are refused).
    ///
    /// Only the characters of this site's own paths are taken (letters, digits, `/ - _ . ~ % ? = &`):
    /// a tab, a space or a backslash, which browsers drop or turn into `/`, could otherwise make
    /// `/\t/evil.example` into `//evil.example`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.utf8.count < 200,
              next.utf8.allSatisfy({ byte in
                  (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                      || Array("/-_.~%?=&".utf8).contains(byte)
              }),
              !next.hasPrefix("/signin"), !next.hasPrefix("/signout") else { return "/" }
        return next
    }
}
