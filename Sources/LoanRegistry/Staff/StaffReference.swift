import GRDB

/// A staff member named in a record (who explained, who wiped, who verified): the login of an
/// active account whose role may perform the operation, stored as `staff:<login>`.
enum StaffReference {
    /// `staff:<login>` for `value` (a login, `staff:` may precede it).
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` on `field` unless the account exists, is
    ///   active and its role may perform `operation`.
    static func resolve(_ value: String, field: String, mayPerform operation: RegistryOperation, in db: Database) throws -> String {
        let login = value.hasPrefix("staff:") ? String(value.dropFirst(6)) : value
        let role = try String.fetchOne(db, sql: "SELECT role FROM staff_accounts WHERE login = ? AND active = 1",
                                       arguments: [login]).flatMap(StaffRole.init(rawValue:))
        guard let role, AccessPolicy.roles(for: operation).contains(role) else {
            let roles = AccessPolicy.roles(for: operation).map(\.rawValue).sorted().joined(separator: " or ")
            throw RegistryError.validationFailed([
                FieldError(field, "must be the login of an active staff account allowed to do this (\(roles))"),
            ])
        }
        return "staff:\(login)"
    }
}
