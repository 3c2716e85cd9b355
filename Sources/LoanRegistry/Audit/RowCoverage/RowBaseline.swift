import Foundation
import GRDB

/// Records, once, the digest of every covered row that existed before events carried digests.
enum RowBaseline {
    /// Rows per `audit.rows_baselined` event.
    static let rowsPerEvent = 500

    /// Writes the baseline events unless ``audit_row_baseline`` says they were written.
    static func recordIfNeeded(at date: Date, in db: Database) throws {
        guard try db.tableExists("audit_row_baseline"),
              try db.cachedRow(sql: "SELECT 1 FROM audit_row_baseline WHERE id = 1") == nil else { return }
        // Events already carry digests: the baseline was recorded, and someone removed its record.
        // Recording it again would accept whatever the rows hold now; `verify --deep` reports it instead.
        if try Row.fetchOne(db, sql: "SELECT 1 FROM audit_events WHERE details LIKE '%\"\(AuditLog.rowDigestsKey)\"%' LIMIT 1") != nil {
            return
        }
        _ = RowChanges.on(db)?.take()
        for table in CoveredTable.allCases where try db.tableExists(table.rawValue) {
            var batch: [String] = []
            var part = 0
            func flush() throws {
                guard !batch.isEmpty else { return }
                part += 1
                try AuditLog.append(.rowsBaselined, entityType: "table", entityId: table.rawValue,
                                    details: [AuditLog.rowDigestsKey: batch.joined(separator: " "), "part": String(part)],
                                    by: .system, at: date, in: db)
                batch.removeAll(keepingCapacity: true)
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.rawValue) ORDER BY rowid")
            while let row = try rows.next() {
                batch.append("\(table.rawValue)/\(table.key(of: row))=\(RowDigest.digest(of: row))")
                if batch.count == rowsPerEvent { try flush() }
            }
            try flush()
        }
        let head = try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain_head WHERE id = 1") ?? 0
        try db.execute(sql: "INSERT INTO audit_row_baseline (id, recorded_at_seq, recorded_at) VALUES (1, ?, ?)",
                       arguments: [head, Timestamp.string(date)])
    }
}
