public import GRDB
import Foundation

/// Applies `Schema/` migrations in order and refuses databases it cannot vouch for.
///
/// Each migration runs in its own `BEGIN IMMEDIATE` transaction together with the row that
/// records it (version, file name, SHA-256, time). Before applying anything, the migrator
/// checks every recorded migration against the binary's own texts.
public struct Migrator: Sendable {
    /// The migrations this migrator knows, in apply order.
    public let migrations: [Migration]
    private let clock: RegistryClock

    /// A migrator for `migrations` (default: the ones embedded from `Schema/`).
    public init(migrations: [Migration]? = nil, clock: RegistryClock = .system) throws {
        self.migrations = try Migration.ordered(migrations ?? Migration.bundled())
        self.clock = clock
    }

    /// A migration recorded in the database.
    public struct AppliedMigration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let sha256: String
        public let appliedAt: String
    }

    /// Checks the recorded migrations, then applies the pending ones.
    ///
    /// - Returns: the migrations applied by this call (empty when the schema was current).
    /// - Throws: ``StorageError/migrationChanged(version:name:)``,
    ///   ``StorageError/databaseNewerThanBinary(version:name:)`` or
    ///   ``StorageError/migrationFailed(version:name:reason:)``.
    @discardableResult
    public func migrate(_ writer: some DatabaseWriter) throws -> [Migration] {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: Self.bookkeepingTable)
            let applied = try Self.applied(db)
            try verify(applied)
            let done = Set(applied.map(\.version))
            var appliedNow: [Migration] = []
            for migration in migrations where !done.contains(migration.version) {
                do {
                    try db.inTransaction(.immediate) {
                        try db.execute(sql: migration.sql)
                        try db.execute(
                            sql: "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)",
                            arguments: [migration.version, migration.name, migration.sha256,
                                        Timestamp.string(clock.now())])
                        return .commit
                    }
                } catch let error as DatabaseError {
                    throw StorageError.migrationFailed(
                        version: migration.version, name: migration.name,
                        reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
                }
                appliedNow.append(migration)
            }
            return appliedNow
        }
    }

    /// Checks recorded migrations against this binary's texts without applying anything.
    public func verify(_ applied: [AppliedMigration]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for row in applied {
            guard let migration = known[row.version] else {
                throw StorageError.databaseNewerThanBinary(version: row.version, name: row.name)
            }
            guard migration.sha256 == row.sha256 else {
                throw StorageError.migrationChanged(version: row.version, name: row.name)
            }
        }
    }

    /// The migrations recorded in `db`, in version order.
    public static func applied(_ db: Database) throws -> [AppliedMigration] {
        guard try db.tableExists("schema_migrations") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version")
            .map { AppliedMigration(version: $0["version"], name: $0["name"], sha256: $0["sha256"], appliedAt: $0["applied_at"]) }
    }

    private static let bookkeepingTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
            applied_at TEXT NOT NULL
        ) STRICT
        """
}
