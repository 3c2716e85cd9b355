import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct FoundationCommandTests {
    @Test func migrateCreatesTheDefaultDatabase() throws {
        let directory = try TemporaryDirectory()
        let run = try BuiltBinary.run(["migrate"], in: directory.url)
        #expect(run.exitCode == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("schema is at version"))
        #expect(FileManager.default.fileExists(atPath: directory.path("data/registry.sqlite")))
    }

    @Test func verifyPassesOnAHealthyDatabaseAndFailsOnATamperedLog() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        for i in 1...3 {
            _ = try await test.registry.writer.write { db in
                try AuditLog.append(.deviceRegistered, entityType: "test", entityId: "\(i)", by: .system, at: Date(), in: db)
            }
        }
        try test.registry.close()
        let good = try BuiltBinary.run(["verify", "--db", test.path], in: test.directory.url)
        #expect(good.exitCode == 0)
        #expect(good.standardOutput.contains("audit chain: ok (3 events)"))

        try await test.independentConnection().write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_update")
            try db.execute(sql: "UPDATE audit_events SET actor = 'cli:mallory' WHERE seq = 2")
        }
        let bad = try BuiltBinary.run(["verify", "--db", test.path], in: test.directory.url)
        #expect(bad.exitCode == 1)
        #expect(bad.standardOutput.contains("BROKEN at event 2"))
    }

    @Test func verifyRefusesADatabaseThatDoesNotExistAndCreatesNone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("typo.sqlite")
        let run = try BuiltBinary.run(["verify", "--db", path], in: directory.url)
        #expect(run.exitCode == 3)
        #expect(run.standardError.contains("there is no database at \(path); check --db"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let restore = try BuiltBinary.run(["restore", "--from", directory.path("nope.sqlite"), "--db", path], in: directory.url)
        #expect(restore.exitCode == 1)
        #expect(restore.standardError.contains("there is no backup at \(directory.path("nope.sqlite")); check --from"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func startUpRefusesAChangedMigrationText() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        try test.registry.close()
        try await test.independentConnection().write { db in
            try db.execute(sql: "UPDATE schema_migrations SET sha256 = ? WHERE version = 1",
                           arguments: [String(repeating: "0", count: 64)])
        }
        let run = try BuiltBinary.run(["migrate", "--db", test.path], in: test.directory.url)
        #expect(run.exitCode == 3)
        #expect(run.standardError.contains("Migration 1 (0001_audit_log.sql) was applied to this database with a different text"))
    }

    @Test func startUpRefusesADatabaseNewerThanTheBinary() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        try test.registry.close()
        try await test.independentConnection().write { db in
            try db.execute(sql: "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', ?, '2030-01-01T00:00:00.000Z')",
                           arguments: [String(repeating: "f", count: 64)])
        }
        for command in ["migrate", "verify", "serve"] {
            let run = try BuiltBinary.run([command, "--db", test.path], in: test.directory.url)
            #expect(run.exitCode == 3, "\(command)")
            #expect(run.standardError.contains("migration 9999 (9999_future.sql), which this loan-registry does not know"))
        }
    }

    @Test func startUpRefusesAFileThatIsNotADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("junk.sqlite")
        try Data(repeating: 0x42, count: 16_384).write(to: URL(fileURLWithPath: path))
        let run = try BuiltBinary.run(["verify", "--db", path], in: directory.url)
        #expect(run.exitCode == 3)
        #expect(run.standardError.contains("integrity check"))
    }

    @Test func serveAnswersHealthAndStopsGracefullyOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let port = Int.random(in: 20_000...40_000)
        let process = try BuiltBinary.start(["serve", "--port", "\(port)"], in: directory.url)
        defer { if process.isRunning { process.terminate() } }
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/health"))
        var body: [String: Any]?
        for _ in 0..<300 where body == nil {
            if let (data, _) = try? await URLSession.shared.data(from: url) {
                body = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(body?["status"] as? String == "ok")
        #expect(body?["database"] as? String == "ok" && body?["writes"] as? String == "ok")
        let wal = directory.path("data/registry.sqlite-wal")
        let walSize = { ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? NSNumber)?.intValue ?? 0 }
        #expect(walSize() > 0, "the first start wrote the administrator account into the WAL")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(walSize() == 0, "a clean stop checkpoints the WAL into the main file")
    }
}
