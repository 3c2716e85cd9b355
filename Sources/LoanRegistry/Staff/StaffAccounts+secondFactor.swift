import Foundation
import GRDB

/// A TOTP enrolment in progress: the secret to put into an authenticator app.
public struct SecondFactorEnrolment: Sendable, Codable, Equatable {
    /// Base32, for typing into the app.
    public let secret: String
    /// `otpauth://totp/…`, for a QR code.
    public let provisioningURI: String
}

extension StaffAccounts {
    /// The issuer name authenticator apps show.
    public static let totpIssuer = "loan-registry"

    /// Starts TOTP enrolment for `login` (the account itself, or an administrator with the
    /// person present): a new secret, not in force until ``confirmSecondFactor(login:code:by:)``.
    ///
    /// The account itself must give its current password, so a stolen token cannot tie the
    /// account to someone else's authenticator.
    ///
    /// - Throws: ``RegistryError/secondFactorAlreadyEnrolled(login:)`` — reset it first;
    ///   ``RegistryError/authenticationFailed(_:retryAfterSeconds:)`` for a wrong password.
    public func beginSecondFactorEnrolment(login: String, currentPassword: String? = nil,
                                           by actor: AuditActor) async throws -> SecondFactorEnrolment {
        try authorizeOwnOrAdministration(login, actor)
        if actor.login == login {
            try Self.checkShape(login: login, passwords: ["currentPassword": currentPassword ?? ""])
            let (stored, settings) = try await registry.read { db in
                (try StoredAccount.require(db, login: login), try SecuritySettings.fetch(db))
            }
            let request = SignInRequest(login: login, password: currentPassword ?? "")
            try await withAttempt(stored.account, request, settings) {
                guard try await hasher.verify(currentPassword ?? "", against: stored.passwordHash) else {
                    try await recordFailure(stored, login: login, reason: "second_factor_enrolment", request, settings)
                }
            }
        }
        let secret = SecureRandom.bytes(20)
        let now = registry.clock.now()
        let ownPasswordChecked = actor.login == login
        try await writer.write { db in
            let stored = try StoredAccount.require(db, login: login)
            guard !stored.account.secondFactorEnrolled else { throw RegistryError.secondFactorAlreadyEnrolled(login: login) }
            // The right current password clears the failure count, in the same audited write
            // (so the event covers the account row as it now stands).
            if ownPasswordChecked {
                try db.execute(sql: "UPDATE staff_accounts SET failed_attempts = 0, first_failed_at = NULL WHERE id = ?",
                               arguments: [stored.account.id])
            }
            try db.execute(sql: "UPDATE staff_accounts SET totp_secret = ?, totp_last_step = NULL, updated_at = ?, updated_by = ? WHERE id = ?",
                           arguments: [Base32.encode(secret), Timestamp.string(now), actor.id, stored.account.id])
            try AuditLog.append(.secondFactorEnrolmentStarted, entityType: "staff_account", entityId: login,
                                by: actor, at: now, in: db)
        }
        return SecondFactorEnrolment(secret: Base32.encode(secret),
                                     provisioningURI: TOTP(secret: secret).provisioningURI(account: login, issuer: Self.totpIssuer))
    }

    /// Confirms enrolment with one valid code and returns 10 one-time recovery codes (shown once;
    /// stored as SHA-256 only).
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` for a wrong code,
    ///   ``RegistryError/secondFactorNotStarted(login:)``.
    public func confirmSecondFactor(login: String, code: String, by actor: AuditActor) async throws -> [String] {
        try authorizeOwnOrAdministration(login, actor)
        let now = registry.clock.now()
        let codes = (0..<10).map { _ in Self.recoveryCode() }
        try await writer.write { db in
            let stored = try StoredAccount.require(db, login: login)
            guard !stored.account.secondFactorEnrolled else { throw RegistryError.secondFactorAlreadyEnrolled(login: login) }
            guard let secret = stored.totpSecret.flatMap(Base32.decode) else {
                throw RegistryError.secondFactorNotStarted(login: login)
            }
            guard let step = TOTP(secret: secret).matchingStep(code, at: now) else {
                throw RegistryError.validationFailed([FieldError("code", "is not the authenticator app's current 6-digit code")])
            }
            let stamp = Timestamp.string(now)
            try db.execute(sql: "UPDATE staff_accounts SET totp_confirmed_at = ?, totp_last_step = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                           arguments: [stamp, step, stamp, actor.id, stored.account.id])
            try db.execute(sql: "DELETE FROM staff_recovery_codes WHERE account_id = ?", arguments: [stored.account.id])
            for code in codes {
                try db.execute(sql: "INSERT INTO staff_recovery_codes (account_id, code_sha256, created_at) VALUES (?, ?, ?)",
                               arguments: [stored.account.id, ContentHash.sha256(Self.normalisedRecoveryCode(code)), stamp])
            }
            try AuditLog.append(.secondFactorEnrolled, entityType: "staff_account", entityId: login,
                                details: ["recoveryCodes": String(codes.count)], by: actor, at: now, in: db)
        }
        return codes
    }

    /// Removes an account's second factor (a lost phone and no recovery code left), so it can be
    /// enrolled anew. Administrators only.
    ///
    /// The password may be one of only 8 characters, allowed with the second factor alone, so it
    /// must be changed before the account acts again (as an initial password), and its sign-ins end.
    public func resetSecondFactor(login: String, by actor: AuditActor) async throws -> StaffAccount {
        try actor.authorize(.manageAccounts)
        let now = registry.clock.now()
        return try await writer.write { db in
            let stored = try StoredAccount.require(db, login: login)
            try db.execute(sql: """
                UPDATE staff_accounts SET totp_secret = NULL, totp_confirmed_at = NULL, totp_last_step = NULL,
                    password_is_initial = 1, updated_at = ?, updated_by = ? WHERE id = ?
                """, arguments: [Timestamp.string(now), actor.id, stored.account.id])
            try Self.endSessions(of: stored.account.id, reason: "password_changed", at: now, in: db)
            try db.execute(sql: "UPDATE staff_recovery_codes SET used_at = ? WHERE account_id = ? AND used_at IS NULL",
                           arguments: [Timestamp.string(now), stored.account.id])
            try AuditLog.append(.secondFactorReset, entityType: "staff_account", entityId: login, by: actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
    }

    /// The account itself may manage its own second factor; otherwise account administration is needed.
    private func authorizeOwnOrAdministration(_ login: String, _ actor: AuditActor) throws {
        if actor.login == login {
            try actor.authorize(.manageOwnSignIn)
        } else {
            try actor.authorize(.manageAccounts)
        }
    }

    /// `XXXXX-XXXXX`: 50 random bits in an alphabet without look-alikes.
    static func recoveryCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).compactMap { _ in alphabet.randomElement(using: &generator) }
        return String(characters.prefix(5)) + "-" + String(characters.suffix(5))
    }
}
