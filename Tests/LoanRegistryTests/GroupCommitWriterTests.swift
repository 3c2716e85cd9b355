import Dispatch
import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Synchronization
import Testing

@Suite struct GroupCommitWriterTests {
    private static let table = "CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE) STRICT"

    private struct Refused: Error, Equatable {}

    /// Holds the writer's first batch open until the test has queued everything else; returns
    /// once that batch is running (so later writes queue behind it, however loaded the machine).
    private func blockWriter(_ writer: GroupCommitWriter) async throws -> (Task<Void, any Error>, DispatchSemaphore) {
        let gate = DispatchSemaphore(value: 0)
        let entered = Atomic(false)
        let task = Task {
            try await writer.write { db in
                try db.execute(sql: Self.table)
                entered.store(true, ordering: .sequentiallyConsistent)
                gate.wait()
            }
        }
        for _ in 0..<5000 where !entered.load(ordering: .sequentiallyConsistent) {
            try await Task.sleep(for: .milliseconds(2))
        }
        return (task, gate)
    }

    private func waitUntilPending(_ writer: GroupCommitWriter, count: Int) async throws {
        for _ in 0..<2000 where writer.pendingCount < count {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(writer.pendingCount == count)
    }

    @Test func queuedWritesShareOneCommit() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        let writer = test.registry.writer
        let before = writer.statistics
        let (blocker, gate) = try await blockWriter(writer)
        let results = Task {
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<100 {
                    group.addTask {
                        try await writer.write { db in
                            try db.execute(sql: "INSERT INTO probe (label) VALUES (?)", arguments: ["w\(i)"])
                            return db.lastInsertedRowID
                        }
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
        }
        try await waitUntilPending(writer, count: 100)
        gate.signal()
        try await blocker.value
        let ids = try await results.value
        #expect(Set(ids).count == 100)
        let after = writer.statistics
        #expect(after.committedOperations - before.committedOperations == 101)
        #expect(after.commits - before.commits == 2)  // the blocker's batch, then all 100 together
    }

    @Test func unorchestratedConcurrentWritesNeedFewerCommitsThanOperations() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        let writer = test.registry.writer
        try await writer.write { db in try db.execute(sql: Self.table) }
        let before = writer.statistics
        let operations = 1000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<operations {
                group.addTask {
                    try await writer.write { db in
                        try db.execute(sql: "INSERT INTO probe (label) VALUES (?)", arguments: ["c\(i)"])
                    }
                }
            }
            try await group.waitForAll()
        }
        let after = writer.statistics
        let commits = after.commits - before.commits
        print("group commit: \(operations) concurrent writes in \(commits) commits")
        #expect(after.committedOperations - before.committedOperations == operations)
        #expect(commits < operations)
        let rows = try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM probe") }
        #expect(rows == operations)
    }

    @Test func aFailingOperationRollsBackOnlyItsOwnSavepoint() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        let writer = test.registry.writer
        let before = writer.statistics
        let (blocker, gate) = try await blockWriter(writer)
        let first = Task {
            try await writer.write { db in try db.execute(sql: "INSERT INTO probe (label) VALUES ('first')") }
        }
        try await waitUntilPending(writer, count: 1)
        let failing = Task {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO probe (label) VALUES ('doomed')")
                try AuditLog.append(.deviceRegistered, entityType: "probe", entityId: "x",
                                    by: .system, at: Date(), in: db)
                throw Refused()
            }
        }
        try await waitUntilPending(writer, count: 2)
        let constraint = Task {
            // violates UNIQUE: SQLite's own error, also confined to its savepoint
            try await writer.write { db in try db.execute(sql: "INSERT INTO probe (label) VALUES ('first')") }
        }
        try await waitUntilPending(writer, count: 3)
        let last = Task {
            try await writer.write { db in try db.execute(sql: "INSERT INTO probe (label) VALUES ('last')") }
        }
        try await waitUntilPending(writer, count: 4)
        gate.signal()
        try await blocker.value
        try await first.value
        try await last.value
        await #expect(throws: Refused()) { try await failing.value }
        // A constraint the database enforced comes back as the registry's error, naming the column.
        await #expect(throws: RegistryError.duplicate(field: "label")) { try await constraint.value }

        let labels = try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT label FROM probe ORDER BY id") }
        #expect(labels == ["first", "last"])
        let audit = try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events") }
        #expect(audit == 0)
        let after = writer.statistics
        #expect(after.commits - before.commits == 2)
        #expect(after.failedOperations - before.failedOperations == 2)
    }

    @Test func noCallerIsAnsweredBeforeItsWorkIsCommitted() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        let writer = test.registry.writer
        try await writer.write { db in try db.execute(sql: Self.table) }
        let observer = try test.independentConnection()
        let unseen = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<300 {
                group.addTask {
                    let label = "v\(i)"
                    try await writer.write { db in
                        try db.execute(sql: "INSERT INTO probe (label) VALUES (?)", arguments: [label])
                    }
                    // An independent connection sees only committed data.
                    let visible = try await observer.read { db in
                        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM probe WHERE label = ?)", arguments: [label])
                    }
                    return visible == true
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 0 : 1) }
        }
        #expect(unseen == 0)
    }

    @Test func writesToAClosedDatabaseFailAsUnavailableStorage() async throws {
        let test = try await TestRegistry(withClinic: false, staffAccounts: false)
        try test.registry.close()
        await #expect(throws: StorageError.unavailable(reason: "the database is closed")) {
            try await test.registry.writer.write { db in try db.execute(sql: Self.table) }
        }
        #expect(test.registry.writer.statistics.failedOperations == 1)
    }
}
