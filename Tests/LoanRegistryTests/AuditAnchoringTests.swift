import Foundation
import GRDB
@testable import LoanRegistry
import RegistryTestSupport
import Testing

/// Issue 14: signed checkpoints kept outside the database, rows covered by the chain, and the
/// released triggers — each checked against an edit made with a separate connection to the file,
/// as someone with `sqlite3` would make it.
@Suite struct AuditAnchoringTests {
    private func store(_ test: TestRegistry) -> CheckpointStore {
        CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: test.path))
    }

    @Test func checkpointsAreSignedAppendedAndRecordedOnlyWhenTheChainMoves() async throws {
        let test = try await TestRegistry()
        let store = store(test)
        guard case .created(let key) = try await test.registry.checkCheckpointKey(store) else {
            Issue.record("the first start should create the key")
            return
        }
        let mode = try FileManager.default.attributesOfItem(atPath: store.keyFile.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try await test.registry.checkCheckpointKey(store) == .matches(publicKey: key))

        let first = try #require(try await test.registry.writeCheckpoint(to: store, by: .system))
        #expect(first.number == 1 && first.hasValidSignature && first.publicKey == key)
        #expect(try await test.registry.writeCheckpoint(to: store, by: .system) == nil, "nothing changed since")
        _ = try await test.fixtures.patient()
        let second = try #require(try await test.registry.writeCheckpoint(to: store, by: .system))
        #expect(second.number == 2 && second.seq > first.seq)

        let log = try store.readLog()
        #expect(log.checkpoints == [first, second] && log.malformedLines.isEmpty)
        let recorded = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT entity_id FROM audit_events WHERE action = 'audit.checkpointed' ORDER BY seq")
        }
        #expect(recorded == ["1", "2"])
        let result = try await test.registry.verify(deep: true, checkpoints: store)
        #expect(result.passed && result.checkpoints?.checkpointsChecked == 2 && result.checkpoints?.latest == second)
    }

    @Test func twoProcessesCheckpointingAtOnceNeverShareANumber() async throws {
        let test = try await TestRegistry()
        let store = store(test)
        _ = try await test.registry.checkCheckpointKey(store)
        // A second registry on the same file stands for `audit checkpoint` run beside the server.
        let other = try Registry.open(at: test.path, texts: ConsentTextLibrary(directory: TestRegistry.repositoryTexts))
        defer { try? other.close() }
        for _ in 0..<12 {
            _ = try await test.fixtures.patient()
            async let first = test.registry.writeCheckpoint(to: store, by: .system)
            async let second = other.writeCheckpoint(to: store, by: .system)
            _ = try await (first, second)
        }
        let numbers = try store.readLog().checkpoints.map(\.number)
        #expect(numbers == Array(1...numbers.count), "numbered once each, in order: \(numbers)")
        let result = try await test.registry.verify(checkpoints: store)
        #expect(result.passed, "\(result.firstProblem)")
    }

    @Test func aCheckpointWithAChangedFieldOrAnotherKeyFails() async throws {
        let test = try await TestRegistry()
        let store = store(test)
        _ = try await test.registry.checkCheckpointKey(store)
        let real = try #require(try await test.registry.writeCheckpoint(to: store, by: .system))
        let altered = AuditCheckpoint(number: real.number, seq: real.seq - 1, headHash: real.headHash, eventCount: real.eventCount,
                                      at: real.at, publicKey: real.publicKey, signature: real.signature)
        #expect(real.hasValidSignature && !altered.hasValidSignature)

        let elsewhere = try TemporaryDirectory()
        let otherStore = CheckpointStore(directory: URL(fileURLWithPath: elsewhere.path("other")))
        try otherStore.createKeyIfMissing()
        _ = try await test.fixtures.patient()
        let foreign = try #require(try await test.registry.writeCheckpoint(to: otherStore, by: .system))
        #expect(foreign.hasValidSignature)
        let result = try await test.registry.verify(checkpoints: otherStore)
        #expect(!result.passed)
        #expect(result.checkpoints?.problems.contains { $0.contains("not a trusted checkpoint key") } == false,
                "the other folder's own key signed it")
        let trusted = try await test.registry.verify(checkpoints: otherStore, trustedKeys: [real.publicKey])
        #expect(trusted.checkpoints?.problems.contains { $0.contains("checkpoint 2: signed by key") } == true)
    }

    @Test func startUpRefusesAMissingOrDifferentKeyOnceCheckpointsExist() async throws {
        let test = try await TestRegistry()
        let store = store(test)
        _ = try await test.registry.checkCheckpointKey(store)
        let checkpoint = try #require(try await test.registry.writeCheckpoint(to: store, by: .system))
        try FileManager.default.removeItem(at: store.keyFile)
        await #expect(throws: CheckpointAnchorRefusal.keyMissing(path: store.keyFile.path, expected: checkpoint.publicKey)) {
            _ = try await test.registry.checkCheckpointKey(store)
        }
        try FileManager.default.removeItem(at: store.publicKeyFile)
        try store.createKeyIfMissing()
        let intruder = try store.readPublicKey()
        await #expect(throws: CheckpointAnchorRefusal.keyDiffers(path: store.keyFile.path, expected: checkpoint.publicKey, found: intruder)) {
            _ = try await test.registry.checkCheckpointKey(store)
        }
        // The audited reset: a new key (not the intruder's), the old one still trusted for its checkpoints.
        let after = try #require(try await test.registry.resetCheckpointAnchor(store, reason: "key file overwritten", by: test.fixtureActor))
        #expect(after.publicKey != intruder && after.publicKey != checkpoint.publicKey)
        let reset = try await test.registry.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM audit_events WHERE action = 'audit.checkpoint_anchor_reset'")
        }
        #expect(reset?.contains(checkpoint.publicKey) == true && reset?.contains("key file overwritten") == true)
        #expect(try await test.registry.checkCheckpointKey(store) == .matches(publicKey: after.publicKey))
        #expect(try await test.registry.verify(checkpoints: store).passed)
    }

    @Test func aTruncatedOrMissingLogIsReportedAndRefusedAtStart() async throws {
        let test = try await TestRegistry()
        let store = store(test)
        _ = try await test.registry.checkCheckpointKey(store)
        try await test.registry.writeCheckpoint(to: store, by: .system)
        _ = try await test.fixtures.patient()
        try await test.registry.writeCheckpoint(to: store, by: .system)
        let lines = try String(contentsOf: store.logFile, encoding: .utf8).split(separator: "\n")
        try (lines[0] + "\n").write(to: store.logFile, atomically: true, encoding: .utf8)
        let truncated = try await test.registry.verify(checkpoints: store)
        #expect(truncated.checkpoints?.problems == [
            "the chain records checkpoint 2 at event \(try await lastCheckpointEvent(test)), but the checkpoint log lacks it (the log was truncated or replaced)",
        ])
        await #expect(throws: CheckpointAnchorRefusal.self) { _ = try await test.registry.checkCheckpointKey(store) }
        try FileManager.default.removeItem(at: store.logFile)
        let missing = try await test.registry.verify(checkpoints: store)
        #expect(missing.checkpoints?.problems.first?.hasPrefix("the checkpoint log is missing") == true && !missing.passed)
    }

    private func lastCheckpointEvent(_ test: TestRegistry) async throws -> Int {
        try await test.registry.read { db in
            try Int.fetchOne(db, sql: "SELECT max(seq) FROM audit_events WHERE action = 'audit.checkpointed'") ?? 0
        }
    }

    @Test func checkpointsCatchATruncatedAndRehashedChain() async throws {
        let test = try await TestRegistry()
        let store = store(test)
        _ = try await test.registry.checkCheckpointKey(store)
        for _ in 1...3 { _ = try await test.fixtures.patient() }
        let checkpoint = try #require(try await test.registry.writeCheckpoint(to: store, by: .system))
        let outside = try test.independentConnection()
        try await outside.write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_chain_head_forward_only")
            try db.execute(sql: "DELETE FROM audit_events WHERE seq > ?", arguments: [checkpoint.seq - 2])
            try db.execute(sql: "UPDATE audit_chain_head SET seq = ?, hash = (SELECT hash FROM audit_events WHERE seq = ?)",
                           arguments: [checkpoint.seq - 2, checkpoint.seq - 2])
        }
        let result = try await test.registry.verify(checkpoints: store)
        #expect(result.auditChain.isIntact, "the chain alone looks whole")
        #expect(result.checkpoints?.problems == [
            "checkpoint 1 names event \(checkpoint.seq), but the chain ends at event \(checkpoint.seq - 2): events were removed",
        ])
        #expect(result.triggers.findings.map(\.name) == ["audit_chain_head_forward_only", "audit_events_no_delete"])
        #expect(result.triggers.findings.allSatisfy { $0.problem == "missing" } && result.triggers.releasedHash != result.triggers.actualHash)
        #expect(!result.passed)
    }

    @Test func aChangedOrAddedTriggerIsNamed() async throws {
        let test = try await TestRegistry()
        #expect(try await test.registry.verify().triggers.isIntact)
        let outside = try test.independentConnection()
        try await outside.write { db in
            try db.execute(sql: "DROP TRIGGER consents_no_update")
            try db.execute(sql: "CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents WHEN 0 BEGIN SELECT 1; END")
            try db.execute(sql: "CREATE TRIGGER quietly_added AFTER INSERT ON patients BEGIN SELECT 1; END")
        }
        let triggers = try await test.registry.verify().triggers
        #expect(triggers.findings == [.init(name: "consents_no_update", problem: "changed"),
                                      .init(name: "quietly_added", problem: "unexpected")])
    }

    @Test func everyWriteCarriesItsRowsDigestsAndAnOutsideEditIsNamed() async throws {
        let test = try await TestRegistry()
        let loan = try await test.fixtures.activeLoan()
        let patient = try await test.fixtures.patient(number: "P-EDIT")
        // The hand-over's event covers the loan and the device it moved.
        let handover = try await test.registry.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM audit_events WHERE action = 'loan.handed_over'")
        }
        #expect(handover?.contains("loans/\(loan.id)=") == true && handover?.contains("devices/\(loan.device.id)=") == true)
        #expect(try await test.registry.verify(deep: true).rows?.isIntact == true)

        let outside = try test.independentConnection()
        try await outside.write { db in
            try db.execute(sql: "UPDATE patients SET phone = '090-0000-0000' WHERE id = ?", arguments: [patient.id])
        }
        let rows = try #require(try await test.registry.verify(deep: true).rows)
        #expect(rows.findings.map { "\($0.table) \($0.id) \($0.problem.rawValue)" } == ["patients \(patient.id) changed_outside_registry"])
    }

    /// (An operation that changes a covered row and appends no event at all stops debug builds
    /// with an assertion, so every path is caught by the test suite rather than by `verify --deep`.)
    @Test func rowsChangedAfterAnOperationsLastEventAreStillCovered() async throws {
        let test = try await TestRegistry()
        let patient = try await test.fixtures.patient()
        let actor = test.fixtureActor
        try await test.registry.writer.write { db in
            try AuditLog.append(.patientCorrected, entityType: "patient", entityId: patient.id, by: actor, at: Date(), in: db)
            try db.execute(sql: "UPDATE patients SET phone = '03-0000-0001' WHERE id = ?", arguments: [patient.id])
        }
        let follow = try await test.registry.read { db in
            try Row.fetchOne(db, sql: "SELECT actor, details FROM audit_events ORDER BY seq DESC LIMIT 1")
                .map { [$0["actor"] as String, $0["details"] as String] }
        }
        #expect(follow?[0] == actor.id)
        #expect(follow?[1].contains("\"after\":\"patient.corrected\"") == true)
        #expect(try await test.registry.verify(deep: true).rows?.isIntact == true)
    }

    @Test func rowsWrittenBeforeThisVersionAreBaselinedOnce() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        // The schema as version 12 left it, with a patient an older binary wrote (no digest in any event).
        let older = try Migrator(migrations: try Migration.bundled().filter { $0.version <= 12 })
        let queue = try DatabaseQueue(path: path)
        try older.migrate(queue)
        let patientId = "00000000-0000-4000-8000-000000000012"
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO patients (id, patient_number, name, language, created_at, updated_at)
                VALUES (?, 'P-OLD', '旧 患者', 'ja', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
                """, arguments: [patientId])
        }
        try queue.close()

        let upgraded = try Registry.open(at: path, texts: ConsentTextLibrary(directory: TestRegistry.repositoryTexts),
                                         passwordHasher: PasswordHasher(cost: .testing))
        let baseline = try await upgraded.read { db in
            try String.fetchAll(db, sql: "SELECT entity_id FROM audit_events WHERE action = 'audit.rows_baselined' ORDER BY seq")
        }
        #expect(baseline == ["patients"])
        #expect(try await upgraded.verify(deep: true).passed)
        try upgraded.close()
        let again = try Registry.open(at: path, texts: ConsentTextLibrary(directory: TestRegistry.repositoryTexts),
                                      passwordHasher: PasswordHasher(cost: .testing))
        defer { try? again.close() }
        #expect(try await again.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE action = 'audit.rows_baselined'")
        } == 1)
    }
}
