public import Foundation
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// The folder outside the database that holds the checkpoint signing key and the append-only
/// checkpoint log.
///
/// By default it sits next to the database (`registry.sqlite.audit/`); point it at another disk
/// or a removable medium with `--audit-dir`. It holds:
/// - `checkpoint-signing.key`: the Ed25519 private key, mode 0600;
/// - `checkpoint-signing.pub`: its public key in hex, to copy off the machine;
/// - `checkpoints.log`: one JSON checkpoint per line, only ever appended to.
public struct CheckpointStore: Sendable {
    /// The folder.
    public let directory: URL

    /// A store in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The default folder for the database at `databasePath`: the same path with `.audit` added.
    public static func defaultDirectory(forDatabase databasePath: String) -> URL {
        URL(fileURLWithPath: databasePath + ".audit")
    }

    /// The private key file.
    public var keyFile: URL { directory.appendingPathComponent("checkpoint-signing.key") }
    /// The public key file.
    public var publicKeyFile: URL { directory.appendingPathComponent("checkpoint-signing.pub") }
    /// The checkpoint log.
    public var logFile: URL { directory.appendingPathComponent("checkpoints.log") }

    /// What reading the log found.
    public struct LogContents: Sendable, Equatable {
        /// Whether the log file exists.
        public let exists: Bool
        /// The checkpoints, in file order.
        public let checkpoints: [AuditCheckpoint]
        /// 1-based line numbers that are not a checkpoint.
        public let malformedLines: [Int]
    }

    /// Whether the key file exists.
    public var hasKey: Bool { FileManager.default.fileExists(atPath: keyFile.path) }

    /// Creates a key if there is none. Returns `true` when it created one.
    @discardableResult
    public func createKeyIfMissing() throws -> Bool {
        if hasKey { return false }
        try writeNewKey()
        return true
    }

    /// Writes a new key, keeping any existing one as `checkpoint-signing.key.replaced-<time>`.
    func replaceKey(stamp: String) throws {
        if hasKey {
            let kept = directory.appendingPathComponent("checkpoint-signing.key.replaced-\(stamp)")
            try FileManager.default.moveItem(at: keyFile, to: kept)
        }
        try writeNewKey()
    }

    private func writeNewKey() throws {
        try createDirectory()
        let key = Curve25519.Signing.PrivateKey()
        let text = "ed25519-private-key \(key.rawRepresentation.base64EncodedString())\n"
        try write(text, to: keyFile, mode: 0o600, exclusive: true)
        try? FileManager.default.removeItem(at: publicKeyFile)
        try write(key.publicKey.rawRepresentation.hexString + "\n", to: publicKeyFile, mode: 0o644, exclusive: true)
        try syncDirectory()
    }

    /// The signing key.
    ///
    /// - Throws: ``CheckpointStoreError`` when it is missing, readable by others or unreadable.
    func signingKey() throws -> Curve25519.Signing.PrivateKey {
        guard hasKey else { throw CheckpointStoreError.keyMissing(path: keyFile.path) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: keyFile.path)
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw CheckpointStoreError.keyTooOpen(path: keyFile.path, mode: String(mode, radix: 8))
        }
        guard let text = try? String(contentsOf: keyFile, encoding: .utf8) else {
            throw CheckpointStoreError.keyUnreadable(path: keyFile.path)
        }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, parts[0] == "ed25519-private-key", let raw = Data(base64Encoded: String(parts[1])),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw CheckpointStoreError.keyUnreadable(path: keyFile.path)
        }
        return key
    }

    /// The signing key's public key in hex, or `nil` when there is no readable key.
    public func publicKey() -> String? {
        try? readPublicKey()
    }

    /// The signing key's public key in hex.
    ///
    /// - Throws: ``CheckpointStoreError`` when the key is missing, readable by others or unreadable.
    public func readPublicKey() throws -> String {
        try signingKey().publicKey.rawRepresentation.hexString
    }

    /// Reads the checkpoint log.
    public func readLog() throws -> LogContents {
        guard FileManager.default.fileExists(atPath: logFile.path) else {
            return LogContents(exists: false, checkpoints: [], malformedLines: [])
        }
        guard let data = FileManager.default.contents(atPath: logFile.path) else {
            throw CheckpointStoreError.logUnreadable(path: logFile.path)
        }
        var checkpoints: [AuditCheckpoint] = []
        var malformed: [Int] = []
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !(index == lines.count - 1 && line.isEmpty) {
            if let checkpoint = try? decoder.decode(AuditCheckpoint.self, from: Data(line)) {
                checkpoints.append(checkpoint)
            } else {
                malformed.append(index + 1)
            }
        }
        return LogContents(exists: true, checkpoints: checkpoints, malformedLines: malformed)
    }

    /// Appends `checkpoint` to the log as one line and waits until it is on disk.
    func append(_ checkpoint: AuditCheckpoint) throws {
        try createDirectory()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(checkpoint)
        line.append(UInt8(ascii: "\n"))
        let created = !FileManager.default.fileExists(atPath: logFile.path)
        let fd = open(logFile.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CheckpointStoreError.logUnwritable(path: logFile.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw CheckpointStoreError.logUnwritable(path: logFile.path, reason: String(cString: strerror(errno)))
        }
        if created { try syncDirectory() }
    }

    fileprivate func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CheckpointStoreError.logUnwritable(path: directory.path, reason: "cannot create the folder")
        }
    }

    fileprivate func write(_ text: String, to file: URL, mode: mode_t, exclusive: Bool) throws {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), mode)
        guard fd >= 0 else { throw CheckpointStoreError.logUnwritable(path: file.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count, fchmod(fd, mode) == 0, fsync(fd) == 0 else {
            throw CheckpointStoreError.logUnwritable(path: file.path, reason: String(cString: strerror(errno)))
        }
    }

    fileprivate func syncDirectory() throws {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }
}

extension CheckpointStore {
    /// Runs `body` holding an exclusive lock on `checkpoints.lock` in the folder, so two processes
    /// (the server and `audit checkpoint`) never number or append checkpoints at the same time.
    /// Blocks: call it off the cooperative pool.
    func exclusively<T>(_ body: () throws -> T) throws -> T {
        try createDirectory()
        let path = directory.appendingPathComponent("checkpoints.lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CheckpointStoreError.logUnwritable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw CheckpointStoreError.logUnwritable(path: path, reason: String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// The public key as written in `checkpoint-signing.pub` (a backup's folder has no private key).
    public func recordedPublicKey() -> String? {
        guard let text = try? String(contentsOf: publicKeyFile, encoding: .utf8) else { return nil }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return key.isEmpty ? nil : key
    }

    /// Writes the log's lines that sign events up to `seq` (unchanged, byte for byte) and the
    /// public key into `destination`'s folder: the audit half of a backup. Never the private key.
    ///
    /// - Returns: the checkpoints copied.
    func copyLog(upTo seq: Int, into destination: CheckpointStore) throws -> Int {
        try destination.createDirectory()
        var kept = Data()
        var count = 0
        if let data = FileManager.default.contents(atPath: logFile.path) {
            let decoder = JSONDecoder()
            var lines = data.split(separator: UInt8(ascii: "\n"))
            // A line being appended right now is not complete yet: it belongs to a later backup.
            if data.last != UInt8(ascii: "\n"), !lines.isEmpty { lines.removeLast() }
            for line in lines {
                if let checkpoint = try? decoder.decode(AuditCheckpoint.self, from: Data(line)), checkpoint.seq > seq { continue }
                kept.append(contentsOf: line)
                kept.append(UInt8(ascii: "\n"))
                count += 1
            }
        }
        try destination.write(String(decoding: kept, as: UTF8.self), to: destination.logFile, mode: 0o644, exclusive: false)
        if let key = publicKey() ?? recordedPublicKey() {
            try destination.write(key + "\n", to: destination.publicKeyFile, mode: 0o644, exclusive: false)
        }
        try destination.syncDirectory()
        return count
    }

    /// Puts `source`'s log in place of this folder's, keeping the current one as
    /// `checkpoints.log.before-restore-<stamp>`; the key stays.
    func replaceLog(with source: CheckpointStore, stamp: String) throws {
        try createDirectory()
        if FileManager.default.fileExists(atPath: logFile.path) {
            let kept = directory.appendingPathComponent("checkpoints.log.before-restore-\(stamp)")
            do {
                try FileManager.default.moveItem(at: logFile, to: kept)
            } catch {
                throw CheckpointStoreError.logUnwritable(path: logFile.path, reason: "cannot keep the current log aside")
            }
        }
        let data = FileManager.default.contents(atPath: source.logFile.path) ?? Data()
        try write(String(decoding: data, as: UTF8.self), to: logFile, mode: 0o644, exclusive: true)
        if !FileManager.default.fileExists(atPath: publicKeyFile.path), let key = source.recordedPublicKey() {
            try write(key + "\n", to: publicKeyFile, mode: 0o644, exclusive: true)
        }
        try syncDirectory()
    }
}

/// Why the checkpoint folder could not be used.
public enum CheckpointStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There is no key file.
    case keyMissing(path: String)
    /// The key file can be read by others than its owner.
    case keyTooOpen(path: String, mode: String)
    /// The key file is not a key.
    case keyUnreadable(path: String)
    /// The log exists but cannot be read.
    case logUnreadable(path: String)
    /// The log or key cannot be written.
    case logUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .keyMissing(let path): "the checkpoint signing key \(path) does not exist"
        case .keyTooOpen(let path, let mode):
            "the checkpoint signing key \(path) has mode \(mode); only its owner may read it (chmod 600)"
        case .keyUnreadable(let path): "the checkpoint signing key \(path) is not an Ed25519 key written by loan-registry"
        case .logUnreadable(let path): "the checkpoint log \(path) cannot be read"
        case .logUnwritable(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
