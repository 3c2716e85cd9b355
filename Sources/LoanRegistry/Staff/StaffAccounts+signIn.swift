import Foundation
import GRDB

extension StaffAccounts {
    /// Signs a person in and returns a new session token.
    ///
    /// Unknown login and wrong password take the same time (a decoy hash is verified) and give
    /// the same answer. Failures count towards the lock (``SecuritySettings/lockoutThreshold``
    /// within ``SecuritySettings/lockoutWindowMinutes``); every outcome is audited, never with
    /// the password, code or token.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)``, ``RegistryError/busy``.
    public func signIn(_ request: SignInRequest) async throws -> StaffSession {
        let (found, settings) = try await registry.read { db in
            (try StoredAccount.fetch(db, login: request.login), try SecuritySettings.fetch(db))
        }
        let now = registry.clock.now()
        guard let stored = found else {
            _ = try await hasher.verifyDecoy(request.password)
            try await recordFailure(nil, login: request.login, reason: "unknown_login", request, settings)
            throw RegistryError.authenticationFailed(.invalidCredentials)
        }
        let account = stored.account
        if let until = account.lockedUntil, until > now {
            try await recordFailure(nil, login: account.login, reason: "locked", request, settings)
            throw RegistryError.authenticationFailed(.accountLocked, retryAfterSeconds: Int(until.timeIntervalSince(now).rounded(.up)))
        }
        guard try await hasher.verify(request.password, against: stored.passwordHash) else {
            let locked = try await recordFailure(stored, login: account.login, reason: "password", request, settings)
            throw locked ? RegistryError.authenticationFailed(.accountLocked, retryAfterSeconds: settings.lockoutMinutes * 60)
                : RegistryError.authenticationFailed(.invalidCredentials)
        }
        // The password is right: from here the answers may say what is missing.
        guard account.active else {
            try await recordFailure(nil, login: account.login, reason: "disabled", request, settings)
            throw RegistryError.authenticationFailed(.accountDisabled)
        }
        if account.passwordIsInitial || Self.passwordExpired(account, settings, at: now) {
            try await recordFailure(nil, login: account.login, reason: "password_change_required", request, settings)
            throw RegistryError.authenticationFailed(.passwordChangeRequired)
        }
        var factor = "password"
        var totpStep: Int64?
        var recoveryHash: String?
        if account.secondFactorEnrolled, let secret = stored.totpSecret.flatMap(Base32.decode) {
            if let code = request.totp {
                guard let step = TOTP(secret: secret).matchingStep(code, at: now, after: stored.totpLastStep) else {
                    let locked = try await recordFailure(stored, login: account.login, reason: "totp", request, settings)
                    throw RegistryError.authenticationFailed(locked ? .accountLocked : .invalidCredentials)
                }
                totpStep = step
                factor = "totp"
            } else if let code = request.recoveryCode {
                recoveryHash = ContentHash.sha256(Self.normalisedRecoveryCode(code))
                factor = "recovery_code"
            } else {
                throw RegistryError.authenticationFailed(.secondFactorRequired)
            }
        } else if settings.requireSecondFactor.contains(account.role) {
            try await recordFailure(nil, login: account.login, reason: "second_factor_enrolment_required", request, settings)
            throw RegistryError.authenticationFailed(.secondFactorEnrolmentRequired)
        }
        return try await openSession(for: stored, factor: factor, totpStep: totpStep, recoveryHash: recoveryHash,
                                     request, settings, at: now)
    }

    private func openSession(for stored: StoredAccount, factor: String, totpStep: Int64?, recoveryHash: String?,
                             _ request: SignInRequest, _ settings: SecuritySettings, at now: Date) async throws -> StaffSession {
        let token = SecureRandom.token()
        let expiresAt = now.addingTimeInterval(Double(settings.tokenLifetimeMinutes) * 60)
        let account = stored.account
        let sessionID = UUID().uuidString.lowercased()
        let opened: Bool = try await writer.write { db in
            if let recoveryHash {
                try db.execute(
                    sql: "UPDATE staff_recovery_codes SET used_at = ? WHERE account_id = ? AND code_sha256 = ? AND used_at IS NULL",
                    arguments: [Timestamp.string(now), account.id, recoveryHash])
                guard db.changesCount == 1 else { return false }
                let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM staff_recovery_codes WHERE account_id = ? AND used_at IS NULL",
                                            arguments: [account.id]) ?? 0
                try AuditLog.append(.recoveryCodeUsed, entityType: "staff_account", entityId: account.login,
                                    details: ["codesLeft": String(left)], by: account.actor, at: now, in: db)
            }
            if let totpStep {
                // A code's step is accepted once, even by two sign-ins racing each other.
                try db.execute(sql: "UPDATE staff_accounts SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
                               arguments: [totpStep, account.id, totpStep])
                guard db.changesCount == 1 else { return false }
            }
            let stamp = Timestamp.string(now)
            try db.execute(sql: "UPDATE staff_accounts SET failed_attempts = 0, first_failed_at = NULL, locked_until = NULL WHERE id = ?",
                           arguments: [account.id])
            try db.execute(
                sql: """
                    INSERT INTO staff_sessions (id, token_sha256, account_id, kind, created_at, expires_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sessionID, ContentHash.sha256(token), account.id, request.kind.rawValue, stamp,
                            Timestamp.string(expiresAt), stamp])
            try AuditLog.append(.signedIn, entityType: "staff_account", entityId: account.login,
                                details: ["session": sessionID, "kind": request.kind.rawValue, "factor": factor,
                                          "address": request.address ?? "-"],
                                by: account.actor, at: now, in: db)
            return true
        }
        guard opened else {
            try await recordFailure(stored, login: account.login, reason: factor, request, settings)
            throw RegistryError.authenticationFailed(.invalidCredentials)
        }
        return StaffSession(token: token, expiresAt: expiresAt, kind: request.kind, account: account)
    }

    /// Audits a failed sign-in; for a known account whose secret was wrong, counts it and locks
    /// the login at the threshold. Returns whether this failure locked it.
    @discardableResult
    func recordFailure(_ stored: StoredAccount?, login: String, reason: String, _ request: SignInRequest,
                       _ settings: SecuritySettings) async throws -> Bool {
        let now = registry.clock.now()
        // An unknown login is recorded as such, never as typed: it may be a mistyped password.
        let named = reason == "unknown_login" ? "-" : login
        return try await writer.write { db in
            var locked = false
            if let stored {
                let windowStart = now.addingTimeInterval(-Double(settings.lockoutWindowMinutes) * 60)
                let current = try StoredAccount.require(db, login: stored.account.login)
                let inWindow = current.firstFailedAt.map { $0 > windowStart } ?? false
                let attempts = inWindow ? current.failedAttempts + 1 : 1
                let firstFailed = inWindow ? current.firstFailedAt ?? now : now
                locked = attempts >= settings.lockoutThreshold
                try db.execute(
                    sql: "UPDATE staff_accounts SET failed_attempts = ?, first_failed_at = ?, locked_until = ? WHERE id = ?",
                    arguments: [locked ? 0 : attempts, locked ? nil : Timestamp.string(firstFailed),
                                locked ? Timestamp.string(now.addingTimeInterval(Double(settings.lockoutMinutes) * 60)) : nil,
                                stored.account.id])
            }
            try AuditLog.append(.signInFailed, entityType: "staff_account", entityId: named,
                                details: ["reason": reason, "kind": request.kind.rawValue, "address": request.address ?? "-"],
                                by: .system, at: now, in: db)
            if locked {
                try AuditLog.append(.accountLocked, entityType: "staff_account", entityId: login,
                                    details: ["minutes": String(settings.lockoutMinutes), "address": request.address ?? "-"],
                                    by: .system, at: now, in: db)
            }
            return locked
        }
    }

    /// The actor a session token stands for, if the sign-in is still valid.
    ///
    /// Ends (and audits) a sign-in found past its lifetime or idle timeout. Refreshes the idle
    /// clock at most once a minute, so most requests only read.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)``.
    public func authenticate(token: String, kind: SignInRequest.Kind) async throws -> AuditActor {
        let tokenHash = ContentHash.sha256(token)
        let found = try await registry.read { db -> SessionRow? in
            try Row.fetchOne(
                db, sql: """
                    SELECT s.id AS session_id, s.kind, s.expires_at, s.last_seen_at, s.end_reason, a.*
                    FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
                    WHERE s.token_sha256 = ?
                    """, arguments: [tokenHash]
            ).map { row in try SessionRow(row: row, settings: SecuritySettings.fetch(db)) }
        }
        guard let session = found, session.kind == kind.rawValue else {
            throw RegistryError.authenticationFailed(.tokenInvalid)
        }
        let account = session.account
        let settings = session.settings
        let sessionID = session.id
        if let reason = session.endReason {
            throw RegistryError.authenticationFailed(["expired", "idle"].contains(reason) ? .tokenExpired : .tokenRevoked)
        }
        let now = registry.clock.now()
        let expiresAt = session.expiresAt
        let lastSeen = session.lastSeenAt
        let idleEnd = lastSeen.addingTimeInterval(Double(settings.idleTimeoutMinutes) * 60)
        if now >= expiresAt || now >= idleEnd {
            try await endSession(sessionID, account: account, reason: now >= expiresAt ? "expired" : "idle",
                                 action: .sessionExpired, by: .system, at: now)
            throw RegistryError.authenticationFailed(.tokenExpired)
        }
        guard account.active else { throw RegistryError.authenticationFailed(.tokenRevoked) }
        if now.timeIntervalSince(lastSeen) >= 60 {
            try await writer.write { db in
                try db.execute(sql: "UPDATE staff_sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL",
                               arguments: [Timestamp.string(now), sessionID])
            }
        }
        return account.actor
    }

    /// Ends the sign-in of `token` (sign-out). Signing out twice is not an error.
    public func signOut(token: String) async throws {
        let tokenHash = ContentHash.sha256(token)
        let found = try await registry.read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.id AS session_id, a.* FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
                WHERE s.token_sha256 = ? AND s.ended_at IS NULL
                """, arguments: [tokenHash]).map { row -> (String, StaffAccount) in (row["session_id"], StaffAccount(row: row)) }
        }
        guard let (sessionID, account) = found else { return }
        try await endSession(sessionID, account: account, reason: "signed_out", action: .signedOut,
                             by: account.actor, at: registry.clock.now())
    }

    private func endSession(_ id: String, account: StaffAccount, reason: String, action: AuditAction,
                            by actor: AuditActor, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE staff_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
                           arguments: [Timestamp.string(now), reason, id])
            guard db.changesCount == 1 else { return }
            try AuditLog.append(action, entityType: "staff_account", entityId: account.login,
                                details: ["session": id, "reason": reason], by: actor, at: now, in: db)
        }
    }

    /// Recovery codes are typed with or without the dash, in either case.
    static func normalisedRecoveryCode(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}

/// A session row with its account, read in one query.
private struct SessionRow: Sendable {
    let id: String
    let kind: String
    let expiresAt: Date
    let lastSeenAt: Date
    let endReason: String?
    let account: StaffAccount
    let settings: SecuritySettings

    init(row: Row, settings: SecuritySettings) {
        id = row["session_id"]
        kind = row["kind"]
        expiresAt = Timestamp.date(row["expires_at"]) ?? .distantPast
        lastSeenAt = Timestamp.date(row["last_seen_at"]) ?? .distantPast
        endReason = row["end_reason"]
        account = StaffAccount(row: row)
        self.settings = settings
    }
}
