import Foundation
import GRDB

/// What `verify` found about the signed checkpoints: their log, signatures and whether the
/// chain still holds every head they name.
public struct CheckpointVerification: Sendable, Equatable, Codable {
    /// Checkpoints read from the log.
    public let checkpointsChecked: Int
    /// The newest checkpoint in the log.
    public let latest: AuditCheckpoint?
    /// Whether the checkpoint log exists.
    public let logPresent: Bool
    /// The first failure of each kind, in words; empty when everything verifies.
    public let problems: [String]

    /// `true` when every check passed.
    public var isIntact: Bool { problems.isEmpty }

    /// Checks `log` against the chain in `db`.
    ///
    /// - Parameters:
    ///   - trustedKeys: public keys (hex) a checkpoint may be signed by. Empty: the store's
    ///     current key and the keys an audited anchor reset retired.
    static func verify(_ db: Database, log: CheckpointStore.LogContents, currentKey: String?,
                       trustedKeys: [String]) throws -> CheckpointVerification {
        var problems: [String] = []
        var kinds = Set<String>()
        func note(_ kind: String, _ message: String) {
            if kinds.insert(kind).inserted { problems.append(message) }
        }
        let recorded = try CheckpointEvents.read(db)
        var trusted = Set(trustedKeys.map { $0.lowercased() })
        if trusted.isEmpty {
            if let currentKey { trusted.insert(currentKey) }
            trusted.formUnion(recorded.retiredKeys)
        }
        if let line = log.malformedLines.first {
            note("malformed", "line \(line) of the checkpoint log is not a checkpoint (the log was edited or damaged)")
        }
        if !log.exists && !recorded.needingLog.isEmpty {
            note("log-missing", "the checkpoint log is missing, but the chain records \(recorded.needingLog.count) checkpoints")
        }
        var previousNumber = 0
        // After an audited reset that declared the log lost, the new log starts where numbering
        // went on: its first checkpoint is not a gap.
        let logRestarted = recorded.logLost
        let head = try Int.fetchOne(db, sql: "SELECT max(seq) FROM audit_events") ?? 0
        for checkpoint in log.checkpoints {
            if checkpoint.number != previousNumber + 1 && checkpoint.number > previousNumber
                && !(previousNumber == 0 && logRestarted) {
                note("gap", "checkpoint \(checkpoint.number) follows checkpoint \(previousNumber) in the log: checkpoints were removed")
            } else if checkpoint.number <= previousNumber {
                note("order", "checkpoint \(checkpoint.number) follows checkpoint \(previousNumber) in the log: the log is out of order")
            }
            previousNumber = max(previousNumber, checkpoint.number)
            if !checkpoint.hasValidSignature {
                note("signature", "checkpoint \(checkpoint.number): the signature does not verify (forged or altered)")
            } else if !trusted.contains(checkpoint.publicKey) {
                note("key", "checkpoint \(checkpoint.number): signed by key \(AuditCheckpoint.fingerprint(of: checkpoint.publicKey)), "
                     + "which is not a trusted checkpoint key")
            }
            if checkpoint.seq > head {
                note("truncated", "checkpoint \(checkpoint.number) names event \(checkpoint.seq), but the chain ends at event \(head): "
                     + "events were removed")
            } else if checkpoint.seq > 0,
                      try String.fetchOne(db, sql: "SELECT hash FROM audit_events WHERE seq = ?", arguments: [checkpoint.seq])
                        != checkpoint.headHash {
                note("rewritten", "checkpoint \(checkpoint.number) names event \(checkpoint.seq), whose hash is now different: "
                     + "the chain was rewritten")
            }
        }
        if !trustedKeys.isEmpty && !log.checkpoints.contains(where: { trusted.contains($0.publicKey) && $0.hasValidSignature }) {
            note("untrusted", "no checkpoint in the log is signed by a trusted key")
        }
        let inLog = Set(log.checkpoints.map(\.number))
        if log.exists, let missing = recorded.needingLog.first(where: { !inLog.contains($0.number) }) {
            note("log-truncated", "the chain records checkpoint \(missing.number) at event \(missing.eventSeq), "
                 + "but the checkpoint log lacks it (the log was truncated or replaced)")
        }
        return CheckpointVerification(checkpointsChecked: log.checkpoints.count, latest: log.checkpoints.last,
                                      logPresent: log.exists, problems: problems)
    }
}

/// The checkpoint and anchor-reset events in the chain.
struct CheckpointEvents {
    struct Recorded {
        let number: Int
        let eventSeq: Int
        let publicKey: String
    }

    /// Checkpoints the log must hold: those recorded after the last reset that declared the log lost.
    var needingLog: [Recorded] = []
    /// Every recorded checkpoint.
    var all: [Recorded] = []
    /// Keys an anchor reset retired.
    var retiredKeys: Set<String> = []
    /// Whether an audited reset declared the log lost.
    var logLost = false
    /// The key the last reset installed, with the reset's event number.
    var lastReset: (key: String, eventSeq: Int)?

    static func read(_ db: Database) throws -> CheckpointEvents {
        var result = CheckpointEvents()
        let decoder = JSONDecoder()
        let rows = try Row.fetchAll(db, sql: "SELECT seq, action, details FROM audit_events WHERE action IN (?, ?) ORDER BY seq",
                                    arguments: [AuditAction.checkpointed.rawValue, AuditAction.checkpointAnchorReset.rawValue])
        for row in rows {
            let details = (try? decoder.decode([String: String].self, from: Data((row["details"] as String).utf8))) ?? [:]
            let seq: Int = row["seq"]
            if row["action"] == AuditAction.checkpointed.rawValue {
                guard let number = details["number"].flatMap(Int.init) else { continue }
                let recorded = Recorded(number: number, eventSeq: seq, publicKey: details["publicKey"] ?? "")
                result.all.append(recorded)
                result.needingLog.append(recorded)
            } else {
                if let previous = details["previousKey"], !previous.isEmpty { result.retiredKeys.insert(previous) }
                if details["log"] == "lost" {
                    result.needingLog.removeAll()
                    result.logLost = true
                }
                result.lastReset = (details["newKey"] ?? "", seq)
            }
        }
        return result
    }

    /// The key the latest checkpoint or reset names: the one the store must still hold.
    var expectedKey: String? {
        let lastCheckpoint = all.last
        if let lastReset, lastReset.eventSeq > (lastCheckpoint?.eventSeq ?? 0) { return lastReset.key }
        return lastCheckpoint?.publicKey
    }
}
