import Foundation

/// Keeps other processes from opening a WAL database while its file is swapped (a restore), by
/// holding SQLite's own lock slot on the shared-memory file.
///
/// Every connection to a WAL database holds a shared POSIX lock on one byte of the `-shm` file
/// (SQLite's "DMS" slot, offset 128) for as long as it is open, and a connection opening the
/// database takes one too. Holding an exclusive lock there therefore fails while any process has
/// the database open, and makes any process that tries to open it meanwhile fail with "busy".
/// POSIX locks belong to the process: this process must not have the database open itself
/// (closing the descriptor would also drop SQLite's locks), so only the command line uses it.
final class DatabaseFileLock: Sendable {
    /// SQLite's unix VFS: `UNIX_SHM_BASE` (120) + `SQLITE_SHM_NLOCK` (8).
    private static let deadManSwitchOffset = 128
    private let descriptor: Int32
    private let path: String

    /// Takes the lock on the database at `databasePath`.
    ///
    /// - Throws: ``BackupError/targetInUse(path:)`` when another process has it open or the lock
    ///   cannot be taken for any other reason (it fails closed).
    init(databasePath: String) throws {
        path = databasePath + "-shm"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BackupError.targetInUse(path: databasePath) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(Self.deadManSwitchOffset)
        lock.l_len = 1
        guard fcntl(fd, F_SETLK, &lock) == 0 else {
            close(fd)
            throw BackupError.targetInUse(path: databasePath)
        }
        descriptor = fd
    }

    /// Releases the lock and removes the (empty) shared-memory file it created.
    func release() {
        unlink(path)
        close(descriptor)
    }
}
