public import Foundation
import GRDB
import Synchronization

extension Registry {
    /// Writes a consistent copy of the database to `file` while writes go on, copies the
    /// checkpoint log and public key beside it (`file.audit/`), then verifies the copy deeply.
    ///
    /// The copy is SQLite's online backup of one read snapshot, so it holds exactly the writes
    /// committed when the snapshot began; the log keeps the checkpoints of events up to the
    /// copy's head. The copy is a single file (rollback journal, no WAL) written under a
    /// temporary name, synced and renamed. It is recorded in the audit chain
    /// (`registry.backup_written`) once verified.
    ///
    /// - Throws: ``BackupError`` when `file` exists, cannot be written or the copy does not verify
    ///   (then it is kept as `file.failed`).
    @discardableResult
    public func backup(to file: URL, checkpoints store: CheckpointStore?, by actor: AuditActor) async throws -> BackupReport {
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
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: file.path) else { throw BackupError.destinationExists(path: file.path) }
        let folder = file.deletingLastPathComponent()
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError.cannotWrite(path: file.path, reason: "cannot create the folder \(folder.path)")
        }
        let partial = URL(fileURLWithPath: file.path + ".partial")
        try? fileManager.removeItem(at: partial)
        let backupStore = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: file.path))
        let takenAt = clock.now()
        let start = ContinuousClock.now
        struct Copied: Sendable { let seq: Int; let hash: String; let checkpoints: Int }
        let copied: Copied
        do {
            copied = try await read { db in
                // The snapshot begins with this read; the log is read after it, so it holds every
                // checkpoint the snapshot records (see writeCheckpoint).
                let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_chain_head WHERE id = 1")
                let seq: Int = head?["seq"] ?? 0
                let count = try store?.copyLog(upTo: seq, into: backupStore) ?? 0
                let destination = try DatabaseQueue(path: partial.path)
                try destination.writeWithoutTransaction { destinationDB in
                    try db.backup(to: destinationDB)
                    try destinationDB.execute(sql: "PRAGMA journal_mode = DELETE")
                }
                try destination.close()
                return Copied(seq: seq, hash: head?["hash"] ?? "", checkpoints: count)
            }
            try FileSync.file(partial)
            try fileManager.moveItem(at: partial, to: file)
            try FileSync.directory(folder)
        } catch let error as CheckpointStoreError {
            try? fileManager.removeItem(at: partial)
            throw BackupError.cannotWrite(path: file.path, reason: error.description)
        } catch let error as DatabaseError {
            try? fileManager.removeItem(at: partial)
            throw BackupError.cannotWrite(path: file.path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        } catch let error as BackupError {
            try? fileManager.removeItem(at: partial)
            throw error
        } catch {
            try? fileManager.removeItem(at: partial)
            throw BackupError.cannotWrite(path: file.path, reason: "\(error)")
        }
        let copyDone = ContinuousClock.now
        let verification = try await Self.verifyBackup(at: file, migrator: migrator)
        let verifyDone = ContinuousClock.now
        guard verification.passed else {
            let kept = URL(fileURLWithPath: file.path + ".failed")
            try? fileManager.removeItem(at: kept)
            try? fileManager.moveItem(at: file, to: kept)
            throw BackupError.copyFailedVerification(path: kept.path, verification: verification)
        }
        let bytes = ((try? fileManager.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.int64Value ?? 0
        let report = BackupReport(file: file.path, auditFolder: backupStore.directory.path, takenAt: takenAt, bytes: bytes,
                                  auditEvents: copied.seq, headHash: copied.hash, checkpointsCopied: copied.checkpoints,
                                  copyMilliseconds: (copyDone - start).milliseconds,
                                  verifyMilliseconds: (verifyDone - copyDone).milliseconds, verification: verification)
        _ = try await writer.write { db in
            try AuditLog.append(.backupWritten, entityType: "backup", entityId: file.lastPathComponent,
                                details: ["events": String(copied.seq), "headHash": copied.hash, "bytes": String(bytes),
                                          "verified": "deep"],
                                by: actor, at: takenAt, in: db)
        }
        return report
    }

    /// Verifies a backup file at rest, read-only: `integrity_check`, the audit chain, the
    /// triggers, its checkpoint log (`file.audit/`, signed by the key its public key file names
    /// or a key an audited reset retired) and every covered row.
    public static func verifyBackup(at file: URL, trustedKeys: [String] = []) async throws -> RegistryVerification {
        try await verifyBackup(at: file, migrator: Migrator(clock: .system), trustedKeys: trustedKeys)
    }

    static func verifyBackup(at file: URL, migrator: Migrator, trustedKeys: [String] = []) async throws -> RegistryVerification {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw BackupError.backupUnreadable(path: file.path, reason: "the file does not exist")
        }
        let store = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: file.path))
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result {
                    var configuration = Configuration()
                    configuration.readonly = true
                    do {
                        let queue = try DatabaseQueue(path: file.path, configuration: configuration)
                        defer { try? queue.close() }
                        return try queue.read { db in
                            _ = try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain_head WHERE id = 1")
                            let log = try store.readLog()
                            return try RegistryVerification.check(db, migrator: migrator, log: log,
                                                                  currentKey: store.recordedPublicKey(),
                                                                  trustedKeys: trustedKeys, deep: true)
                        }
                    } catch let error as DatabaseError {
                        throw BackupError.backupUnreadable(path: file.path, reason: error.message ?? "not a loan-registry database")
                    }
                })
            }
        }
    }
}
