import Crypto
import Foundation
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
        // The hash of each event is recomputed from the column bytes SQLite hands out, in one
        // reused buffer: the same bytes as ``AuditEvent/canonicalForm`` (length-prefixed fields),
        // without building strings or records per event.
        var previous = Array(AuditEvent.genesisHash.utf8)
        var computed = [UInt8](repeating: 0, count: 64)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        var expectedSeq = 1
        let statement = try db.makeStatement(sql: """
            SELECT seq, occurred_at, actor, action, entity_type, entity_id, details, prev_hash, hash
            FROM audit_events ORDER BY seq
            """)
        let rows = try Row.fetchCursor(statement)
        func chainHead() -> String { String(decoding: previous, as: UTF8.self) }
        while let row = try rows.next() {
            let seq: Int = row[0]
            if seq != expectedSeq {
                return .init(eventsChecked: expectedSeq - 1, headHash: chainHead(),
                             firstBreak: Break(seq: expectedSeq, reason: "event \(expectedSeq) is missing"))
            }
            guard try row.withUnsafeData(atIndex: 7, { Self.equal($0, previous) }) else {
                return .init(eventsChecked: expectedSeq - 1, headHash: chainHead(),
                             firstBreak: Break(seq: seq, reason: "previous hash does not match event \(seq - 1)"))
            }
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: previous)
            var digits = 0
            var rest = seq
            repeat { digits += 1; rest /= 10 } while rest > 0
            Self.appendDecimal(digits, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            Self.appendDecimal(seq, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
            for column in 1...6 {
                try row.withUnsafeData(atIndex: column) { data in
                    let count = data?.count ?? 0
                    Self.appendDecimal(count, to: &buffer)
                    buffer.append(UInt8(ascii: ":"))
                    if let data { buffer.append(contentsOf: data) }
                    buffer.append(UInt8(ascii: "\n"))
                }
            }
            let digest = SHA256.hash(data: buffer)
            Self.writeHex(digest, into: &computed)
            guard try row.withUnsafeData(atIndex: 8, { Self.equal($0, computed) }) else {
                return .init(eventsChecked: expectedSeq - 1, headHash: chainHead(),
                             firstBreak: Break(seq: seq, reason: "hash mismatch: the event was changed"))
            }
            swap(&previous, &computed)
            expectedSeq += 1
        }
        let previousHash = chainHead()
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

    private static func equal(_ data: Data?, _ bytes: [UInt8]) -> Bool {
        guard let data, data.count == bytes.count else { return false }
        return data.withUnsafeBytes { raw in
            bytes.withUnsafeBytes { other in
                guard let a = raw.baseAddress, let b = other.baseAddress else { return bytes.isEmpty }
                return memcmp(a, b, bytes.count) == 0
            }
        }
    }

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &buffer) }
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeHex(_ digest: SHA256.Digest, into output: inout [UInt8]) {
        var index = 0
        for byte in digest {
            output[index] = hexDigits[Int(byte >> 4)]
            output[index + 1] = hexDigits[Int(byte & 0x0f)]
            index += 2
        }
    }
}
