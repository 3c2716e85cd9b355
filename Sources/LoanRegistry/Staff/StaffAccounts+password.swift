import Foundation
import GRDB

extension StaffAccounts {
    /// The owner changes their password, proving it with the current one. Works without a
    /// sign-in, exactly so that an initial or expired password can be replaced.
    ///
    /// A wrong current password counts as a failed sign-in. The new one must meet
    /// ``PasswordPolicy`` (8 characters suffice with a second factor) and differ from the last 5.
    /// The account's other sign-ins end.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)``,
    ///   ``RegistryError/passwordRejected(_:)`` listing every rule broken.
    @discardableResult
    public func changePassword(login: String, currentPassword: String, newPassword: String,
                               address: String? = nil) async throws -> StaffAccount {
        let (found, settings, clinicName) = try await registry.read { db in
            (try StoredAccount.fetch(db, login: login), try SecuritySettings.fetch(db),
             try String.fetchOne(db, sql: "SELECT name FROM clinic_profile"))
        }
        let request = SignInRequest(login: login, password: currentPassword, address: address)
        let now = registry.clock.now()
        guard let stored = found else {
            _ = try await hasher.verifyDecoy(currentPassword)
            try await recordFailure(nil, login: login, reason: "unknown_login", request, settings)
            throw RegistryError.authenticationFailed(.invalidCredentials)
        }
        let account = stored.account
        if let until = account.lockedUntil, until > now {
            throw RegistryError.authenticationFailed(.accountLocked, retryAfterSeconds: Int(until.timeIntervalSince(now).rounded(.up)))
        }
        guard try await hasher.verify(currentPassword, against: stored.passwordHash) else {
            let locked = try await recordFailure(stored, login: login, reason: "password_change", request, settings)
            throw RegistryError.authenticationFailed(locked ? .accountLocked : .invalidCredentials)
        }
        guard account.active else { throw RegistryError.authenticationFailed(.accountDisabled) }
        let policy = PasswordPolicy(login: login, displayName: account.displayName, clinicName: clinicName,
                                    withSecondFactor: account.secondFactorEnrolled)
        var violations = policy.violations(of: newPassword)
        let history = try await registry.read { db in
            try String.fetchAll(db, sql: """
                SELECT password_hash FROM staff_password_history WHERE account_id = ? ORDER BY set_at DESC, rowid DESC LIMIT 5
                """, arguments: [account.id])
        }
        if violations.isEmpty, try await hasher.matchesAny(newPassword, of: history) {
            violations.append(.reused)
        }
        guard violations.isEmpty else { throw RegistryError.passwordRejected(violations) }
        let hash = try await hasher.hash(newPassword)
        return try await writer.write { db in
            try Self.storePassword(hash, initial: false, accountID: account.id, at: now, by: account.actor, in: db)
            try AuditLog.append(.staffPasswordChanged, entityType: "staff_account", entityId: login,
                                details: ["wasInitial": account.passwordIsInitial ? "yes" : "no"],
                                by: account.actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
    }
}
