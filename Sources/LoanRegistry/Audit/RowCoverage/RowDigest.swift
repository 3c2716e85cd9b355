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
        var hasher = SHA256()
        for (column, value) in row {
            let text: String
            switch value.storage {
            case .null: text = "n0:"
            case .int64(let int): let s = String(int); text = "i\(s.utf8.count):\(s)"
            case .double(let double): let s = "\(double)"; text = "r\(s.utf8.count):\(s)"
            case .string(let string): text = "t\(string.utf8.count):\(string)"
            case .blob(let data): let s = data.hexString; text = "b\(s.utf8.count):\(s)"
            }
            hasher.update(data: Data("\(column)=\(text)\n".utf8))
        }
        return hasher.finalize().hexString
    }
}
