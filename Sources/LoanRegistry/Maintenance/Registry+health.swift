import Foundation
import GRDB
import Synchronization

extension Registry {
    /// Whether writes work, as `/health` reports it.
    ///
    /// The writer remembers whether its last transaction committed. While it is failing (disk
    /// full, read-only file, another process holding the write lock), at most one probe every
    /// five seconds commits a write that changes nothing, in the background, so the status
    /// recovers once the cause is gone even if nobody writes. The answer never waits for the
    /// writer.
    public func writeStatus() -> GroupCommitWriter.Status {
        let status = writer.status
        guard status != .ok else { return status }
        let now = ContinuousClock.now
        let due = lastWriteProbe.withLock { last -> Bool in
            if let last, now - last < .seconds(5) { return false }
            last = now
            return true
        }
        if due {
            let writer = self.writer
            Task.detached {
                // Rewrites the header's application id with its own value: a real commit (a WAL
                // frame and its fsync) that changes no data and no audited row.
                _ = try? await writer.write { db in
                    let id = try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                    try db.execute(sql: "PRAGMA application_id = \(id)")
                }
            }
        }
        return status
    }

    /// The last consistency check of the database file: the one at open, or the latest
    /// ``checkIntegrity(_:)``.
    public var lastIntegrityCheck: IntegrityReport {
        integrity.withLock { $0 }
    }

    /// Runs `check` (the daily `integrity_check`, usually) on a reader, off the cooperative
    /// pool, and keeps the result for ``lastIntegrityCheck``.
    public func checkIntegrity(_ check: IntegrityCheck = .full) async throws -> IntegrityReport {
        let pool = self.pool
        let now = clock.now()
        let report = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try Registry.runIntegrityCheck(check, on: pool, at: now) })
            }
        }
        integrity.withLock { $0 = report }
        return report
    }
}
