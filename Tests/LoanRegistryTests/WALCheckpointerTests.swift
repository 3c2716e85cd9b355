import Foundation
import GRDB
@testable import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct WALCheckpointerTests {
    /// Writes about `pages` pages of WAL in commits of 100, through the registry's writer.
    private func fillWAL(_ test: TestRegistry, pages: Int) async throws {
        try await test.registry.writer.write { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS scratch (data BLOB)") }
        for _ in 0..<(pages / 100) {
            try await test.registry.writer.write { db in
                for _ in 0..<100 { try db.execute(sql: "INSERT INTO scratch VALUES (randomblob(3900))") }
            }
        }
    }

    private func walFrames(_ path: String) -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        return max(0, size - 32) / (4096 + 24)
    }

    @Test func theLogIsCopiedIntoTheMainFileOffTheWriter() async throws {
        let test = try await TestRegistry()
        func mainSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: test.path)[.size] as? Int ?? 0 }
        let mainBefore = try mainSize()
        try await fillWAL(test, pages: 1500)
        // The commit past 1000 pages only woke the checkpointer; it copies the log on its own thread.
        test.registry.walCheckpointer.waitUntilIdle()
        let grown = try mainSize() - mainBefore
        #expect(test.registry.walCheckpointer.completedCheckpoints >= 1,
                "no background checkpoint: \(test.registry.walCheckpointer.lastFailure ?? "no failure either")")
        #expect(grown >= 900 * 4096, "the main file received \(grown) bytes of the log")
        // Copied, the log starts again from its beginning: 3,000 more pages leave it far shorter
        // than the 4,500 written (SQLite's own checkpoint keeps it near 1,000 in the same way).
        try await fillWAL(test, pages: 3000)
        test.registry.walCheckpointer.waitUntilIdle()
        #expect(walFrames(test.path) < 3500, "the log holds \(walFrames(test.path)) frames")
        #expect(test.registry.walCheckpointer.completedCheckpoints >= 2, "the second burst was not copied as it came")
    }

    @Test func aShutdownCheckpointWaitsForTheBackgroundOneAndBackgroundOnesGoOnAfter() async throws {
        let test = try await TestRegistry()
        try await fillWAL(test, pages: 1200)
        #expect(try test.registry.checkpointWAL(), "the TRUNCATE checkpoint did not copy the whole log")
        #expect(walFrames(test.path) == 0)
        let before = test.registry.walCheckpointer.completedCheckpoints
        try await fillWAL(test, pages: 1200)
        test.registry.walCheckpointer.waitUntilIdle()
        #expect(test.registry.walCheckpointer.completedCheckpoints > before)
    }

    @Test func theWriterNoLongerCheckpointsAtAThousandPages() async throws {
        let test = try await TestRegistry()
        test.registry.walCheckpointer.stop()  // nothing copies the log in the background now
        try await fillWAL(test, pages: 1500)
        // SQLite's automatic checkpoint would have copied the log at 1000 pages; the hook only
        // schedules, so all 1500 pages are still waiting in the log.
        let frames = try await DatabaseQueue(path: test.path).writeWithoutTransaction { db in
            try #require(try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)"))[1] as Int
        }
        #expect(frames >= 1500)
        #expect(test.registry.walCheckpointer.completedCheckpoints == 0)
    }
}
