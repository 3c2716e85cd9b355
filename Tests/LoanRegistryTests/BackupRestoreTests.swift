import Foundation
import GRDB
@testable import LoanRegistry
import RegistryTestSupport
import Synchronization
import Testing

/// Issue 15: online backups stay consistent under writes and are verified; restore refuses a
/// backup that does not verify and never replaces a database without `force`; a clean close
/// leaves every write in the main file.
@Suite struct BackupRestoreTests {
    private func store(_ path: String) -> CheckpointStore {
        CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: path))
    }

    /// Counts rows of `table` in a file at rest, through a connection of its own.
    private func count(_ table: String, in path: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    @Test func backupsTakenUnderWriteLoadHoldEveryWriteAcknowledgedBeforeThemAndVerify() async throws {
        let test = try await TestRegistry()
        let store = store(test.path)
        _ = try await test.registry.checkCheckpointKey(store)
        _ = try await test.fixtures.patient()
        _ = try await test.registry.writeCheckpoint(to: store, by: .system)
        let folder = try TemporaryDirectory()
        let acknowledged = Acknowledged()
        let fixtures = test.fixtures
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<25 {
                            _ = try await fixtures.patient()
                            acknowledged.add()
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var reports: [(before: Int, report: BackupReport)] = []
        for index in 0..<3 {
            let before = acknowledged.count
            let file = URL(fileURLWithPath: folder.path("backup-\(index).sqlite"))
            reports.append((before, try await test.registry.backup(to: file, checkpoints: store, by: .system)))
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "a backup holds every patient's data: owner only")
            if index == 1 { _ = try await test.registry.writeCheckpoint(to: store, by: .system) }
        }
        try await writers.value
        let total = try await test.fixtures.count("patients")
        for (before, report) in reports {
            #expect(report.verification.passed, "\(report.verification.firstProblem)")
            #expect(report.verification.rows != nil && report.verification.checkpoints?.isIntact == true)
            let patients = try count("patients", in: report.file)
            // The fixture patient plus every one acknowledged before the backup began; never more than exist.
            #expect(patients >= before + 1 && patients <= total)
            #expect(try count("audit_events", in: report.file) == report.auditEvents)
            // A single file: no WAL beside it, the journal mode is DELETE.
            #expect(!FileManager.default.fileExists(atPath: report.file + "-wal"))
            let backupLog = try self.store(report.file).readLog()
            #expect(!backupLog.checkpoints.isEmpty && backupLog.checkpoints.allSatisfy { $0.seq <= report.auditEvents })
            #expect(!FileManager.default.fileExists(atPath: self.store(report.file).keyFile.path), "never the private key")
        }
        // At least one copy was taken while writes were still coming in: it holds fewer patients than in the end.
        #expect(try reports.contains { try count("patients", in: $0.report.file) < total }, "a copy taken under load")
        let recorded = try await test.registry.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE action = 'registry.backup_written'")
        }
        #expect(recorded == 3)
        #expect(test.registry.lastBackup?.problem == nil && test.registry.lastBackup?.file == "backup-2.sqlite")
        await #expect(throws: BackupError.self) {
            try await test.registry.backup(to: URL(fileURLWithPath: reports[0].report.file), checkpoints: store, by: .system)
        }
    }

    @Test func restoreRefusesABackupThatDoesNotVerifyAndAnExistingDatabaseWithoutForce() async throws {
        let test = try await TestRegistry()
        let store = store(test.path)
        _ = try await test.registry.checkCheckpointKey(store)
        let patient = try await test.fixtures.patient()
        _ = try await test.registry.writeCheckpoint(to: store, by: .system)
        let folder = try TemporaryDirectory()
        let good = URL(fileURLWithPath: folder.path("good.sqlite"))
        try await test.registry.backup(to: good, checkpoints: store, by: .system)

        // A copy of the backup with one patient's phone edited outside the registry.
        let tampered = URL(fileURLWithPath: folder.path("tampered.sqlite"))
        try FileManager.default.copyItem(at: good, to: tampered)
        try FileManager.default.copyItem(at: self.store(good.path).directory, to: self.store(tampered.path).directory)
        let editor = try DatabaseQueue(path: tampered.path)
        try await editor.write { db in try db.execute(sql: "UPDATE patients SET phone = '090-0000-0000' WHERE id = ?", arguments: [patient.id]) }
        try editor.close()
        let target = folder.path("restored.sqlite")
        let targetStore = self.store(target)
        let clinicKey = try store.readPublicKey()
        // Another clinic's backup: sound in itself, signed with its own key, which this clinic does not trust.
        let elsewhere = try await TestRegistry()
        let elsewhereStore = self.store(elsewhere.path)
        _ = try await elsewhere.registry.checkCheckpointKey(elsewhereStore)
        _ = try await elsewhere.registry.writeCheckpoint(to: elsewhereStore, by: .system)
        let foreign = URL(fileURLWithPath: folder.path("foreign.sqlite"))
        try await elsewhere.registry.backup(to: foreign, checkpoints: elsewhereStore, by: .system)
        await #expect(throws: BackupError.self, "no key to trust it by") {
            try await Registry.restore(from: foreign, to: target, checkpoints: targetStore, force: true, by: .system)
        }
        await #expect {
            try await Registry.restore(from: foreign, to: target, checkpoints: targetStore, trustedKeys: [clinicKey], force: true, by: .system)
        } throws: { error in
            guard case BackupError.backupFailedVerification(_, let verification) = error else { return false }
            return verification.checkpoints?.problems.first?.contains("not a trusted checkpoint key") == true
        }
        await #expect(throws: RegistryError.self, "staff cannot restore") {
            try await Registry.restore(from: good, to: target, checkpoints: targetStore, trustedKeys: [clinicKey], force: true,
                                       by: test.fixtureActor)
        }
        await #expect {
            try await Registry.restore(from: tampered, to: target, checkpoints: targetStore, trustedKeys: [clinicKey], force: true, by: .system)
        } throws: { error in
            guard case BackupError.backupFailedVerification(_, let verification) = error else { return false }
            return verification.rows?.findings.first?.table == "patients"
        }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing written for a refused backup")
        #expect(!FileManager.default.fileExists(atPath: target + ".restoring"), "its staging copy removed")

        // Into an empty place: restored, recorded, verifies with its log.
        let report = try await Registry.restore(from: good, to: target, checkpoints: targetStore, trustedKeys: [clinicKey],
                                                force: false, by: .system)
        #expect(report.previousKeptAs == nil && report.signingKeyMatches == false)
        // Over an existing database: refused without force; with force the old one is kept aside.
        await #expect(throws: BackupError.self) {
            try await Registry.restore(from: good, to: target, checkpoints: targetStore, trustedKeys: [clinicKey], force: false, by: .system)
        }
        let again = try await Registry.restore(from: good, to: target, checkpoints: targetStore, trustedKeys: [clinicKey],
                                               force: true, by: .system)
        let kept = try #require(again.previousKeptAs)
        #expect(try count("audit_events", in: kept) == report.auditEvents + 1, "the replaced file is kept whole")

        let restored = try Registry.open(at: target)
        defer { try? restored.close() }
        let verification = try await restored.verify(deep: true, checkpoints: targetStore, trustedKeys: [clinicKey])
        #expect(verification.passed, "\(verification.firstProblem)")
        let actions = try await restored.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE seq > ? ORDER BY seq", arguments: [report.auditEvents])
        }
        #expect(actions == ["registry.restored"])
        #expect(try await restored.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patients") } == 1)
    }

    @Test func aWALCheckpointBeforeClosingLeavesEveryWriteInTheMainFile() async throws {
        let test = try await TestRegistry()
        for _ in 0..<20 { _ = try await test.fixtures.patient() }
        let walSize = { ((try? FileManager.default.attributesOfItem(atPath: test.path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0 }
        #expect(walSize() > 0)
        #expect(try test.registry.checkpointWAL())
        try test.registry.close()
        #expect(walSize() == 0)
        // The main file copied alone (no WAL) holds every patient.
        let copy = try TemporaryDirectory()
        let alone = copy.path("alone.sqlite")
        try FileManager.default.copyItem(atPath: test.path, toPath: alone)
        #expect(try count("patients", in: alone) == 20)
    }

    @Test func theFullCheckFindsAnIndexThatNoLongerMatchesItsTable() async throws {
        let test = try await TestRegistry()
        for _ in 0..<5 { _ = try await test.fixtures.device() }
        try test.registry.close()
        // Break an index behind SQLite's back: writable_schema lets a connection rewrite an
        // index's definition so it no longer matches the rows it indexes.
        let editor = try DatabaseQueue(path: test.path)
        try await editor.writeWithoutTransaction { db in
            let index = try #require(try String.fetchOne(db, sql: """
                SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'devices' AND sql IS NOT NULL LIMIT 1
                """))
            let sql = try #require(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = ?", arguments: [index]))
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE name = ?",
                           arguments: [sql.replacingOccurrences(of: "(", with: "(id, ", options: [], range: sql.range(of: "(")), index])
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        try editor.close()
        #expect {
            try Registry.open(at: test.path, integrityCheck: .full)
        } throws: { error in
            guard case StorageError.integrityCheckFailed = error else { return false }
            return true
        }
        // The quick check alone does not compare indexes with their tables: it lets the file through.
        let quick = try Registry.open(at: test.path, integrityCheck: .quick)
        #expect(quick.lastIntegrityCheck.check == .quick && quick.lastIntegrityCheck.passed)
        let full = try await quick.checkIntegrity(.full)
        #expect(!full.passed && quick.lastIntegrityCheck == full)
        try quick.close()
    }
}

/// A counter shared by the writer tasks.
private final class Acknowledged: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
