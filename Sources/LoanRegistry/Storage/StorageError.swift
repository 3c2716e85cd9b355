/// The database could not be opened, checked or migrated.
///
/// Messages name files and migration versions, never stored values.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The start-up check (`PRAGMA quick_check`, or `integrity_check` with the full check) did not answer `ok`.
    case integrityCheckFailed(firstProblem: String)
    /// A migration already applied to the database no longer has the text it was applied with.
    case migrationChanged(version: Int, name: String)
    /// The database records a migration this binary does not know: it is newer than the binary.
    case databaseNewerThanBinary(version: Int, name: String)
    /// A migration failed to apply; it was rolled back.
    case migrationFailed(version: Int, name: String, reason: String)
    /// A migration file name is not `NNNN_name.sql`, or two files share a version.
    case invalidMigrationFile(name: String)
    /// The database is closed or otherwise cannot serve requests.
    case unavailable(reason: String)

    /// The reason of ``unavailable(reason:)``, else the description.
    public var reason: String {
        if case .unavailable(let reason) = self { return reason }
        return description
    }

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .cannotOpen: "database_cannot_open"
        case .integrityCheckFailed: "database_integrity_failed"
        case .migrationChanged: "migration_changed"
        case .databaseNewerThanBinary: "database_newer_than_binary"
        case .migrationFailed: "migration_failed"
        case .invalidMigrationFile: "invalid_migration_file"
        case .unavailable: "database_unavailable"
        }
    }

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "Cannot open the database at \(path): \(reason)"
        case let .integrityCheckFailed(problem):
            "The database failed its integrity check: \(problem). "
                + "Restore the latest backup; do not write to this file."
        case let .migrationChanged(version, name):
            "Migration \(version) (\(name)) was applied to this database with a different text. "
                + "Released migrations must never be edited: restore the original file and add a new migration."
        case let .databaseNewerThanBinary(version, name):
            "The database has migration \(version) (\(name)), which this loan-registry does not know. "
                + "It was written by a newer version: upgrade loan-registry instead."
        case let .migrationFailed(version, name, reason):
            "Migration \(version) (\(name)) failed and was rolled back: \(reason)"
        case let .invalidMigrationFile(name):
            "Migration file \(name) is not named NNNN_name.sql or repeats a version."
        case let .unavailable(reason):
            "The database is unavailable: \(reason)"
        }
    }
}
