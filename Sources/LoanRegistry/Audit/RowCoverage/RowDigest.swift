import Crypto
import Foundation
package import GRDB

/// The SHA-256 of one row exactly as stored, in a canonical form.
///
/// The form is every column in table order as `<name>=<type><byte count>:<value>` and a line
/// feed, with `n` (NULL), `i` (integer), `r` (real, shortest round-trip text), `t` (UTF-8 text)
/// and `b` (blob, lower-case hex). It names no value in clear, so it can sit in an audit event;
/// the row's timestamps and random id make it impractical to guess back.
package enum RowDigest {
    /// The digest recorded for a row that was deleted.
    package static let deleted = "deleted"

    /// The digest of the row of `table` with `rowID`, or ``deleted`` when it no longer exists.
    package static func of(_ table: CoveredTable, rowID: Int64, in db: Database) throws -> (id: String, digest: String)? {
        guard let row = try db.cachedRow(sql: "SELECT * FROM \(table.rawValue) WHERE rowid = ?", arguments: [rowID]) else {
            return nil
        }
        return (table.key(of: row), digest(of: row))
    }

    /// The digest of `row` (every column it holds, in order).
    package static func digest(of row: Row) -> String {
        // One buffer hashed once (every write digests its rows: no string or `Data` per column).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        func field<Value: Collection<UInt8>>(_ kind: Unicode.Scalar, _ value: Value) {
            bytes.append(UInt8(ascii: kind))
            bytes.append(contentsOf: String(value.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: value)
        }
        for (column, value) in row {
            bytes.append(contentsOf: column.utf8)
            bytes.append(UInt8(ascii: "="))
            switch value.storage {
            case .null: field("n", EmptyCollection<UInt8>())
            case .int64(let int): field("i", String(int).utf8)
            case .double(let double): field("r", "\(double)".utf8)
            case .string(let string): field("t", string.utf8)
            case .blob(let data): field("b", data.hexString.utf8)
            }
            bytes.append(0x0A)
        }
        return SHA256.hash(data: bytes).hexString
    }
}
