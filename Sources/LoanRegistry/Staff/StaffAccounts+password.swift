import Foundation
import GRDB

extension StaffAccounts {
    /// The owner changes their password, proving it with the current one.
    ///
    /// Without a sign-in (`actor` nil) this works only for an initial or expired password —
    /// exactly so that such an account can get going; any other change needs the account's own
    /// sign-in (which passed its second factor) or the operator at the machine. A wrong current
    /// password counts as a failed sign-in. The new one must meet ``PasswordPolicy`` (8
    /// characters suffice with a second factor) and differ from the last 5; every broken rule is
    /// listed. The account's sign-ins end.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)``,
    ///   ``RegistryError/passwordRejected(_:)``, ``RegistryError/validationFailed(_:)``.
    @discardableResult
    public func changePassword(login: String, currentPassword: String, newPassword: String,
                               address: String? = nil, by actor: AuditActor? = nil) async throws -> StaffAccount {
        try Self.checkShape(login: login, passwords: ["currentPassword": currentPassword, "newPassword": newPassword])
        let (found, settings, clinicName) = try await registry.read { db in
            (try StoredAccount.fetch(db, login: login), try SecuritySettings.fetch(db),
             try String.fetchOne(db, sql: "SELECT name FROM clinic_profile"))
        }
        let request = SignInRequest(login: login, password: currentPassword, address: address)
        let now = registry.clock.now()
        guard let stored = found else {
            try await failUnknownLogin(request, settings)
        }
        let account = stored.account
        try await withAttempt(account, request, settings) {
            guard try await hasher.verify(currentPassword, against: stored.passwordHash) else {
                try await recordFailure(stored, login: login, reason: "password_change", request, settings)
            }
        }
        guard account.active else {
            try await auditRefusal(account, reason: "disabled", request, action: .passwordChangeRefused)
            throw RegistryError.authenticationFailed(.accountDisabled)
        }
        let mustChange = account.passwordIsInitial || Self.passwordExpired(account, settings, at: now)
        let ownSignIn = actor?.login == login || actor.map { if case .commandLineOperator = $0.kind { true } else { false } } == true
        guard mustChange || ownSignIn else {
            try await auditRefusal(account, reason: "needs_sign_in", request, action: .passwordChangeRefused)
            throw RegistryError.authenticationFailed(.authenticationRequired)
        }
        let policy = PasswordPolicy(login: login, displayName: account.displayName, clinicName: clinicName,
                                    withSecondFactor: account.secondFactorEnrolled)
        var violations = policy.violations(of: newPassword)
        let history = try await registry.read { db in
            try String.fetchAll(db, sql: """
                SELECT password_hash FROM staff_password_history WHERE account_id = ? ORDER BY set_at DESC, rowid DESC LIMIT 5
                """, arguments: [account.id])
        }
        if !violations.contains(.tooLong), try await hasher.matchesAny(newPassword, of: history) {
            violations.append(.reused)
        }
        guard violations.isEmpty else {
            try await auditRefusal(account, reason: "new_password_rejected", request, action: .passwordChangeRefused)
            throw RegistryError.passwordRejected(violations)
        }
        let hash = try await hasher.hash(newPassword)
        let changed: StaffAccount? = try await writer.write { db in
            // Nobody reset or changed it while the new one was being hashed.
            guard try StoredAccount.require(db, login: login).passwordHash == stored.passwordHash else { return nil }
            // The right current password clears the failures counted so far.
            try Self.storePassword(hash, initial: false, accountID: account.id, at: now, by: account.actor, in: db)
            try AuditLog.append(.staffPasswordChanged, entityType: "staff_account", entityId: login,
                                details: ["wasInitial": account.passwordIsInitial ? "yes" : "no"],
                                by: account.actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
        guard let changed else { throw RegistryError.authenticationFailed(.invalidCredentials) }
        return changed
    }
}
