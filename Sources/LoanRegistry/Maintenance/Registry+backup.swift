public import Foundation
import GRDB
import Glibc
import Synchronization

extension Registry {
    /// Writes a consistent copy of the database to `file` while writes go on, copies the
    /// checkpoint log and public key beside it (`file.audit/`), verifies the copy deeply, and
    /// records it in the audit chain (`registry.backup_written`).
    ///
    /// A signed checkpoint of the chain's head is written first when the chain moved since the
    /// last one. The copy is SQLite's online backup of one read snapshot, so it holds exactly the writes
    /// committed when the snapshot began; the log keeps the checkpoints of events up to the
    /// copy's head. The copy is a single file (rollback journal, no WAL, mode 600) written under
    /// a temporary name, synced, verified against this folder's signing key, then renamed. A
    /// copy that does not verify is kept as `file.failed` and recorded as
    /// `registry.backup_failed`; if the event of a good copy cannot be written, the copy is
    /// removed, so every backup in the folder has its event.
    ///
    /// - Throws: ``RegistryError/forbidden(_:)`` unless `actor` may back up (the operator or the
    ///   server's schedule); ``BackupError`` when `file` exists, cannot be written or the copy
    ///   does not verify.
    @discardableResult
    public func backup(to file: URL, checkpoints store: CheckpointStore?, by actor: AuditActor) async throws -> BackupReport {
        try actor.authorize(.backUpDatabase)
        do {
            let report = try await writeBackup(to: file, checkpoints: store, by: actor)
            lastBackupOutcome.withLock { $0 = BackupOutcome(at: report.takenAt, file: file.lastPathComponent, problem: nil) }
            return report
        } catch {
            lastBackupOutcome.withLock {
                $0 = BackupOutcome(at: clock.now(), file: file.lastPathComponent, problem: "\(error)")
            }
            throw error
        }
    }

    /// The last backup this process wrote, for `/health`.
    public var lastBackup: BackupOutcome? {
        lastBackupOutcome.withLock { $0 }
    }

    private func writeBackup(to file: URL, checkpoints store: CheckpointStore?, by actor: AuditActor) async throws -> BackupReport {
        let partial = URL(fileURLWithPath: file.path + ".partial")
        let backupStore = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: file.path))
        try await BlockingWork.run {
            let fileManager = FileManager.default
            guard !fileManager.fileExists(atPath: file.path) else { throw BackupError.destinationExists(path: file.path) }
            let folder = file.deletingLastPathComponent()
            do {
                try fileManager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw BackupError.cannotWrite(path: file.path, reason: "cannot create the folder \(folder.path)")
            }
            try? fileManager.removeItem(at: partial)
        }
        // A signed checkpoint of the head first, so the copy's chain is anchored by a checkpoint
        // in its own log (a restore trusts nothing else). Skipped when nothing changed since the last.
        if let store, store.hasKey { _ = try? await writeCheckpoint(to: store, by: actor) }
        let takenAt = clock.now()
        let start = ContinuousClock.now
        struct Copied: Sendable { let seq: Int; let hash: String; let checkpoints: Int; let bytes: Int64 }
        let copied: Copied
        do {
            copied = try await read { db in
                // The snapshot begins with this read; the log is read after it, so it holds every
                // checkpoint the snapshot records (see writeCheckpoint).
                let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_chain_head WHERE id = 1")
                let seq: Int = head?["seq"] ?? 0
                let count = try store?.copyLog(upTo: seq, into: backupStore) ?? 0
                // Created owner-only: it holds every patient's data.
                let created = Glibc.open(partial.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                guard created >= 0 else { throw BackupError.cannotWrite(path: partial.path, reason: String(cString: strerror(errno))) }
                Glibc.close(created)
                let destination = try DatabaseQueue(path: partial.path)
                try destination.writeWithoutTransaction { destinationDB in
                    try db.backup(to: destinationDB)
                    try destinationDB.execute(sql: "PRAGMA journal_mode = DELETE")
                }
                try destination.close()
                try FileSync.file(partial)
                let bytes = ((try? FileManager.default.attributesOfItem(atPath: partial.path))?[.size] as? NSNumber)?.int64Value ?? 0
                return Copied(seq: seq, hash: head?["hash"] ?? "", checkpoints: count, bytes: bytes)
            }
        } catch {
            try? await BlockingWork.run { try? FileManager.default.removeItem(at: partial) }
            switch error {
            case let error as BackupError: throw error
            case let error as CheckpointStoreError: throw BackupError.cannotWrite(path: file.path, reason: error.description)
            case let error as DatabaseError:
                throw BackupError.cannotWrite(path: file.path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
            default: throw BackupError.cannotWrite(path: file.path, reason: "\(error)")
            }
        }
        let copyDone = ContinuousClock.now
        // Verified against this registry's own signing key (and the keys its chain retired), the
        // same trust `verify` gives the live database.
        let verification = try await Self.verifyFile(at: partial, store: store == nil ? nil : backupStore,
                                                      currentKey: store?.publicKey(), trustedKeys: [], migrator: migrator)
        let verifyDone = ContinuousClock.now
        guard verification.passed else {
            let kept = URL(fileURLWithPath: file.path + ".failed")
            try? await BlockingWork.run {
                try? FileManager.default.removeItem(at: kept)
                try FileManager.default.moveItem(at: partial, to: kept)
            }
            _ = try? await writer.write { db in
                try AuditLog.append(.backupFailed, entityType: "backup", entityId: kept.lastPathComponent,
                                    details: ["problem": verification.firstProblem], by: actor, at: takenAt, in: db)
            }
            throw BackupError.copyFailedVerification(path: kept.path, verification: verification)
        }
        try await BlockingWork.run {
            try FileManager.default.moveItem(at: partial, to: file)
            try FileSync.directory(file.deletingLastPathComponent())
        }
        do {
            _ = try await writer.write { db in
                try AuditLog.append(.backupWritten, entityType: "backup", entityId: file.lastPathComponent,
                                    details: ["events": String(copied.seq), "headHash": copied.hash, "bytes": String(copied.bytes),
                                              "verified": "deep"],
                                    by: actor, at: takenAt, in: db)
            }
        } catch {
            // No backup without its event: the copy goes.
            try? await BlockingWork.run {
                try? FileManager.default.removeItem(at: file)
                try? FileManager.default.removeItem(at: backupStore.directory)
            }
            throw error
        }
        return BackupReport(file: file.path, auditFolder: backupStore.directory.path, takenAt: takenAt, bytes: copied.bytes,
                            auditEvents: copied.seq, headHash: copied.hash, checkpointsCopied: copied.checkpoints,
                            copyMilliseconds: (copyDone - start).milliseconds,
                            verifyMilliseconds: (verifyDone - copyDone).milliseconds, verification: verification)
    }

    /// Verifies a backup file at rest, read-only: `integrity_check`, the audit chain, the
    /// triggers, every covered row, and its checkpoint log (`file.audit/`).
    ///
    /// - Parameter trustedKeys: the public keys (hex) its checkpoints may be signed by — this
    ///   clinic's key, e.g. from `loan-registry keys show-public` or the copy kept off the
    ///   machine. A backup carries its own public key, but anyone who forged a backup could have
    ///   written that too, so it is not trusted by itself. Empty: the checkpoints' signatures are
    ///   checked but no key is trusted, and the verification fails if there are checkpoints.
    public static func verifyBackup(at file: URL, trustedKeys: [String]) async throws -> RegistryVerification {
        let store = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: file.path))
        return try await verifyFile(at: file, store: store, currentKey: nil,
                                    trustedKeys: trustedKeys.isEmpty ? ["-"] : trustedKeys, migrator: Migrator(clock: .system))
    }

    /// Every check of ``verify(deep:checkpoints:trustedKeys:)`` (deep) on a file at rest, read-only.
    static func verifyFile(at file: URL, store: CheckpointStore?, currentKey: String?, trustedKeys: [String],
                           migrator: Migrator) async throws -> RegistryVerification {
        try await BlockingWork.run {
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw BackupError.backupUnreadable(path: file.path, reason: "the file does not exist")
            }
            var configuration = Configuration()
            configuration.readonly = true
            do {
                let queue = try DatabaseQueue(path: file.path, configuration: configuration)
                defer { try? queue.close() }
                return try queue.read { db in
                    _ = try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain_head WHERE id = 1")
                    let log = try store?.readLog()
                    return try RegistryVerification.check(db, migrator: migrator, log: log, currentKey: currentKey,
                                                          trustedKeys: trustedKeys, deep: true)
                }
            } catch let error as DatabaseError {
                throw BackupError.backupUnreadable(path: file.path, reason: error.message ?? "not a loan-registry database")
            }
        }
    }
}
