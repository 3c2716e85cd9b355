import Foundation
import GRDB
import Synchronization

/// Staff accounts: administration, passwords, sign-in sessions and the second factor.
///
/// Administration needs ``RegistryOperation/manageAccounts`` (the `admin` role, or the CLI
/// operator at the machine). Every change is audited; no event carries a password, code or token.
///
/// ## Topics
/// ### Administration
/// - ``add(_:initialPassword:by:)``
/// - ``list(by:)``
/// - ``account(_:by:)``
/// - ``setActive(_:_:by:)``
/// - ``setRole(_:_:by:)``
/// - ``resetPassword(_:initialPassword:by:)``
/// - ``unlock(_:by:)``
/// ### Signing in
/// - ``signIn(_:)``
/// - ``authenticate(token:kind:)``
/// - ``signOut(token:)``
/// - ``changePassword(login:currentPassword:newPassword:address:by:)``
public struct StaffAccounts: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    var hasher: PasswordHasher { registry.passwordHasher }

    /// Whether `login` has the form of a login: 2–32 of `a-z 0-9 . _ -`.
    public static func isWellFormedLogin(_ login: String) -> Bool {
        (2...32).contains(login.utf8.count)
            && login.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || [46, 95, 45].contains($0) }
    }

    /// Adds an account with an initial password, which its owner must change before doing anything.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``, ``RegistryError/passwordRejected(_:)``,
    ///   ``RegistryError/duplicate(field:)`` (`login`), ``RegistryError/forbidden(_:)``.
    public func add(_ input: NewStaffAccount, initialPassword: String, by actor: AuditActor) async throws -> StaffAccount {
        try actor.authorize(.manageAccounts)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let clinicName = try await registry.read { db in try String.fetchOne(db, sql: "SELECT name FROM clinic_profile") }
        let policy = PasswordPolicy(login: input.login, displayName: input.displayName, clinicName: clinicName,
                                    withSecondFactor: false)
        let violations = policy.violations(of: initialPassword)
        guard violations.isEmpty else { throw RegistryError.passwordRejected(violations) }
        let hash = try await hasher.hash(initialPassword)
        return try await insert(input, passwordHash: hash, initial: true, by: actor)
    }

    func insert(_ input: NewStaffAccount, passwordHash: String, initial: Bool, by actor: AuditActor) async throws -> StaffAccount {
        let now = registry.clock.now()
        let id = RecordID.make()
        return try await writer.write { db in
            guard try StoredAccount.fetch(db, login: input.login) == nil else { throw RegistryError.duplicate(field: "login") }
            let stamp = Timestamp.string(now)
            try db.execute(
                sql: """
                    INSERT INTO staff_accounts (id, login, display_name, role, active, password_hash, password_is_initial,
                        password_changed_at, failed_attempts, created_at, created_by, updated_at, updated_by)
                    VALUES (?, ?, ?, ?, 1, ?, ?, ?, 0, ?, ?, ?, ?)
                    """,
                arguments: [id, input.login, input.displayName, input.role.rawValue, passwordHash, initial, stamp,
                            stamp, actor.id, stamp, actor.id])
            try db.execute(sql: "INSERT INTO staff_password_history (account_id, password_hash, set_at) VALUES (?, ?, ?)",
                           arguments: [id, passwordHash, stamp])
            try AuditLog.append(.staffAdded, entityType: "staff_account", entityId: input.login,
                                details: ["role": input.role.rawValue, "initialPassword": initial ? "yes" : "no"],
                                by: actor, at: now, in: db)
            return try StoredAccount.require(db, login: input.login).account
        }
    }

    /// Every account, by login.
    public func list(by actor: AuditActor) async throws -> [StaffAccount] {
        try actor.authorize(.readAccounts)
        return try await registry.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM staff_accounts ORDER BY login").map(StaffAccount.init(row:))
        }
    }

    /// The account `login`: for readers of accounts, or the account itself.
    public func account(_ login: String, by actor: AuditActor) async throws -> StaffAccount {
        if actor.login != login { try actor.authorize(.readAccounts) }
        return try await registry.read { db in try StoredAccount.require(db, login: login).account }
    }

    /// Disables (`false`) or enables an account. Disabling ends its sign-ins at once.
    ///
    /// - Throws: ``RegistryError/accountChangeRefused(login:reason:)`` for one's own account or
    ///   the last active administrator.
    public func setActive(_ login: String, _ active: Bool, by actor: AuditActor) async throws -> StaffAccount {
        try actor.authorize(.manageAccounts)
        let now = registry.clock.now()
        return try await writer.write { db in
            let stored = try StoredAccount.require(db, login: login)
            guard stored.account.active != active else { return stored.account }
            if !active { try Self.checkAdministrationOf(stored.account, losingAdmin: true, by: actor, in: db) }
            try db.execute(sql: "UPDATE staff_accounts SET active = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                           arguments: [active, Timestamp.string(now), actor.id, stored.account.id])
            let ended = active ? 0 : try Self.endSessions(of: stored.account.id, reason: "account_disabled", at: now, in: db)
            try AuditLog.append(active ? .staffEnabled : .staffDisabled, entityType: "staff_account", entityId: login,
                                details: active ? [:] : ["sessionsEnded": String(ended)], by: actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
    }

    /// Gives an account another role; its open sign-ins act with the new role from their next
    /// request. An administrator cannot change their own role (and so cannot give themselves
    /// patient data), and the last active administrator keeps theirs.
    public func setRole(_ login: String, _ role: StaffRole, precondition: EditPrecondition = .none,
                        by actor: AuditActor) async throws -> StaffAccount {
        try actor.authorize(.manageAccounts)
        let now = registry.clock.now()
        return try await writer.write { db in
            let stored = try StoredAccount.require(db, login: login)
            try precondition.check(stored.account, entity: "staff account", id: login)
            guard stored.account.role != role else { return stored.account }
            try Self.checkAdministrationOf(stored.account, losingAdmin: role != .admin, by: actor, in: db)
            try db.execute(sql: "UPDATE staff_accounts SET role = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                           arguments: [role.rawValue, Timestamp.string(now), actor.id, stored.account.id])
            try AuditLog.append(.staffRoleChanged, entityType: "staff_account", entityId: login,
                                details: ["from": stored.account.role.rawValue, "to": role.rawValue], by: actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
    }

    /// Sets a new initial password (the owner forgot theirs): their sign-ins end, any lock is
    /// lifted, and they must change it before doing anything.
    public func resetPassword(_ login: String, initialPassword: String, by actor: AuditActor) async throws -> StaffAccount {
        try actor.authorize(.manageAccounts)
        let (stored, clinicName) = try await registry.read { db in
            (try StoredAccount.require(db, login: login), try String.fetchOne(db, sql: "SELECT name FROM clinic_profile"))
        }
        let policy = PasswordPolicy(login: login, displayName: stored.account.displayName, clinicName: clinicName,
                                    withSecondFactor: false)
        let violations = policy.violations(of: initialPassword)
        guard violations.isEmpty else { throw RegistryError.passwordRejected(violations) }
        let hash = try await hasher.hash(initialPassword)
        let now = registry.clock.now()
        return try await writer.write { db in
            try Self.storePassword(hash, initial: true, accountID: stored.account.id, at: now, by: actor, in: db)
            try AuditLog.append(.staffPasswordReset, entityType: "staff_account", entityId: login, by: actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
    }

    /// Lifts a lock after failed sign-ins before it runs out.
    public func unlock(_ login: String, by actor: AuditActor) async throws -> StaffAccount {
        try actor.authorize(.manageAccounts)
        let now = registry.clock.now()
        return try await writer.write { db in
            let stored = try StoredAccount.require(db, login: login)
            try db.execute(
                sql: """
                    UPDATE staff_accounts SET failed_attempts = 0, first_failed_at = NULL, locked_until = NULL,
                        updated_at = ?, updated_by = ? WHERE id = ?
                    """,
                arguments: [Timestamp.string(now), actor.id, stored.account.id])
            try AuditLog.append(.staffUnlocked, entityType: "staff_account", entityId: login, by: actor, at: now, in: db)
            return try StoredAccount.require(db, login: login).account
        }
    }

    /// The actor for the CLI's `--staff LOGIN`: the account must exist, be active and have
    /// changed its initial password. (The CLI runs where the database file is: an operator
    /// tool, not a remote client, so it asks for no password.) Package access only: the REST
    /// API gets actors from tokens.
    package func actor(login: String) async throws -> AuditActor {
        let (stored, settings) = try await registry.read { db in
            (try StoredAccount.fetch(db, login: login), try SecuritySettings.fetch(db))
        }
        guard let account = stored?.account else { throw RegistryError.notFound(entity: "staff account", id: login) }
        guard account.active else { throw RegistryError.authenticationFailed(.accountDisabled) }
        guard !account.passwordIsInitial, !Self.passwordExpired(account, settings, at: registry.clock.now()) else {
            throw RegistryError.authenticationFailed(.passwordChangeRequired)
        }
        return account.actor
    }

    /// The sign-in settings (administrators, and the operator at the machine).
    public func settings(by actor: AuditActor) async throws -> SecuritySettings {
        try actor.authorize(.manageSecuritySettings)
        return try await registry.read { db in try SecuritySettings.fetch(db) }
    }

    /// Replaces the sign-in settings (administrators only), audited with the fields changed.
    public func updateSettings(_ settings: SecuritySettings, precondition: EditPrecondition = .none,
                               by actor: AuditActor) async throws -> SecuritySettings {
        try actor.authorize(.manageSecuritySettings)
        try settings.validate()
        let now = registry.clock.now()
        // The commit empties the cached settings and sign-ins before this returns (``SessionCache``).
        return try await writer.write { db in
            let previous = try SecuritySettings.fetch(db)
            try precondition.check(previous, entity: "security settings", id: "")
            try settings.save(db, at: now, by: actor)
            let changed: [String] = [
                previous.requireSecondFactor != settings.requireSecondFactor ? "requireSecondFactor" : nil,
                previous.passwordMaxAgeDays != settings.passwordMaxAgeDays ? "passwordMaxAgeDays" : nil,
                previous.tokenLifetimeMinutes != settings.tokenLifetimeMinutes ? "tokenLifetimeMinutes" : nil,
                previous.idleTimeoutMinutes != settings.idleTimeoutMinutes ? "idleTimeoutMinutes" : nil,
                previous.lockoutThreshold != settings.lockoutThreshold ? "lockoutThreshold" : nil,
                previous.lockoutWindowMinutes != settings.lockoutWindowMinutes ? "lockoutWindowMinutes" : nil,
                previous.lockoutMinutes != settings.lockoutMinutes ? "lockoutMinutes" : nil,
            ].compactMap { $0 }
            try AuditLog.append(.securitySettingsChanged, entityType: "security_settings", entityId: "1",
                                details: ["fields": changed.joined(separator: ","),
                                          "requireSecondFactor": settings.requireSecondFactor.map(\.rawValue).sorted()
                                              .joined(separator: ",")],
                                by: actor, at: now, in: db)
            return try SecuritySettings.fetch(db)
        }
    }

    /// On a database without accounts, adds `admin` with a random initial password and returns
    /// that password (to be shown once); `nil` when accounts exist.
    public func createFirstAdministrator() async throws -> String? {
        let none = try await registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM staff_accounts") == 0 }
        guard none else { return nil }
        let password = SecureRandom.initialPassword()
        let hash = try await hasher.hash(password)
        do {
            _ = try await insert(NewStaffAccount(login: "admin", displayName: "Administrator", role: .admin),
                                 passwordHash: hash, initial: true, by: .system)
        } catch RegistryError.duplicate {
            return nil
        }
        return password
    }

    // MARK: - Shared steps

    /// Refuses changes an administrator makes to their own account, and leaving no active administrator.
    static func checkAdministrationOf(_ account: StaffAccount, losingAdmin: Bool, by actor: AuditActor, in db: Database) throws {
        if actor.login == account.login {
            throw RegistryError.accountChangeRefused(login: account.login, reason: "an administrator cannot change their own role or disable themselves")
        }
        if losingAdmin, account.role == .admin, account.active {
            let others = try Int.fetchOne(db, sql: "SELECT count(*) FROM staff_accounts WHERE role = 'admin' AND active = 1 AND id != ?",
                                          arguments: [account.id]) ?? 0
            if others == 0 {
                throw RegistryError.accountChangeRefused(login: account.login, reason: "it is the last active administrator")
            }
        }
    }

    static func passwordExpired(_ account: StaffAccount, _ settings: SecuritySettings, at date: Date) -> Bool {
        guard let days = settings.passwordMaxAgeDays else { return false }
        return date.timeIntervalSince(account.passwordChangedAt) > Double(days) * 86_400
    }

    /// Stores a new password hash (and its history), lifts any lock and ends the account's sign-ins.
    static func storePassword(_ hash: String, initial: Bool, accountID: String, at date: Date, by actor: AuditActor,
                              in db: Database) throws {
        let stamp = Timestamp.string(date)
        try db.execute(
            sql: """
                UPDATE staff_accounts SET password_hash = ?, password_is_initial = ?, password_changed_at = ?,
                    failed_attempts = 0, first_failed_at = NULL, locked_until = NULL, updated_at = ?, updated_by = ?
                WHERE id = ?
                """,
            arguments: [hash, initial, stamp, stamp, actor.id, accountID])
        try db.execute(sql: "INSERT INTO staff_password_history (account_id, password_hash, set_at) VALUES (?, ?, ?)",
                       arguments: [accountID, hash, stamp])
        try endSessions(of: accountID, reason: "password_changed", at: date, in: db)
    }

    /// Ends every open sign-in of the account; returns how many.
    @discardableResult
    static func endSessions(of accountID: String, reason: String, at date: Date, in db: Database) throws -> Int {
        try db.execute(
            sql: "UPDATE staff_sessions SET ended_at = ?, end_reason = ? WHERE account_id = ? AND ended_at IS NULL",
            arguments: [Timestamp.string(date), reason, accountID])
        return db.changesCount
    }
}
