import Foundation

/// Whether another process has a WAL database open, read from SQLite's own lock on the
/// shared-memory file.
///
/// Every connection to a WAL database holds a shared POSIX lock on one byte of the `-shm` file
/// (SQLite's "DMS" slot, offset 128) for as long as it is open. `F_GETLK` asks the kernel who
/// would block an exclusive lock there, without taking one. POSIX locks belong to the process,
/// so this must not be asked about a file this process has open itself (closing the descriptor
/// would drop SQLite's locks).
enum DatabaseFileLock {
    /// SQLite's unix VFS: `UNIX_SHM_BASE` (120) + `SQLITE_SHM_NLOCK` (8).
    private static let deadManSwitchOffset: Int = 128

    /// `true` when a process holds the database at `path` open.
    static func isInUse(_ path: String) -> Bool {
        let shm = path + "-shm"
        let fd = open(shm, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(deadManSwitchOffset)
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }
}
