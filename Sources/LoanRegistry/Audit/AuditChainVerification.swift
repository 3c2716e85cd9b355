public import GRDB

/// The result of walking the audit chain from its first event to its head.
public struct AuditChainVerification: Sendable, Equatable, Codable {
    /// Where and why the chain first breaks.
    public struct Break: Sendable, Equatable, Codable {
        /// The sequence number of the first event that does not verify (or the head's).
        public let seq: Int
        /// What is wrong, e.g. `hash mismatch`.
        public let reason: String
    }

    /// Events read.
    public let eventsChecked: Int
    /// The hash at the head of a valid chain.
    public let headHash: String
    /// `nil` when the whole chain verifies.
    public let firstBreak: Break?

    /// `true` when every link verifies.
    public var isIntact: Bool { firstBreak == nil }

    /// Walks every event in `db` in order and names the first broken link.
    ///
    /// Detects a changed column (hash mismatch), a removed or inserted event (sequence gap,
    /// previous-hash mismatch) and a removed tail (the chain head names a later event).
    public static func verify(_ db: Database) throws -> AuditChainVerification {
        var previousHash = AuditEvent.genesisHash
        var expectedSeq = 1
        let cursor = try AuditEvent.fetchCursor(db, sql: "SELECT * FROM audit_events ORDER BY seq")
        while let event = try cursor.next() {
            if event.seq != expectedSeq {
                return .init(eventsChecked: expectedSeq - 1, headHash: previousHash,
                             firstBreak: Break(seq: expectedSeq, reason: "event \(expectedSeq) is missing"))
            }
            if event.previousHash != previousHash {
                return .init(eventsChecked: expectedSeq - 1, headHash: previousHash,
                             firstBreak: Break(seq: event.seq, reason: "previous hash does not match event \(event.seq - 1)"))
            }
            if event.hash != event.expectedHash {
                return .init(eventsChecked: expectedSeq - 1, headHash: previousHash,
                             firstBreak: Break(seq: event.seq, reason: "hash mismatch: the event was changed"))
            }
            previousHash = event.hash
            expectedSeq += 1
        }
        let checked = expectedSeq - 1
        guard let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_chain_head WHERE id = 1") else {
            return .init(eventsChecked: checked, headHash: previousHash,
                         firstBreak: Break(seq: checked, reason: "the chain head record is missing"))
        }
        let headSeq: Int = head["seq"]
        let headHash: String = head["hash"]
        if headSeq < checked {
            return .init(eventsChecked: headSeq, headHash: previousHash,
                         firstBreak: Break(seq: headSeq + 1, reason: "event \(headSeq + 1) lies beyond the chain head"))
        }
        if headSeq > checked {
            return .init(eventsChecked: checked, headHash: previousHash,
                         firstBreak: Break(seq: checked + 1, reason: "event \(checked + 1) is missing (the chain head names \(headSeq))"))
        }
        if headHash != previousHash {
            return .init(eventsChecked: checked, headHash: previousHash,
                         firstBreak: Break(seq: checked, reason: "the chain head's hash does not match event \(checked)"))
        }
        return .init(eventsChecked: checked, headHash: previousHash, firstBreak: nil)
    }
}
