import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct MigratorTests {
    private func migration(_ name: String, _ sql: String) throws -> Migration {
        try Migration(name: name, sql: sql)
    }

    @Test func freshDatabaseGetsEveryBundledMigrationRecordedWithItsHash() async throws {
        let test = try await TestRegistry()
        let bundled = try Migration.bundled()
        #expect(bundled.first?.name == "0001_audit_log.sql")
        let applied = try await test.independentConnection().read { db in try Migrator.applied(db) }
        #expect(applied.map(\.version) == bundled.map(\.version))
        #expect(applied.map(\.sha256) == bundled.map(\.sha256))
    }

    @Test func bundledMigrationsAreTheFilesInSchemaFolder() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schema")
        let files = try FileManager.default.contentsOfDirectory(atPath: schema.path).filter { $0.hasSuffix(".sql") }.sorted()
        let bundled = try Migration.bundled()
        #expect(bundled.map(\.name) == files)
        for migration in bundled {
            let text = try String(contentsOf: schema.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(text == migration.sql, "Schema/\(migration.name) differs from the embedded copy")
        }
    }

    /// Migration 0006 widens the language CHECKs of a database that already holds rows, by editing
    /// the table definitions in place: the rows stay, the file stays sound, the connection that
    /// migrated and a connection opened before it both accept 'ja-easy', and other values are still refused.
    @Test func theLanguageChecksAcceptEasyJapaneseOnAnExistingDatabase() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.path("db.sqlite"))
        let bundled = try Migration.bundled()
        try Migrator(migrations: bundled.filter { $0.version < 6 }).migrate(pool)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO patients (id, patient_number, name, language, created_at, updated_at)
                VALUES ('00000000-0000-0000-0000-000000000001', 'P-1', 'A', 'ja', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
                """)
        }
        #expect(throws: DatabaseError.self) {
            try pool.write { db in try db.execute(sql: "UPDATE patients SET language = 'ja-easy'") }
        }
        let earlier = try DatabaseQueue(path: directory.path("db.sqlite"))
        #expect(try Migrator(migrations: bundled.filter { $0.version <= 6 }).migrate(pool).map(\.version) == [6])
        try pool.write { db in try db.execute(sql: "UPDATE patients SET language = 'ja-easy'") }
        try earlier.write { db in try db.execute(sql: "UPDATE patients SET language = 'ja-easy' WHERE 1") }
        #expect(throws: DatabaseError.self) {
            try pool.write { db in try db.execute(sql: "UPDATE patients SET language = 'fr'") }
        }
        #expect(try pool.read { db in try String.fetchOne(db, sql: "SELECT language FROM patients") } == "ja-easy")
        #expect(try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
        for table in ["patients", "explanations", "loans", "contact_sheets"] {
            let sql = try pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = ?", arguments: [table]) }
            #expect(sql?.contains("'ja', 'ja-easy', 'en'") == true, "\(table) accepts ja-easy")
        }
    }

    @Test func reopeningAppliesNothingTwice() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("db.sqlite")
        let migrator = try Migrator(migrations: [migration("0001_a.sql", "CREATE TABLE a (x INTEGER) STRICT;")])
        let pool = try DatabasePool(path: path)
        #expect(try migrator.migrate(pool).count == 1)
        #expect(try migrator.migrate(pool).isEmpty)
    }

    @Test func changedTextOfAnAppliedMigrationIsRefused() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.path("db.sqlite"))
        try Migrator(migrations: [migration("0001_a.sql", "CREATE TABLE a (x INTEGER) STRICT;")]).migrate(pool)
        let edited = try Migrator(migrations: [migration("0001_a.sql", "CREATE TABLE a (x INTEGER, y TEXT) STRICT;")])
        #expect(throws: StorageError.migrationChanged(version: 1, name: "0001_a.sql")) {
            try edited.migrate(pool)
        }
    }

    @Test func databaseNewerThanTheBinaryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.path("db.sqlite"))
        let first = try migration("0001_a.sql", "CREATE TABLE a (x INTEGER) STRICT;")
        let second = try migration("0002_b.sql", "CREATE TABLE b (x INTEGER) STRICT;")
        try Migrator(migrations: [first, second]).migrate(pool)
        #expect(throws: StorageError.databaseNewerThanBinary(version: 2, name: "0002_b.sql")) {
            try Migrator(migrations: [first]).migrate(pool)
        }
    }

    @Test func failingMigrationLeavesNoTraceAndIsNotRecorded() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.path("db.sqlite"))
        let broken = try migration("0001_a.sql", "CREATE TABLE a (x INTEGER) STRICT; CREATE TABLE oops (;")
        #expect(throws: StorageError.self) { try Migrator(migrations: [broken]).migrate(pool) }
        let (tableExists, applied) = try pool.read { db in (try db.tableExists("a"), try Migrator.applied(db)) }
        #expect(tableExists == false)
        #expect(applied.isEmpty)
    }

    @Test func duplicateVersionsAndBadNamesAreRejected() throws {
        #expect(throws: StorageError.invalidMigrationFile(name: "initial.sql")) {
            try Migration(name: "initial.sql", sql: "")
        }
        let a = try migration("0001_a.sql", "")
        let b = try migration("0001_b.sql", "")
        #expect(throws: StorageError.invalidMigrationFile(name: "0001_b.sql")) {
            try Migrator(migrations: [a, b])
        }
    }

    @Test func corruptDatabaseFailsTheStartUpIntegrityCheck() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("db.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: "CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
                try db.execute(sql: "CREATE INDEX filler_body ON filler (body)")
                for i in 0..<400 {
                    try db.execute(sql: "INSERT INTO filler (body) VALUES (?)", arguments: [String(repeating: "x\(i)", count: 40)])
                }
            }
            try queue.close()
        }
        // Overwrite the middle pages (not the header) with garbage.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        #expect {
            try Registry.open(at: path)
        } throws: { error in
            guard case StorageError.integrityCheckFailed = error else { return false }
            return true
        }
    }
}
