public import Foundation
import GRDB

extension Registry {
    /// Puts a verified backup in place of the database at `target`.
    ///
    /// The backup and its checkpoint log are first copied beside the target
    /// (`target.restoring`) and synced, and that copy is verified deeply, its checkpoints against
    /// the target folder's signing key or `trustedKeys` (a backup's own public key proves
    /// nothing). Only then, holding SQLite's lock slot so no process can open the database
    /// meanwhile, is the current database (with any WAL) moved aside as
    /// `target.before-restore-<time>` and the copy renamed into place; the checkpoint log is
    /// replaced the same way and the signing key stays. The restore is recorded in the
    /// restored chain as `registry.restored`.
    ///
    /// Refuses an existing database unless `force`, and a database another process has open.
    /// Must not be called by a process that has `target` open itself.
    ///
    /// - Throws: ``RegistryError/forbidden(_:)`` unless `actor` may restore; ``BackupError``;
    ///   ``StorageError`` when the restored file cannot be opened.
    public static func restore(from backup: URL, to target: String, checkpoints targetStore: CheckpointStore,
                               trustedKeys: [String] = [], force: Bool, by actor: AuditActor, clock: RegistryClock = .system,
                               texts: ConsentTextLibrary = ConsentTextLibrary(directory: URL(fileURLWithPath: "ConsentTexts")))
        async throws -> RestoreReport {
        try actor.authorize(.backUpDatabase)
        let targetURL = URL(fileURLWithPath: target)
        guard backup.standardizedFileURL.resolvingSymlinksInPath() != targetURL.standardizedFileURL.resolvingSymlinksInPath() else {
            throw BackupError.sameFile(path: target)
        }
        let targetKey = targetStore.publicKey()
        let trusted = trustedKeys.map { $0.lowercased() } + [targetKey].compactMap { $0 }
        guard !trusted.isEmpty else { throw BackupError.noTrustedKey(folder: targetStore.directory.path) }
        let staging = URL(fileURLWithPath: target + ".restoring")
        let stagingStore = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: staging.path))
        let backupStore = CheckpointStore(directory: CheckpointStore.defaultDirectory(forDatabase: backup.path))
        let exists = try await BlockingWork.run { () -> Bool in
            let fileManager = FileManager.default
            guard fileManager.fileExists(atPath: backup.path) else {
                throw BackupError.backupUnreadable(path: backup.path, reason: "the file does not exist")
            }
            let exists = [target, target + "-wal"].contains { path in
                ((try? fileManager.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0 > 0
            }
            if exists && !force { throw BackupError.targetExists(path: target) }
            do {
                try fileManager.createDirectory(at: targetURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? fileManager.removeItem(at: staging)
                try? fileManager.removeItem(at: stagingStore.directory)
                try fileManager.copyItem(at: backup, to: staging)
                try FileSync.file(staging)
                if fileManager.fileExists(atPath: backupStore.directory.path) {
                    try fileManager.copyItem(at: backupStore.directory, to: stagingStore.directory)
                }
            } catch let error as BackupError {
                throw error
            } catch {
                throw BackupError.cannotWrite(path: staging.path, reason: error.localizedDescription)
            }
            return exists
        }
        func discardStaging() async {
            try? await BlockingWork.run {
                try? FileManager.default.removeItem(at: staging)
                try? FileManager.default.removeItem(at: stagingStore.directory)
            }
        }
        // The copy that will become the database is the one verified.
        let verification: RegistryVerification
        do {
            verification = try await verifyFile(at: staging, store: stagingStore, currentKey: nil, trustedKeys: trusted,
                                                migrator: Migrator(clock: clock))
        } catch BackupError.backupUnreadable(_, let reason) {
            await discardStaging()
            throw BackupError.backupUnreadable(path: backup.path, reason: reason)
        } catch {
            await discardStaging()
            throw error
        }
        guard verification.passed else {
            await discardStaging()
            throw BackupError.backupFailedVerification(path: backup.path, verification: verification)
        }

        let stamp = Timestamp.string(clock.now()).replacingOccurrences(of: ":", with: "")
        let keptAs: String?
        do {
            keptAs = try await BlockingWork.run { () -> String? in
                let fileManager = FileManager.default
                let lock = try DatabaseFileLock(databasePath: target)
                defer { lock.release() }
                var kept: String?
                if exists {
                    let aside = target + ".before-restore-\(stamp)"
                    for suffix in ["", "-wal"] where fileManager.fileExists(atPath: target + suffix) {
                        try fileManager.moveItem(atPath: target + suffix, toPath: aside + suffix)
                    }
                    kept = aside
                }
                if fileManager.fileExists(atPath: target + "-wal") { try fileManager.removeItem(atPath: target + "-wal") }
                try fileManager.moveItem(at: staging, to: targetURL)
                try FileSync.directory(targetURL.deletingLastPathComponent())
                return kept
            }
        } catch {
            await discardStaging()
            if let error = error as? BackupError { throw error }
            throw BackupError.cannotWrite(path: target, reason: error.localizedDescription)
        }
        let hadLog = FileManager.default.fileExists(atPath: targetStore.logFile.path)
        do {
            try await BlockingWork.run {
                try targetStore.replaceLog(with: stagingStore, stamp: stamp)
                try? FileManager.default.removeItem(at: stagingStore.directory)
            }
        } catch let error as CheckpointStoreError {
            throw BackupError.cannotWrite(path: targetStore.logFile.path, reason: error.description)
        }
        let backupKey = try stagingStore.readLog().checkpoints.last?.publicKey
        let keyMatches = targetKey.map { backupKey == nil || $0 == backupKey } ?? false

        let events = verification.auditChain.eventsChecked
        let previousKept = keptAs.map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
        let registry = try await BlockingWork.run { try Registry.open(at: target, clock: clock, texts: texts) }
        do {
            _ = try await registry.writer.write { db in
                try AuditLog.append(.restored, entityType: "backup", entityId: backup.lastPathComponent,
                                    details: ["backupEvents": String(events), "backupHeadHash": verification.auditChain.headHash,
                                              "previousKept": previousKept],
                                    by: actor, at: clock.now(), in: db)
            }
        } catch {
            try? await BlockingWork.run { try registry.close() }
            throw error
        }
        try await BlockingWork.run { try registry.checkpointWAL(); try registry.close() }
        return RestoreReport(database: target, previousKeptAs: keptAs,
                             previousLogKeptAs: hadLog ? targetStore.logFile.path + ".before-restore-\(stamp)" : nil,
                             auditEvents: events, signingKeyMatches: keyMatches, verification: verification)
    }
}
