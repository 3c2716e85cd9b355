import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct AuditChainTests {
    /// A registry with five chained events, closed, plus a raw connection with the guard triggers dropped.
    private func tamperableLog() async throws -> (TestRegistry, DatabaseQueue) {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        for i in 1...5 {
            _ = try await test.registry.writer.write { db in
                try AuditLog.append(.deviceRegistered, entityType: "device", entityId: "D\(i)",
                                    details: ["assetTag": "HOL-000\(i)", "status": "available"],
                                    by: .commandLine(user: "tester"), at: Date(), in: db)
            }
        }
        #expect(try await test.registry.verify().auditChain.isIntact)
        try test.registry.close()
        let raw = try test.independentConnection()
        try await raw.write { db in
            for trigger in ["audit_events_no_update", "audit_events_no_delete", "audit_events_extend_head",
                            "audit_events_move_head", "audit_chain_head_forward_only"] {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
        }
        return (test, raw)
    }

    private func verify(_ raw: DatabaseQueue) throws -> AuditChainVerification {
        try raw.read { db in try AuditChainVerification.verify(db) }
    }

    @Test func appendedEventsFormAnIntactChain() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        for i in 1...3 {
            _ = try await test.registry.writer.write { db in
                try AuditLog.append(.deviceRegistered, entityType: "test", entityId: "\(i)", by: .system, at: Date(), in: db)
            }
        }
        let result = try await test.registry.verify()
        #expect(result.passed)
        #expect(result.auditChain.eventsChecked == 3)
        let events = try await test.registry.read { db in try AuditEvent.fetchAll(db, sql: "SELECT * FROM audit_events ORDER BY seq") }
        #expect(events.first?.previousHash == AuditEvent.genesisHash)
        #expect(events[1].previousHash == events[0].hash)
        #expect(events.allSatisfy { $0.hash == $0.expectedHash })
    }

    @Test func theDatabaseRejectsUpdatesAndDeletes() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        _ = try await test.registry.writer.write { db in
            try AuditLog.append(.deviceRegistered, entityType: "test", entityId: "1", by: .system, at: Date(), in: db)
        }
        await #expect(throws: DatabaseError.self) {
            try await test.registry.writer.write { db in try db.execute(sql: "UPDATE audit_events SET actor = 'mallory'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await test.registry.writer.write { db in try db.execute(sql: "DELETE FROM audit_events") }
        }
        await #expect(throws: DatabaseError.self) {
            try await test.registry.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO audit_events VALUES (7, '2026-01-01T00:00:00.000Z', 'x', 'x', 'x', 'x', '{}', ?, ?)
                    """, arguments: [AuditEvent.genesisHash, String(repeating: "1", count: 64)])
            }
        }
        #expect(try await test.registry.verify().auditChain.isIntact)
    }

    @Test(arguments: [
        ("occurred_at", "'2020-01-01T00:00:00.000Z'"),
        ("actor", "'cli:mallory'"),
        ("action", "'device.retired'"),
        ("entity_type", "'loan'"),
        ("entity_id", "'D9'"),
        ("details", "'{\"assetTag\":\"HOL-9999\"}'"),
        ("prev_hash", "'\(String(repeating: "a", count: 64))'"),
        ("hash", "'\(String(repeating: "b", count: 64))'"),
    ])
    func changingAnyColumnOfAnyEventIsDetected(column: String, value: String) async throws {
        let (_, raw) = try await tamperableLog()
        try await raw.write { db in try db.execute(sql: "UPDATE audit_events SET \(column) = \(value) WHERE seq = 3") }
        let result = try verify(raw)
        #expect(result.firstBreak?.seq == 3, "tampering with \(column) went unnoticed: \(result)")
    }

    @Test func changingTheSequenceNumberIsDetected() async throws {
        let (_, raw) = try await tamperableLog()
        try await raw.write { db in try db.execute(sql: "UPDATE audit_events SET seq = 30 WHERE seq = 3") }
        #expect(try verify(raw).firstBreak?.seq == 3)
    }

    @Test(arguments: [1, 3, 5])
    func aDeletedEventIsDetected(seq: Int) async throws {
        let (_, raw) = try await tamperableLog()
        try await raw.write { db in try db.execute(sql: "DELETE FROM audit_events WHERE seq = ?", arguments: [seq]) }
        let result = try verify(raw)
        #expect(result.isIntact == false)
        #expect(result.firstBreak?.seq == seq)
    }

    @Test func anInsertedEventIsDetectedEvenWithAValidHash() async throws {
        let (_, raw) = try await tamperableLog()
        try await raw.write { db in
            let last = try AuditEvent.fetchOne(db, sql: "SELECT * FROM audit_events WHERE seq = 5")
            var forged = AuditEvent(seq: 6, occurredAt: "2026-11-21T00:00:00.000Z", actor: "cli:mallory",
                                    action: "device.retired", entityType: "device", entityId: "D1", details: "{}",
                                    previousHash: last?.hash ?? "", hash: "")
            forged.hash = forged.expectedHash
            try db.execute(sql: "INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [forged.seq, forged.occurredAt, forged.actor, forged.action, forged.entityType,
                                       forged.entityId, forged.details, forged.previousHash, forged.hash])
        }
        #expect(try verify(raw).firstBreak?.seq == 6)
    }

    @Test func anEventInsertedIntoAGapIsDetected() async throws {
        let (_, raw) = try await tamperableLog()
        try await raw.write { db in
            try db.execute(sql: "UPDATE audit_events SET seq = seq + 10 WHERE seq >= 4")
            try db.execute(sql: """
                INSERT INTO audit_events VALUES (4, '2026-01-01T00:00:00.000Z', 'x', 'x', 'x', 'x', '{}', ?, ?)
                """, arguments: [AuditEvent.genesisHash, String(repeating: "c", count: 64)])
        }
        #expect(try verify(raw).firstBreak?.seq == 4)
    }
}
