import Dispatch
public import GRDB
import Synchronization

/// The registry's only writer: batches concurrent write operations into shared commits.
///
/// Callers hand in a closure over the database. While one batch is committing (waiting for
/// its fsync), new operations queue up; the next batch takes all of them, runs each in its
/// own savepoint inside one `BEGIN IMMEDIATE` transaction and commits once. A throwing
/// operation rolls back only its savepoint; the others still commit. Every caller is
/// answered only after the commit that made its work durable (or with its own error).
///
/// The batch loop runs on a dedicated dispatch queue and GRDB's writer queue, never on
/// Swift's cooperative thread pool.
public final class GroupCommitWriter: Sendable {
    /// Counts of the writer's work so far, for tests, benchmarks and `/health`.
    public struct Statistics: Sendable, Equatable {
        /// Transactions committed.
        public var commits: Int
        /// Operations that committed.
        public var committedOperations: Int
        /// Operations that failed (their savepoint was rolled back).
        public var failedOperations: Int
    }

    private struct PendingWrite: Sendable {
        let operation: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    /// Whether the last transaction committed, for `/health`.
    public enum Status: Sendable, Equatable {
        /// The last transaction committed (or none was tried yet).
        case ok
        /// The last transaction failed as a whole: nothing of it is on disk.
        case unavailable(reason: String)
    }

    private struct State {
        var pending: [PendingWrite] = []
        var draining = false
        var statistics = Statistics(commits: 0, committedOperations: 0, failedOperations: 0)
        var status = Status.ok
    }

    private let database: any DatabaseWriter
    private let maximumBatch: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "loan-registry.group-commit", qos: .userInitiated)

    private let afterSignInChange: @Sendable () -> Void

    /// A writer over `database`.
    ///
    /// - Parameters:
    ///   - database: The database written; its writer connection should have ``RowChanges``
    ///     installed (the registry does), else `afterSignInChange` never runs.
    ///   - maximumBatch: At most this many operations share one commit; 1 turns group commit off
    ///     (one transaction per operation, as the benchmark compares).
    ///   - afterSignInChange: Runs after a transaction that changed sessions, staff accounts or the
    ///     sign-in settings (as SQLite's update hook saw it), before any of its callers is
    ///     answered: the registry empties its cache of checked sign-ins there.
    public init(_ database: any DatabaseWriter, maximumBatch: Int = 512,
                afterSignInChange: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.maximumBatch = max(1, maximumBatch)
        self.afterSignInChange = afterSignInChange
    }

    /// Runs `operation` in its own savepoint of the next group commit and returns its result
    /// once that commit is durable.
    public func write<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { continuation in
            enqueue(PendingWrite(operation: { db in try operation(db) }, continuation: continuation))
        }
        guard let typed = value as? T else {
            preconditionFailure("GroupCommitWriter returned a value of the wrong type")
        }
        return typed
    }

    /// Counts of commits and operations so far.
    public var statistics: Statistics {
        state.withLock { $0.statistics }
    }

    /// Whether the last transaction committed; a failed one names its reason (disk full, busy, …).
    public var status: Status {
        state.withLock { $0.status }
    }

    /// The most operations one commit takes (1: group commit is off).
    public var batchLimit: Int { maximumBatch }

    /// Operations waiting for the next batch (not counting the batch being committed).
    public var pendingCount: Int {
        state.withLock { $0.pending.count }
    }

    private func enqueue(_ write: PendingWrite) {
        let startDrain = state.withLock { state in
            state.pending.append(write)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if startDrain {
            queue.async { self.drain() }
        }
    }

    private func drain() {
        while true {
            let batch: [PendingWrite] = state.withLock { state in
                guard !state.pending.isEmpty else {
                    state.draining = false
                    return []
                }
                let count = min(state.pending.count, maximumBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    /// Runs one batch in one transaction and answers every caller after the commit.
    ///
    /// If the transaction itself fails (SQLite abandons it, e.g. disk full, or the commit fails),
    /// nothing of the batch is on disk and every caller gets ``StorageError/unavailable(reason:)``.
    private func commit(_ batch: [PendingWrite]) {
        var outcomes: [Result<any Sendable, any Error>] = []
        var transactionError: (any Error)?
        var signInChanged = false
        do {
            try database.writeWithoutTransaction { db in
                defer { signInChanged = RowChanges.on(db)?.takeSignInStateChanged() ?? false }
                try db.inTransaction(.immediate) {
                    for write in batch {
                        do {
                            var value: (any Sendable)?
                            RowChanges.on(db)?.reset()
                            try db.inSavepoint {
                                value = try write.operation(db)
                                try AuditLog.recordRemainingRows(in: db)
                                return .commit
                            }
                            outcomes.append(value.map { .success($0) } ?? .failure(StorageError.unavailable(reason: "no result")))
                        } catch {
                            guard db.isInsideTransaction else { throw error }  // SQLite abandoned the batch
                            outcomes.append(.failure(ConstraintFailure.translate(error)))
                        }
                    }
                    return .commit
                }
            }
        } catch {
            transactionError = Self.storageError(error)
        }

        // After the commit (or its failure: emptying the cache then costs a read, nothing more)
        // and before any caller learns of it, so no one acts on a sign-in it ended.
        if signInChanged { afterSignInChange() }
        var committed = 0
        for (index, write) in batch.enumerated() {
            if let transactionError {
                write.continuation.resume(throwing: transactionError)
            } else {
                switch outcomes[index] {
                case .success(let value):
                    committed += 1
                    write.continuation.resume(returning: value)
                case .failure(let error):
                    write.continuation.resume(throwing: error)
                }
            }
        }
        state.withLock { state in
            if transactionError == nil && committed > 0 { state.statistics.commits += 1 }
            if let transactionError {
                state.status = .unavailable(reason: (transactionError as? StorageError)?.reason ?? "the write could not be committed")
            } else {
                state.status = .ok
            }
            state.statistics.committedOperations += committed
            state.statistics.failedOperations += batch.count - committed
        }
    }

    /// A failed transaction as the storage error callers see (503 over HTTP).
    private static func storageError(_ error: any Error) -> StorageError {
        guard let error = error as? DatabaseError else { return .unavailable(reason: "the write could not be committed") }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL: return .unavailable(reason: "the disk is full")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .unavailable(reason: "the database is busy")
        case .SQLITE_MISUSE: return .unavailable(reason: "the database is closed")
        case .SQLITE_READONLY: return .unavailable(reason: "the database file is read-only")
        case .SQLITE_IOERR: return .unavailable(reason: "the disk reported a write error")
        case .SQLITE_CORRUPT: return .unavailable(reason: "the database file is damaged")
        default: return .unavailable(reason: "the write could not be committed (SQLite \(error.resultCode.primaryResultCode.rawValue))")
        }
    }
}
