import Foundation
import GRDB
import Synchronization

extension StaffAccounts {
    /// Signs a person in and returns a new session token.
    ///
    /// Unknown login and wrong password take the same time (one Argon2id run either way) and
    /// give the same answer. Each attempt on a known login is counted *before* its password is
    /// hashed, so however many guesses arrive at once, at most
    /// ``SecuritySettings/lockoutThreshold`` are ever checked within
    /// ``SecuritySettings/lockoutWindowMinutes``; the failure that reaches it locks the login.
    /// Every outcome is audited, never with the password, code or token.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)``, ``RegistryError/busy``,
    ///   ``RegistryError/validationFailed(_:)`` for a login or password no account can have.
    public func signIn(_ request: SignInRequest) async throws -> StaffSession {
        try Self.checkShape(login: request.login, passwords: ["password": request.password])
        let (found, settings) = try await registry.read { db in
            (try StoredAccount.fetch(db, login: request.login), try SecuritySettings.fetch(db))
        }
        let now = registry.clock.now()
        guard let stored = found else {
            try await failUnknownLogin(request, settings)
        }
        let account = stored.account
        return try await withAttempt(account, request, settings) {
            guard try await hasher.verify(request.password, against: stored.passwordHash) else {
                try await recordFailure(stored, login: account.login, reason: "password", request, settings)
            }
            // The password is right: from here the answers may say what is missing.
            guard account.active else {
                try await auditRefusal(account, reason: "disabled", request)
                throw RegistryError.authenticationFailed(.accountDisabled)
            }
            if account.passwordIsInitial || Self.passwordExpired(account, settings, at: now) {
                try await auditRefusal(account, reason: "password_change_required", request)
                throw RegistryError.authenticationFailed(.passwordChangeRequired)
            }
            var factor = "password"
            var totpStep: Int64?
            var recoveryHash: String?
            if account.secondFactorEnrolled, let secret = stored.totpSecret.flatMap(Base32.decode) {
                if let code = request.totp {
                    guard let step = TOTP(secret: secret).matchingStep(code, at: now, after: stored.totpLastStep) else {
                        try await recordFailure(stored, login: account.login, reason: "totp", request, settings)
                    }
                    totpStep = step
                    factor = "totp"
                } else if let code = request.recoveryCode {
                    recoveryHash = ContentHash.sha256(Self.normalisedRecoveryCode(code))
                    factor = "recovery_code"
                } else {
                    try await auditRefusal(account, reason: "second_factor_required", request)
                    throw RegistryError.authenticationFailed(.secondFactorRequired)
                }
            } else if settings.requireSecondFactor.contains(account.role) {
                try await auditRefusal(account, reason: "second_factor_enrolment_required", request)
                throw RegistryError.authenticationFailed(.secondFactorEnrolmentRequired)
            }
            return try await openSession(for: stored, factor: factor, totpStep: totpStep, recoveryHash: recoveryHash,
                                         request, settings, at: now)
        }
    }

    private func openSession(for stored: StoredAccount, factor: String, totpStep: Int64?, recoveryHash: String?,
                             _ request: SignInRequest, _ settings: SecuritySettings, at now: Date) async throws -> StaffSession {
        let token = SecureRandom.token()
        let expiresAt = now.addingTimeInterval(Double(settings.tokenLifetimeMinutes) * 60)
        let account = stored.account
        let sessionID = RecordID.make()
        let opened: Bool = try await writer.write { db in
            // What was checked before hashing must still hold: not disabled, reset, changed or
            // locked by another request in the meantime.
            let current = try StoredAccount.require(db, login: account.login)
            guard current.passwordHash == stored.passwordHash, current.account.active,
                  !current.account.passwordIsInitial, !current.account.isLocked(at: now) else { return false }
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
        }
        return StaffSession(token: token, expiresAt: expiresAt, kind: request.kind, account: account)
    }

    /// Runs one attempt at `account`'s secret: admitted only while the failures already counted
    /// in the window plus the attempts still being checked stay below the threshold, so however
    /// many guesses arrive at once, no more than ``SecuritySettings/lockoutThreshold`` are ever
    /// checked before the lock. Further attempts wait (up to 30 s, then `busy`); a locked login
    /// is refused at once, after the same hashing work as any attempt.
    func withAttempt<T: Sendable>(_ account: StaffAccount, _ request: SignInRequest, _ settings: SecuritySettings,
                                  _ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while true {
            // Take a slot first, then count the slots, then read the failures committed: an
            // attempt that finishes in between is then counted at least once (it commits its
            // failure before it gives its slot back).
            let inFlight = registry.attemptsInFlight.enter(account.id)
            let now = registry.clock.now()
            let current = try await registry.read { db in try StoredAccount.require(db, login: account.login) }
            let windowStart = now.addingTimeInterval(-Double(settings.lockoutWindowMinutes) * 60)
            let failed = current.firstFailedAt.map { $0 > windowStart } == true ? current.failedAttempts : 0
            var lockedUntil = current.account.lockedUntil.flatMap { $0 > now ? $0 : nil }
            if lockedUntil == nil, failed >= settings.lockoutThreshold {
                lockedUntil = try await writer.write { db in try Self.lock(account, settings, request, at: now, in: db) }
            }
            if let lockedUntil {
                registry.attemptsInFlight.leave(account.id)
                try await auditRefusal(account, reason: "locked", request)
                _ = try await hasher.verifyDecoy(request.password)
                throw RegistryError.authenticationFailed(
                    .accountLocked, retryAfterSeconds: max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up))))
            }
            if failed + inFlight <= settings.lockoutThreshold { break }
            registry.attemptsInFlight.leave(account.id)
            guard ContinuousClock.now < deadline else { throw RegistryError.busy }
            try await Task.sleep(for: .milliseconds(20))
        }
        defer { registry.attemptsInFlight.leave(account.id) }
        return try await body()
    }

    /// Audits an attempt whose password was right but that could not go on (disabled, initial
    /// password, second factor missing, new password refused). It counts towards no lock.
    func auditRefusal(_ account: StaffAccount, reason: String, _ request: SignInRequest,
                      action: AuditAction = .signInFailed) async throws {
        let now = registry.clock.now()
        _ = try await writer.write { db in
            try AuditLog.append(action, entityType: "staff_account", entityId: account.login,
                                details: ["reason": reason, "kind": request.kind.rawValue, "address": request.address ?? "-"],
                                by: .system, at: now, in: db)
        }
    }

    /// Audits a failed attempt, counts it for a known login (locking it at the threshold) and
    /// throws the answer: `invalid_credentials`, or `account_locked` when this failure locked it.
    func recordFailure(_ stored: StoredAccount?, login: String, reason: String, _ request: SignInRequest,
                       _ settings: SecuritySettings) async throws -> Never {
        let now = registry.clock.now()
        // An unknown login is recorded as such, never as typed: it may be a mistyped password.
        let named = stored == nil ? "-" : login
        let lockedUntil: Date? = try await writer.write { db in
            try AuditLog.append(.signInFailed, entityType: "staff_account", entityId: named,
                                details: ["reason": reason, "kind": request.kind.rawValue, "address": request.address ?? "-"],
                                by: .system, at: now, in: db)
            guard let stored else { return nil }
            let current = try StoredAccount.require(db, login: stored.account.login)
            if let until = current.account.lockedUntil, until > now { return until }
            let windowStart = now.addingTimeInterval(-Double(settings.lockoutWindowMinutes) * 60)
            let inWindow = current.firstFailedAt.map { $0 > windowStart } ?? false
            let attempts = (inWindow ? current.failedAttempts : 0) + 1
            guard attempts < settings.lockoutThreshold else {
                return try Self.lock(stored.account, settings, request, at: now, in: db)
            }
            try db.execute(sql: "UPDATE staff_accounts SET failed_attempts = ?, first_failed_at = ? WHERE id = ?",
                           arguments: [attempts, Timestamp.string(inWindow ? current.firstFailedAt ?? now : now),
                                       stored.account.id])
            return nil
        }
        if let lockedUntil {
            throw RegistryError.authenticationFailed(.accountLocked,
                                                     retryAfterSeconds: max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up))))
        }
        throw RegistryError.authenticationFailed(.invalidCredentials)
    }

    /// Answers an unknown login exactly as a known one with a wrong password: the same hash,
    /// the same audit, and — after as many failures in the window — the same `account_locked`,
    /// so neither the time nor the answer tells which logins exist.
    func failUnknownLogin(_ request: SignInRequest, _ settings: SecuritySettings) async throws -> Never {
        let now = registry.clock.now()
        let lockedUntil = registry.unknownLogins.attempt(request.login, at: now, settings: settings)
        _ = try await hasher.verifyDecoy(request.password)
        do {
            try await recordFailure(nil, login: request.login, reason: lockedUntil == nil ? "unknown_login" : "locked", request, settings)
        } catch RegistryError.authenticationFailed(.invalidCredentials, _) where lockedUntil != nil {
            throw RegistryError.authenticationFailed(
                .accountLocked, retryAfterSeconds: max(1, Int((lockedUntil ?? now).timeIntervalSince(now).rounded(.up))))
        }
    }

    /// Locks the login for ``SecuritySettings/lockoutMinutes`` and audits it; returns until when.
    private static func lock(_ account: StaffAccount, _ settings: SecuritySettings, _ request: SignInRequest,
                             at now: Date, in db: Database) throws -> Date {
        let until = now.addingTimeInterval(Double(settings.lockoutMinutes) * 60)
        try db.execute(sql: "UPDATE staff_accounts SET failed_attempts = 0, first_failed_at = NULL, locked_until = ? WHERE id = ?",
                       arguments: [Timestamp.string(until), account.id])
        try AuditLog.append(.accountLocked, entityType: "staff_account", entityId: account.login,
                            details: ["minutes": String(settings.lockoutMinutes), "address": request.address ?? "-"],
                            by: .system, at: now, in: db)
        return until
    }

    /// Refuses, before any hashing, a login or password no account can have (e.g. a 10 kB password).
    static func checkShape(login: String, passwords: [String: String]) throws {
        var validator = FieldValidator()
        validator.require(!login.isEmpty && login.utf8.count <= 64, "login", "must be 1 to 64 characters")
        for (field, value) in passwords.sorted(by: { $0.key < $1.key }) {
            validator.require(!value.isEmpty && value.count <= 1024, field, "must be 1 to 1024 characters")
        }
        try validator.check()
    }

    /// The actor a session token stands for, if the sign-in is still valid.
    ///
    /// Ends (and audits) a sign-in found past its lifetime or idle timeout. Refreshes the idle
    /// clock at most once a minute, so most requests only read.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)``.
    public func authenticate(token: String, kind: SignInRequest.Kind) async throws -> AuditActor {
        let tokenHash = ContentHash.sha256(token)
        let settings = try await currentSettings()
        let now = registry.clock.now()
        let cache = registry.sessionCache
        if let cached = cache.entry(tokenHash: tokenHash), cached.kind == kind.rawValue,
           (try? Self.check(cached, settings: settings, at: now)) == .valid {
            return cached.account.actor
        }
        // Taken before the read: a sign-in change committed after it keeps this read out of the cache.
        let generation = cache.generation
        let found = try await registry.read { db -> (session: SessionCache.Entry, endReason: String?)? in
            let statement = try db.cachedStatement(sql: """
                SELECT s.id AS session_id, s.kind, s.expires_at, s.last_seen_at, s.end_reason, a.*
                FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
                WHERE s.token_sha256 = ?
                """)
            return try Row.fetchOne(statement, arguments: [tokenHash]).map { row in
                (SessionCache.Entry(row: row, generation: generation), row["end_reason"])
            }
        }
        guard let (session, endReason) = found, session.kind == kind.rawValue else {
            throw RegistryError.authenticationFailed(.tokenInvalid)
        }
        if let endReason {
            throw RegistryError.authenticationFailed(["expired", "idle"].contains(endReason) ? .tokenExpired : .tokenRevoked)
        }
        switch try Self.check(session, settings: settings, at: now) {
        case .valid:
            cache.store(session, tokenHash: tokenHash)
        case .ended(let reason):
            try await endSession(session.sessionID, account: session.account, reason: reason,
                                 action: .sessionExpired, by: .system, at: now)
            throw RegistryError.authenticationFailed(.tokenExpired)
        case .touch:
            // Not cached: the touch is a sign-in change; the next request reads the new idle clock.
            try await writer.write { db in
                try db.execute(sql: "UPDATE staff_sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL",
                               arguments: [Timestamp.string(now), session.sessionID])
            }
        }
        return session.account.actor
    }

    /// What a sign-in still valid at `now` needs: nothing, or its idle clock refreshed (once a minute).
    enum SessionCheck: Equatable {
        case valid
        case touch
        /// Past its lifetime (`expired`) or idle timeout (`idle`): to be ended.
        case ended(reason: String)
    }

    /// The rules a session and its account must meet at `now`, for a fresh read and a cached one alike.
    ///
    /// - Throws: ``RegistryError/authenticationFailed(_:retryAfterSeconds:)`` for an inactive
    ///   account or a password that must change.
    static func check(_ session: SessionCache.Entry, settings: SecuritySettings, at now: Date) throws -> SessionCheck {
        let idleEnd = session.lastSeenAt.addingTimeInterval(Double(settings.idleTimeoutMinutes) * 60)
        if now >= session.expiresAt || now >= idleEnd {
            return .ended(reason: now >= session.expiresAt ? "expired" : "idle")
        }
        let account = session.account
        guard account.active else { throw RegistryError.authenticationFailed(.tokenRevoked) }
        guard !account.passwordIsInitial, !passwordExpired(account, settings, at: now) else {
            throw RegistryError.authenticationFailed(.passwordChangeRequired)
        }
        return now.timeIntervalSince(session.lastSeenAt) >= 60 ? .touch : .valid
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

    /// Minutes without activity after which a sign-in ends (the guideline's rule for unattended
    /// screens): the staff pages lock themselves at this time too. Not a secret; no audit.
    public func idleTimeoutMinutes() async throws -> Int {
        try await currentSettings().idleTimeoutMinutes
    }

    /// The sign-in settings for the per-request token check, read at most once every 2 seconds
    /// (changed here, they apply at once; changed by another process, within 2 seconds).
    func currentSettings() async throws -> SecuritySettings {
        let cache = registry.sessionCache
        if let cached = cache.settings.withLock({ $0 }), cached.generation == cache.generation,
           ContinuousClock.now - cached.readAt < .seconds(2) {
            return cached.value
        }
        let generation = cache.generation  // a change committed after this keeps the read out
        let settings = try await registry.read { db in try SecuritySettings.fetch(db) }
        cache.settings.withLock { $0 = (settings, ContinuousClock.now, generation) }
        return settings
    }

    /// Recovery codes are typed with or without the dash, in either case.
    static func normalisedRecoveryCode(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}

extension SessionCache.Entry {
    /// A session row with its account, read in one query.
    fileprivate init(row: Row, generation: UInt64) {
        self.init(sessionID: row["session_id"], kind: row["kind"],
                  expiresAt: Timestamp.date(row["expires_at"]) ?? .distantPast,
                  lastSeenAt: Timestamp.date(row["last_seen_at"]) ?? .distantPast,
                  account: StaffAccount(row: row), generation: generation, readAt: .now)
    }
}
