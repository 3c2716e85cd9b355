import Dispatch
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// Copies the write-ahead log into the main database file on a thread of its own, so that no
/// caller waits for it.
///
/// SQLite's default (`wal_autocheckpoint`, 1000 pages) runs the checkpoint inside the commit that
/// takes the log past 1000 pages: every caller of that group commit waits for the copy and the
/// main file's fsync. Measured on the overdue list (each page of 50 loans commits 50 read events),
/// one answer in thirty or so paid for it, which set the list's p99.
///
/// Instead, the writer connection's WAL hook notes the log's length after each commit. Past
/// ``threshold`` pages it wakes this checkpointer, which runs `PRAGMA wal_checkpoint(PASSIVE)`
/// on a connection of its own while writers and readers carry on. Should it fall behind (or be
/// unable to open its connection), the hook checkpoints in the commit itself once the log
/// reaches ``safetyNet`` pages, as SQLite would have at its threshold.
final class WALCheckpointer: Sendable {
    /// Log pages past which a background checkpoint starts (SQLite's own default).
    let threshold: Int32 = 1000
    /// Log pages past which the commit itself checkpoints.
    let safetyNet: Int32 = 4000

    private struct Resources {
        /// Opened at the first checkpoint.
        var connection: DatabaseQueue?
        var stopped = false
        /// Whether the last attempt failed (a failure is logged once, not at every commit).
        var failing = false
        var lastFailure: String?
    }

    private let path: String
    private let logger: Logger
    private let queue = DispatchQueue(label: "loan-registry.wal-checkpoint", qos: .userInitiated)
    /// 0: idle; 1: a checkpoint is scheduled or running; 2: and another is wanted after it (the
    /// log grew while it ran: without it, the last commits of a burst would wait for the next).
    private let state = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let resources = Mutex(Resources())
    /// Whether the hook holds a reference to this checkpointer (balanced by ``uninstall(from:)``).
    private let installed = Atomic<Bool>(false)

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Background checkpoints that copied the log so far (for tests).
    var completedCheckpoints: Int { completed.load(ordering: .acquiring) }

    /// Why the last background checkpoint could not run, if it could not (for tests and diagnostics).
    var lastFailure: String? { resources.withLock { $0.lastFailure } }

    /// Installs the WAL hook on the writer connection (replacing SQLite's automatic checkpoint).
    ///
    /// The hook keeps this checkpointer alive (a retained reference, handed back by
    /// ``uninstall(from:)``): the writer connection may outlive the registry that opened it.
    func install(on db: Database) {
        guard let handle = db.sqliteConnection,
              installed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        sqlite3_wal_hook(handle, { context, handle, _, pages in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if pages >= checkpointer.safetyNet {
                sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= checkpointer.threshold {
                checkpointer.schedule()
            }
            return SQLITE_OK
        }, Unmanaged.passRetained(self).toOpaque())
    }

    /// Removes the hook (the writer checkpoints as SQLite does by default again).
    func uninstall(from db: Database) {
        guard let handle = db.sqliteConnection,
              installed.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        sqlite3_wal_hook(handle, nil, nil)
        sqlite3_wal_autocheckpoint(handle, threshold)
        Unmanaged.passUnretained(self).release()
    }

    /// Runs `body` while no background checkpoint runs (one that is due runs after it).
    func pausing<T>(_ body: () throws -> T) rethrows -> T {
        try queue.sync(execute: body)
    }

    /// Waits for a running checkpoint and closes the checkpointer's connection; later commits
    /// schedule nothing.
    func stop() {
        queue.sync {
            let connection = resources.withLock { resources in
                resources.stopped = true
                defer { resources.connection = nil }
                return resources.connection
            }
            try? connection?.close()
        }
    }

    /// Returns once no checkpoint is scheduled or running (for tests).
    func waitUntilIdle() {
        while state.load(ordering: .acquiring) != 0 {
            queue.sync {}
        }
    }

    /// Checkpoints in the background; when one is already running, once more after it.
    private func schedule() {
        while true {
            switch state.load(ordering: .acquiring) {
            case 0:
                guard state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else {
                    continue
                }
                queue.async { self.run() }
                return
            case 1:
                guard state.compareExchange(expected: 1, desired: 2, ordering: .acquiringAndReleasing).exchanged else {
                    continue
                }
                return
            default:
                return
            }
        }
    }

    /// Runs checkpoints until no more are wanted (on `queue`).
    private func run() {
        repeat {
            state.store(1, ordering: .releasing)
            if resources.withLock({ $0.stopped }) { break }
            checkpoint()
        } while !state.compareExchange(expected: 1, desired: 0, ordering: .acquiringAndReleasing).exchanged
        if resources.withLock({ $0.stopped }) { state.store(0, ordering: .releasing) }
    }

    /// One passive checkpoint on the checkpointer's connection (on `queue`).
    private func checkpoint() {
        do {
            let connection = try resources.withLock { resources in
                if let connection = resources.connection { return connection }
                var configuration = Configuration()
                configuration.busyMode = .immediateError
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                let connection = try DatabaseQueue(path: path, configuration: configuration)
                resources.connection = connection
                return connection
            }
            // (busy, log pages, pages copied): busy when another checkpoint held the lock.
            let busy = try connection.writeWithoutTransaction { db in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)").map { ($0[0] as Int?) ?? 0 } ?? 0
            }
            guard busy == 0 else { return }  // another connection was checkpointing: nothing wrong
            completed.add(1, ordering: .releasing)
            let recovered = resources.withLock { resources in
                defer { resources.failing = false; resources.lastFailure = nil }
                return resources.failing
            }
            if recovered { logger.notice("background WAL checkpoints work again") }
        } catch {
            // Runs again at the next commit past the threshold, and at the safety net in the commit.
            failed((error as? DatabaseError).map { "SQLite \($0.resultCode.primaryResultCode.rawValue)" } ?? "\(error)")
        }
    }

    private func failed(_ reason: String) {
        let first = resources.withLock { resources in
            defer { resources.failing = true; resources.lastFailure = reason }
            return !resources.failing
        }
        if first {
            logger.warning("background WAL checkpoint failed; commits checkpoint themselves past the safety net",
                           metadata: ["reason": "\(reason)", "safetyNetPages": "\(safetyNet)"])
        }
    }
}
