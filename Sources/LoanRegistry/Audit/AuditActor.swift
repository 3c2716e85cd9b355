/// Who did something the audit log records: a signed-in staff account, the CLI operator, or the
/// registry itself.
///
/// Only the registry makes one for a staff account — after a sign-in, from a valid token, or
/// for the CLI's `--staff` after checking the account is active — so an actor is always a real,
/// active account. The stored form names a login, never a patient's data.
public struct AuditActor: Sendable, Hashable, CustomStringConvertible {
    /// The three kinds of actor.
    public enum Kind: Sendable, Hashable {
        /// A staff account, with the role it had when it was authenticated.
        case staff(accountID: String, login: String, role: StaffRole)
        /// The operator at the machine that holds the database file (`cli:<os user>`).
        case commandLineOperator(user: String)
        /// The registry itself (first start, demo data).
        case system
    }

    /// Which kind, with its identity.
    public let kind: Kind

    package init(_ kind: Kind) {
        self.kind = kind
    }

    /// The stored form: `staff:<login>`, `cli:<user>` or `system`.
    public var id: String {
        switch kind {
        case .staff(_, let login, _): "staff:\(login)"
        case .commandLineOperator(let user): "cli:\(user)"
        case .system: "system"
        }
    }

    /// The account's role, for a staff actor.
    public var role: StaffRole? {
        if case .staff(_, _, let role) = kind { role } else { nil }
    }

    /// The account's login, for a staff actor.
    public var login: String? {
        if case .staff(_, let login, _) = kind { login } else { nil }
    }

    /// The registry itself.
    package static let system = AuditActor(.system)

    /// The operator at the machine, as OS user `user`.
    package static func commandLine(user: String) -> AuditActor {
        AuditActor(.commandLineOperator(user: user))
    }

    public var description: String { id }
}
