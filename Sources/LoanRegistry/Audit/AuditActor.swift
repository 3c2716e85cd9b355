/// Who did something the audit log records: a staff account, the CLI operator, or the system.
///
/// The identifier is an account id or login, never a patient's data.
public struct AuditActor: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stored form, e.g. `staff:7f3c…`, `cli:root`, `system`.
    public let id: String

    /// An actor with the given stored form.
    public init(_ id: String) {
        self.id = id
    }

    /// The registry itself (start-up, demo data, scheduled work).
    public static let system = AuditActor("system")

    /// An operator using the command line as `user`.
    public static func commandLine(user: String) -> AuditActor {
        AuditActor("cli:\(user)")
    }

    public var description: String { id }
}
