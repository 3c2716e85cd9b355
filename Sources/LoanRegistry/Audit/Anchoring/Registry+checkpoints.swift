import Foundation
import GRDB

extension Registry {
    /// What the start-up check of the checkpoint folder found.
    public enum CheckpointKeyCheck: Sendable, Equatable {
        /// There was no key and no checkpoint yet: a key was created (say so once).
        case created(publicKey: String)
        /// The key is the one the checkpoints name.
        case matches(publicKey: String)
    }

    /// Checks, before serving, that the checkpoint key is the one the checkpoint log and the chain
    /// name, creating a key when there has never been one.
    ///
    /// - Throws: ``CheckpointAnchorRefusal`` when checkpoints were written but the key is missing
    ///   or a different one, or the log is missing checkpoints the chain records; or
    ///   ``CheckpointStoreError`` when the folder cannot be used.
    public func checkCheckpointKey(_ store: CheckpointStore) async throws -> CheckpointKeyCheck {
        let log = try store.readLog()
        let recorded = try await read { db in try CheckpointEvents.read(db) }
        // The log, outside the database, names the key first: an event forged into the database
        // cannot introduce a key. The chain is the fallback when the log is empty.
        let expected = log.checkpoints.last?.publicKey ?? recorded.expectedKey
        let inLog = Set(log.checkpoints.map(\.number))
        if let missing = recorded.needingLog.first(where: { !inLog.contains($0.number) }) {
            throw CheckpointAnchorRefusal.logMissingCheckpoints(
                path: store.logFile.path, firstMissing: missing.number, recorded: recorded.needingLog.count)
        }
        guard store.hasKey else {
            if let expected { throw CheckpointAnchorRefusal.keyMissing(path: store.keyFile.path, expected: expected) }
            try store.createKeyIfMissing()
            return .created(publicKey: try store.readPublicKey())
        }
        let key = try store.readPublicKey()
        if let expected, expected != key {
            throw CheckpointAnchorRefusal.keyDiffers(path: store.keyFile.path, expected: expected, found: key)
        }
        // The chain must still hold the head the last checkpoint signed: a chain cut back behind it
        // is not served (and never signed again).
        if let last = log.checkpoints.last {
            let end = try await read { db in try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain_head WHERE id = 1") ?? 0 }
            let hash = try await read { db in
                try String.fetchOne(db, sql: "SELECT hash FROM audit_events WHERE seq = ?", arguments: [last.seq])
            }
            if last.seq > end || hash != last.headHash {
                throw CheckpointAnchorRefusal.chainBehindCheckpoint(number: last.number, seq: last.seq, chainEnd: end)
            }
        }
        return .matches(publicKey: key)
    }

    /// The audited override for a refused start: retires the present key (kept beside the new
    /// one), creates a new key, records why in the chain, and writes a checkpoint with the new key.
    ///
    /// Checkpoints signed by the retired key stay verifiable by it; the event and the new key show
    /// on every evidence report.
    public func resetCheckpointAnchor(_ store: CheckpointStore, reason: String, by actor: AuditActor) async throws -> AuditCheckpoint? {
        let log = try store.readLog()
        let recorded = try await read { db in try CheckpointEvents.read(db) }
        let inLog = Set(log.checkpoints.map(\.number))
        let logLost = recorded.needingLog.contains { !inLog.contains($0.number) }
        let stamp = Timestamp.string(clock.now()).filter { $0.isNumber }
        try store.replaceKey(stamp: stamp)
        let newKey = try store.readPublicKey()
        // The key the checkpoints were signed with (named by the chain, else the log) stays trusted
        // for them; a key someone put in its place does not.
        let retired = recorded.expectedKey ?? log.checkpoints.last?.publicKey ?? ""
        let now = clock.now()
        _ = try await writer.write { db in
            try AuditLog.append(.checkpointAnchorReset, entityType: "audit_checkpoint", entityId: "key",
                                details: ["previousKey": retired, "newKey": newKey, "reason": reason,
                                          "log": logLost ? "lost" : "kept"],
                                by: actor, at: now, in: db)
        }
        return try await writeCheckpoint(to: store, by: actor)
    }

    /// Signs the chain's head, appends the checkpoint to the log (on disk before this returns) and
    /// records it in the chain.
    ///
    /// - Returns: the checkpoint, or `nil` when the chain has not moved since the last one.
    @discardableResult
    public func writeCheckpoint(to store: CheckpointStore, by actor: AuditActor) async throws -> AuditCheckpoint? {
        let now = clock.now()
        // Only a committed head is signed: it is read in a snapshot (on a reader queue, with the
        // key and the log, off the cooperative pool), appended to the log, and only then recorded
        // in the chain. A crash in between leaves a log line for a head the chain holds.
        let signed: AuditCheckpoint? = try await read { db in try store.exclusively {
            // Under the folder's lock, so a checkpoint written by another process at the same
            // moment is either wholly before this one (and in the log read here) or wholly after.
            guard let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_chain_head WHERE id = 1") else {
                throw StorageError.unavailable(reason: "audit chain head is missing")
            }
            let seq: Int = head["seq"]
            let recorded = try CheckpointEvents.read(db)
            if seq == 0 || recorded.all.last?.eventSeq == seq { return nil }
            let key = try store.signingKey()
            let log = try store.readLog()
            if let last = log.checkpoints.last, last.seq == seq, last.headHash == head["hash"] { return nil }
            let number = max(log.checkpoints.map(\.number).max() ?? 0, recorded.all.map(\.number).max() ?? 0) + 1
            let checkpoint = try AuditCheckpoint.signed(number: number, seq: seq, headHash: head["hash"],
                                                        at: Timestamp.string(now), with: key)
            try store.append(checkpoint)
            return checkpoint
        } }
        guard let checkpoint = signed else { return nil }
        _ = try await writer.write { db in
            try AuditLog.append(.checkpointed, entityType: "audit_checkpoint", entityId: String(checkpoint.number),
                                details: ["number": String(checkpoint.number), "seq": String(checkpoint.seq),
                                          "headHash": checkpoint.headHash, "publicKey": checkpoint.publicKey],
                                by: actor, at: now, in: db)
        }
        return checkpoint
    }
}

/// Start-up refused because the checkpoint anchor does not match what was written before.
public enum CheckpointAnchorRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// Checkpoints were written but the key file is gone.
    case keyMissing(path: String, expected: String)
    /// The key file holds a different key from the one that signed the checkpoints.
    case keyDiffers(path: String, expected: String, found: String)
    /// The chain records checkpoints the log does not have.
    case logMissingCheckpoints(path: String, firstMissing: Int, recorded: Int)
    /// The chain no longer holds the head the last checkpoint signed (cut back or rewritten).
    case chainBehindCheckpoint(number: Int, seq: Int, chainEnd: Int)

    public var description: String {
        switch self {
        case .keyMissing(let path, let expected):
            "the checkpoint signing key \(path) is missing, but checkpoints were signed with key "
                + "\(AuditCheckpoint.fingerprint(of: expected)). Restore the key file from your copy, "
                + "or start with --reset-checkpoint-anchor \"<why>\" (recorded in the audit log)"
        case .keyDiffers(let path, let expected, let found):
            "the checkpoint signing key \(path) is \(AuditCheckpoint.fingerprint(of: found)), but checkpoints were signed "
                + "with \(AuditCheckpoint.fingerprint(of: expected)). Put the original key back, or start with "
                + "--reset-checkpoint-anchor \"<why>\" (recorded in the audit log)"
        case .chainBehindCheckpoint(let number, let seq, let end):
            "checkpoint \(number) signed event \(seq), but the audit chain \(seq > end ? "ends at event \(end)" : "holds a different event \(seq)"): "
                + "events were removed or rewritten. Run loan-registry verify, restore the database from a backup, "
                + "or start with --reset-checkpoint-anchor \"<why>\" (recorded in the audit log; verify keeps failing)"
        case .logMissingCheckpoints(let path, let first, let recorded):
            "the checkpoint log \(path) lacks checkpoint \(first), which the audit chain records "
                + "(\(recorded) recorded in all). Restore the log from your copy, or start with "
                + "--reset-checkpoint-anchor \"<why>\" (recorded in the audit log)"
        }
    }
}
