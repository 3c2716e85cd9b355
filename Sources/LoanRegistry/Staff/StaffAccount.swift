public import Foundation
import GRDB

/// A staff member's account: who they are, their role, and the state of their sign-in.
///
/// Never carries the password hash, the TOTP secret or recovery codes.
public struct StaffAccount: Sendable, Equatable, Codable, Identifiable {
    public let id: String
    /// The sign-in name: 2–32 of `a-z 0-9 . _ -`. Never changes; audit events name it.
    public let login: String
    /// The person's name as staff know it.
    public var displayName: String
    public var role: StaffRole
    /// `false` once disabled: it can neither sign in nor act, and its sign-ins have ended.
    public var active: Bool
    /// Set by an administrator (`user add`, `user reset-password`): the account can do nothing
    /// until its owner changes it.
    public var passwordIsInitial: Bool
    public var passwordChangedAt: Date
    /// A TOTP second factor is enrolled and confirmed.
    public var secondFactorEnrolled: Bool
    /// Locked after too many failed sign-ins, until then.
    public var lockedUntil: Date?
    public let createdAt: Date
    public let createdBy: String
    public var updatedAt: Date
    public var updatedBy: String

    init(row: Row) {
        id = row["id"]
        login = row["login"]
        displayName = row["display_name"]
        role = StaffRole(rawValue: row["role"]) ?? .staff
        active = row["active"]
        passwordIsInitial = row["password_is_initial"]
        passwordChangedAt = Timestamp.date(row["password_changed_at"]) ?? .distantPast
        secondFactorEnrolled = (row["totp_confirmed_at"] as String?) != nil
        lockedUntil = (row["locked_until"] as String?).flatMap(Timestamp.date)
        createdAt = Timestamp.date(row["created_at"]) ?? .distantPast
        createdBy = row["created_by"]
        updatedAt = Timestamp.date(row["updated_at"]) ?? .distantPast
        updatedBy = row["updated_by"]
    }

    /// The audit actor this account acts as.
    var actor: AuditActor {
        AuditActor(.staff(accountID: id, login: login, role: role))
    }

    /// Whether a lock is in force at `date`.
    func isLocked(at date: Date) -> Bool {
        lockedUntil.map { $0 > date } ?? false
    }
}

/// What an administrator gives to add an account (the initial password is given separately).
public struct NewStaffAccount: Sendable, Equatable, Codable {
    public var login: String
    public var displayName: String
    public var role: StaffRole

    public init(login: String, displayName: String, role: StaffRole) {
        self.login = login
        self.displayName = displayName
        self.role = role
    }


    /// Checks the login's form and the name.
    public func validate() throws {
        var validator = FieldValidator()
        validator.require(StaffAccounts.isWellFormedLogin(login), "login",
                          "must be 2-32 lower-case letters, digits or . _ -")
        validator.text(displayName, "displayName", maximum: 100)
        try validator.check()
    }
}

/// The account row with its secrets, used only inside the registry.
struct StoredAccount: Sendable {
    let account: StaffAccount
    let passwordHash: String
    let totpSecret: String?
    let totpLastStep: Int64?
    let failedAttempts: Int
    let firstFailedAt: Date?

    init(row: Row) {
        account = StaffAccount(row: row)
        passwordHash = row["password_hash"]
        totpSecret = row["totp_secret"]
        totpLastStep = row["totp_last_step"]
        failedAttempts = row["failed_attempts"]
        firstFailedAt = (row["first_failed_at"] as String?).flatMap(Timestamp.date)
    }

    static func fetch(_ db: Database, login: String) throws -> StoredAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM staff_accounts WHERE login = ?", arguments: [login]).map(StoredAccount.init(row:))
    }

    static func require(_ db: Database, login: String) throws -> StoredAccount {
        guard let stored = try fetch(db, login: login) else {
            throw RegistryError.notFound(entity: "staff account", id: login)
        }
        return stored
    }
}
