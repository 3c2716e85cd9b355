public import Foundation

/// What a person gives to sign in.
public struct SignInRequest: Sendable {
    /// Which client the sign-in is for: a bearer token (API) or a session cookie (staff pages).
    public enum Kind: String, Sendable, Codable {
        case bearer, cookie
    }

    public var login: String
    public var password: String
    /// The current TOTP code, for an account with a second factor.
    public var totp: String?
    /// One of the account's recovery codes, in place of ``totp``.
    public var recoveryCode: String?
    public var kind: Kind
    /// The client's network address, recorded in the audit event (never patient data).
    public var address: String?

    public init(login: String, password: String, totp: String? = nil, recoveryCode: String? = nil,
                kind: Kind = .bearer, address: String? = nil) {
        self.login = login
        self.password = password
        self.totp = totp
        self.recoveryCode = recoveryCode
        self.kind = kind
        self.address = address
    }
}

/// A successful sign-in: the secret token (shown once; only its SHA-256 is stored) and when it ends.
public struct StaffSession: Sendable {
    /// 256 random bits, base64url. The bearer token or the cookie's value.
    public let token: String
    /// The absolute end; an idle sign-in ends earlier (``SecuritySettings/idleTimeoutMinutes``).
    public let expiresAt: Date
    public let kind: SignInRequest.Kind
    public let account: StaffAccount
}

/// Why a sign-in or a token was refused. Each has its own stable code.
public enum AuthenticationFailure: String, Sendable, Equatable, CaseIterable {
    /// Wrong login, wrong password or wrong code: the same answer for all three.
    case invalidCredentials = "invalid_credentials"
    /// Too many failed sign-ins; wait or ask an administrator to unlock.
    case accountLocked = "account_locked"
    case accountDisabled = "account_disabled"
    /// An initial or expired password: change it first (`POST /auth/password`, `user password`).
    case passwordChangeRequired = "password_change_required"
    /// The account has a second factor: send the TOTP code (or a recovery code).
    case secondFactorRequired = "second_factor_required"
    /// The account's role must use a second factor and it has none yet: an administrator enrols it.
    case secondFactorEnrolmentRequired = "second_factor_enrolment_required"
    /// No credentials were sent.
    case authenticationRequired = "authentication_required"
    /// The `Authorization` header or cookie is not of the expected form.
    case malformedCredentials = "malformed_credentials"
    /// No such token.
    case tokenInvalid = "token_invalid"
    /// The token ran out (absolute lifetime or idle timeout).
    case tokenExpired = "token_expired"
    /// The token was signed out, or ended by a password change or a disabled account.
    case tokenRevoked = "token_revoked"

    /// What the person should do, in words staff can act on.
    public var message: String {
        switch self {
        case .invalidCredentials: "The login, password or code is not correct (each authenticator code works once: wait for the next one)."
        case .accountLocked: "This account is locked after too many failed sign-ins; wait, or ask an administrator to unlock it."
        case .accountDisabled: "This account is disabled; ask an administrator."
        case .passwordChangeRequired: "The password is initial or expired and must be changed first (POST /api/v1/auth/password with login, currentPassword and newPassword — no sign-in needed — or loan-registry user password)."
        case .secondFactorRequired: "Enter the 6-digit code from the authenticator app (or a recovery code)."
        case .secondFactorEnrolmentRequired: "This role must use a second factor; ask an administrator to enrol one (loan-registry user totp enroll)."
        case .authenticationRequired: "Sign in first as the account concerned: send Authorization: Bearer <token> (POST /api/v1/auth/token)."
        case .malformedCredentials: "The Authorization header must be 'Bearer <token>'."
        case .tokenInvalid: "The token is not valid; sign in again."
        case .tokenExpired: "The sign-in has expired; sign in again."
        case .tokenRevoked: "The sign-in has ended; sign in again."
        }
    }
}
