import Foundation
import Handouts
import HTTPTypes
import Hummingbird
import LoanRegistry

/// `/api/v1/auth`: sign in for a bearer token or a session cookie, sign out, who am I, change
/// one's password (also without a sign-in, for an initial password), enrol a second factor.
struct AuthRoutes {
    let registry: Registry
    let throttle: SignInThrottle
    let secureCookies: Bool

    func add(to api: APIGroup) {
        api.post("auth/token", .anonymous,
                 .init("Sign in for a bearer token", body: .signIn, answer: .json(.token)), use: signInForToken)
            .delete("auth/token", .operation(.manageOwnSignIn), .init("Sign out: end this token", status: .noContent,
                                                                      answer: .empty), use: signOut)
            .post("auth/session", .anonymous,
                  .init("Sign in for a session cookie (the web UI)", body: .signIn, answer: .json(.cookieSession)),
                  use: signInForCookie)
            .delete("auth/session", .operation(.manageOwnSignIn), .init("Sign out: end this session", status: .noContent,
                                                                        answer: .empty), use: signOut)
            .get("auth/me", .operation(.manageOwnSignIn), .init("The signed-in account", answer: .json(.staffAccount)), use: me)
            .post("auth/password", .anonymous,
                  .init("Change one's own password (also an initial one)", body: .passwordChange, answer: .json(.staffAccount)),
                  use: changePassword)
            .post("auth/totp", .operation(.manageOwnSignIn),
                  .init("Start TOTP enrolment", body: .secondFactorStart, answer: .json(.secondFactorEnrolment)),
                  use: beginSecondFactor)
            .post("auth/totp/confirm", .operation(.manageOwnSignIn),
                  .init("Confirm TOTP enrolment with a first code; answers the recovery codes once", body: .secondFactorConfirm,
                        answer: .json(.recoveryCodes)), use: confirmSecondFactor)
    }

    struct SignInBody: Decodable {
        let login: String
        let password: String
        let totp: String?
        let recoveryCode: String?

    }

    struct TokenBody: Encodable, Sendable {
        let token: String
        let expiresAt: Date
        let staff: StaffAccount
    }

    struct CookieSessionBody: Encodable, Sendable {
        /// Send this in `X-CSRF-Token` with every change made with the cookie.
        let csrfToken: String
        let expiresAt: Date
        let staff: StaffAccount
    }

    @Sendable func signInForToken(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let session = try await signIn(request, context: context, kind: .bearer)
        var response = try JSONBody(TokenBody(token: session.token, expiresAt: session.expiresAt, staff: session.account))
            .response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func signInForCookie(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let session = try await signIn(request, context: context, kind: .cookie)
        let body = CookieSessionBody(csrfToken: AuthorizationMiddleware.csrfToken(for: session.token),
                                     expiresAt: session.expiresAt, staff: session.account)
        var response = try JSONBody(body).response(from: request, context: context)
        let maxAge = max(0, Int(session.expiresAt.timeIntervalSince(registry.clock.now())))
        response.headers[.setCookie] = SessionCookie.set(session.token, maxAge: maxAge, secure: secureCookies)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func signIn(_ request: Request, context: RegistryRequestContext, kind: SignInRequest.Kind) async throws -> StaffSession {
        let body = try await request.decodeStrictly(SignInBody.self, context: context)
        return try await throttle.guarding(context.remoteAddress) {
            try await registry.staff.signIn(
                SignInRequest(login: body.login, password: body.password, totp: body.totp, recoveryCode: body.recoveryCode,
                              kind: kind, address: context.remoteAddress))
        }
    }

    @Sendable func signOut(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        if let credential = context.credential {
            try await registry.staff.signOut(token: credential.token)
        }
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if context.credential?.kind == .cookie {
            headers[.setCookie] = SessionCookie.clear(secure: secureCookies)
        }
        return Response(status: .noContent, headers: headers)
    }

    @Sendable func me(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let actor = try context.requireActor()
        return JSONBody(try await registry.staff.account(actor.login ?? "", by: actor))
    }

    struct PasswordChangeBody: Decodable {
        let login: String
        let currentPassword: String
        let newPassword: String

    }

    @Sendable func changePassword(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let body = try await request.decodeStrictly(PasswordChangeBody.self, context: context)
        let account = try await throttle.guarding(context.remoteAddress) {
            try await registry.staff.changePassword(
                login: body.login, currentPassword: body.currentPassword, newPassword: body.newPassword,
                address: context.remoteAddress, by: context.actor)
        }
        return JSONBody(account)
    }

    struct EnrolmentBody: Encodable, Sendable {
        let secret: String
        let provisioningUri: String
        /// The provisioning URI as an SVG QR code, for an authenticator app's camera.
        let qrSvg: String
    }

    struct EnrolmentRequestBody: Decodable {
        /// The account's password again: a stolen token alone cannot enrol an authenticator.
        let currentPassword: String
    }

    @Sendable func beginSecondFactor(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeStrictly(EnrolmentRequestBody.self, context: context)
        let enrolment = try await registry.staff.beginSecondFactorEnrolment(
            login: actor.login ?? "", currentPassword: body.currentPassword, by: actor)
        let svg = try QRCode(enrolment.provisioningURI).svg(moduleSize: 4)
        var response = try JSONBody(EnrolmentBody(secret: enrolment.secret, provisioningUri: enrolment.provisioningURI, qrSvg: svg),
                                    status: .created).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct ConfirmBody: Decodable {
        let code: String
    }

    struct RecoveryCodesBody: Encodable, Sendable {
        /// Shown once: each works once in place of a TOTP code.
        let recoveryCodes: [String]
    }

    @Sendable func confirmSecondFactor(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeStrictly(ConfirmBody.self, context: context)
        let codes = try await registry.staff.confirmSecondFactor(login: actor.login ?? "", code: body.code, by: actor)
        var response = try JSONBody(RecoveryCodesBody(recoveryCodes: codes)).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
