public import Foundation
import GRDB

extension Registry {
    /// Puts a verified backup in place of the database at `target`.
    ///
    /// Refuses a backup that fails `integrity_check` or audit verification (chain, triggers,
    /// checkpoints, rows). Refuses to replace an existing database unless `force`, and even
    /// then while another process has it open. The replaced database (with any WAL) and its
    /// checkpoint log are kept beside them as `.before-restore-<time>` copies; the signing key
    /// stays. The restore is recorded in the restored chain as `registry.restored`.
    ///
    /// - Throws: ``BackupError``; ``StorageError`` when the restored file cannot be opened.
    public static func restore(from backup: URL, to target: String, checkpoints targetStore: CheckpointStore,
                               force: Bool, by actor: AuditActor, clock: RegistryClock = .system) async throws -> RestoreReport {
        let fileManager = FileManager.default
        let verification = try await verifyBackup(at: backup)
        guard verification.passed else { throw BackupError.backupFailedVerification(path: backup.path, verification: verification) }
        let targetURL = URL(fileURLWithPath: target)
        let exists = [target, target + "-wal"].contains { path in
            ((try? fileManager.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0 > 0
        }
        if exists && !force { throw BackupError.targetExists(path: target) }
        if exists && DatabaseFileLock.isInUse(target) { throw BackupError.targetInUse(path: target) }

        let stamp = Timestamp.string(clock.now()).replacingOccurrences(of: ":", with: "")
        var keptAs: String?
        do {
            try fileManager.createDirectory(at: targetURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            if exists {
                let kept = target + ".before-restore-\(stamp)"
                for suffix in ["", "-wal"] where fileManager.fileExists(atPath: target + suffix) {
                    try fileManager.moveItem(atPath: target + suffix, toPath: kept + suffix)
                }
                keptAs = kept
            }
            for suffix in ["-shm", "-wal"] where fileManager.fileExists(atPath: target + suffix) {
                try fileManager.removeItem(atPath: target + suffix)
            }
            let partial = URL(fileURLWithPath: target + ".restoring")
            try? fileManager.removeItem(at: partial)
            try fileManager.copyItem(at: backup, to: partial)
            try FileSync.file(partial)
            if fileManager.fileExists(atPath: target) { try fileManager.removeItem(atPath: target) }
            try fileManager.moveItem(at: partial, to: targetURL)
            try FileSync.directory(targetURL.deletingLastPathComponent())
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError.cannotWrite(path: target, reason: "\(error.localizedDescription)")
        }

        let backupStore = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: backup.path))
        let hadLog = fileManager.fileExists(atPath: targetStore.logFile.path)
        do {
            try targetStore.replaceLog(with: backupStore, stamp: stamp)
        } catch let error as CheckpointStoreError {
            throw BackupError.cannotWrite(path: targetStore.logFile.path, reason: error.description)
        }
        let backupKey = try backupStore.readLog().checkpoints.last?.publicKey ?? backupStore.recordedPublicKey()
        let keyMatches = targetStore.publicKey().map { backupKey == nil || $0 == backupKey } ?? false

        let registry = try Registry.open(at: target, clock: clock)
        defer { try? registry.close() }
        let events = verification.auditChain.eventsChecked
        let previousKept = keptAs.map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
        _ = try await registry.writer.write { db in
            try AuditLog.append(.restored, entityType: "backup", entityId: backup.lastPathComponent,
                                details: ["backupEvents": String(events), "backupHeadHash": verification.auditChain.headHash,
                                          "previousKept": previousKept],
                                by: actor, at: clock.now(), in: db)
        }
        return RestoreReport(database: target, previousKeptAs: keptAs,
                             previousLogKeptAs: hadLog ? targetStore.logFile.path + ".before-restore-\(stamp)" : nil,
                             auditEvents: events, signingKeyMatches: keyMatches, verification: verification)
    }
}
