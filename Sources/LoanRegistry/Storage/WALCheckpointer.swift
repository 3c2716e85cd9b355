import Dispatch
import GRDB
import GRDBSQLite
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
/// reaches ``safetyNet`` pages, as SQLite would have.
///
/// `@unchecked Sendable` at the C boundary: SQLite calls the hook on the writer connection's
/// thread; the hook touches only the atomic flag, and the connection is used only on `queue`.
final class WALCheckpointer: @unchecked Sendable {
    /// Log pages past which a background checkpoint starts (SQLite's own default).
    let threshold: Int32 = 1000
    /// Log pages past which the commit itself checkpoints.
    let safetyNet: Int32 = 16_000

    private let path: String
    private let queue = DispatchQueue(label: "loan-registry.wal-checkpoint", qos: .utility)
    /// 0: idle; 1: a checkpoint is scheduled or running; 2: and another is wanted after it (the
    /// log grew while it ran: without it, the last commits of a burst would wait for the next).
    private let state = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    /// The checkpointer's connection, opened at its first checkpoint; only used on `queue`.
    private var connection: DatabaseQueue?
    private var stopped = false
    /// Why the last background checkpoint failed, if it did (for tests and diagnostics).
    private(set) var lastFailure: String? {
        get { failure.withLock { $0 } }
        set { failure.withLock { $0 = newValue } }
    }
    private let failure = Mutex<String?>(nil)

    init(path: String) {
        self.path = path
    }

    /// Background checkpoints run so far (for tests).
    var completedCheckpoints: Int { completed.load(ordering: .acquiring) }

    /// Installs the WAL hook on the writer connection (replacing SQLite's automatic checkpoint).
    func install(on db: Database) {
        guard let handle = db.sqliteConnection else { return }
        sqlite3_wal_hook(handle, { context, handle, _, pages in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if pages >= checkpointer.safetyNet {
                sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= checkpointer.threshold {
                checkpointer.schedule()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the hook (the writer checkpoints as SQLite does by default again).
    func uninstall(from db: Database) {
        guard let handle = db.sqliteConnection else { return }
        sqlite3_wal_hook(handle, nil, nil)
        sqlite3_wal_autocheckpoint(handle, threshold)
    }

    /// Waits for a running checkpoint and closes the checkpointer's connection; later commits
    /// schedule nothing.
    func stop() {
        queue.sync {
            stopped = true
            try? connection?.close()
            connection = nil
        }
    }

    /// Checkpoints in the background; when one is already running, once more after it.
    private func schedule() {
        while true {
            switch state.load(ordering: .acquiring) {
            case 0:
                guard state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else { continue }
                queue.async { self.run() }
                return
            case 1:
                guard state.compareExchange(expected: 1, desired: 2, ordering: .acquiringAndReleasing).exchanged else { continue }
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
            guard !stopped else { break }
            do {
                if connection == nil {
                    var configuration = Configuration()
                    configuration.busyMode = .immediateError
                    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                    connection = try DatabaseQueue(path: path, configuration: configuration)
                }
                try connection?.writeWithoutTransaction { db in
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
                completed.add(1, ordering: .releasing)
            } catch {
                // A checkpoint that cannot run now runs at the next threshold, or at the safety net.
                lastFailure = "\(error)"
            }
        } while !state.compareExchange(expected: 1, desired: 0, ordering: .acquiringAndReleasing).exchanged
        if stopped { state.store(0, ordering: .releasing) }
    }
}
