import Crypto
import Foundation
public import GRDB
import GRDBSQLite

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
        func chainHead() -> String { String(decoding: previous, as: UTF8.self) }
        // The walk reads the columns straight from SQLite's statement (the C boundary): no Row,
        // no String per column. Each text column's bytes are valid until the next step.
        let handle = statement.sqliteStatement
        while true {
            let step = sqlite3_step(handle)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: step), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let seq = Int(sqlite3_column_int64(handle, 0))
            if seq != expectedSeq {
                sqlite3_reset(handle)
                return .init(eventsChecked: expectedSeq - 1, headHash: chainHead(),
                             firstBreak: Break(seq: expectedSeq, reason: "event \(expectedSeq) is missing"))
            }
            guard Self.column(handle, 7, equals: previous) else {
                sqlite3_reset(handle)
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
            for column in Int32(1)...6 {
                let count = Int(sqlite3_column_bytes(handle, column))
                Self.appendDecimal(count, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                if count > 0, let bytes = sqlite3_column_blob(handle, column) {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
                }
                buffer.append(UInt8(ascii: "\n"))
            }
            let digest = buffer.withUnsafeBytes { SHA256.hash(data: $0) }
            Self.writeHex(digest, into: &computed)
            guard Self.column(handle, 8, equals: computed) else {
                sqlite3_reset(handle)
                return .init(eventsChecked: expectedSeq - 1, headHash: chainHead(),
                             firstBreak: Break(seq: seq, reason: "hash mismatch: the event was changed"))
            }
            swap(&previous, &computed)
            expectedSeq += 1
        }
        sqlite3_reset(handle)
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

    /// Whether text column `index` of the current row holds exactly `bytes`.
    private static func column(_ handle: SQLiteStatement, _ index: Int32, equals bytes: [UInt8]) -> Bool {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count == bytes.count else { return false }
        guard let pointer = sqlite3_column_blob(handle, index) else { return bytes.isEmpty }
        return bytes.withUnsafeBytes { other in other.baseAddress.map { memcmp(pointer, $0, count) == 0 } ?? false }
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
