import Foundation

/// `fsync` of a file or a folder, so a rename or a new file survives a power cut.
enum FileSync {
    /// Flushes `file`'s contents to disk.
    static func file(_ file: URL) throws {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BackupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno))) }
    }

    /// Flushes `folder`'s entries (a rename, a new file) to disk.
    static func directory(_ folder: URL) throws {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
