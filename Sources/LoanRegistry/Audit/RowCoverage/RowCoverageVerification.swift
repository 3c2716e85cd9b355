import Foundation
public import GRDB

/// The result of `verify --deep`: every covered row compared with the digest its latest audit
/// event recorded.
public struct RowCoverageVerification: Sendable, Equatable, Codable {
    /// One row that does not match the chain.
    public struct Finding: Sendable, Equatable, Codable {
        /// The table, e.g. `patients`.
        public let table: String
        /// The row's id.
        public let id: String
        /// What is wrong.
        public let problem: Problem
        /// The event whose digest the row no longer matches (nil when no event names the row).
        public let lastEventSeq: Int?
    }

    /// How a row differs from what the chain recorded.
    public enum Problem: String, Sendable, Equatable, Codable, CaseIterable {
        /// The row differs from the digest its latest event recorded: edited outside the registry.
        case changedOutsideRegistry = "changed_outside_registry"
        /// No event records the row: inserted outside the registry.
        case notRecorded = "not_recorded"
        /// An event records the row but it is gone: deleted outside the registry.
        case deletedOutsideRegistry = "deleted_outside_registry"
    }

    /// Rows compared.
    public let rowsChecked: Int
    /// Every mismatch, in table order (at most ``maximumFindings``).
    public let findings: [Finding]
    /// How many mismatches there were in all.
    public let findingCount: Int

    /// Set when the record that the pre-existing rows were baselined is missing (removed outside the registry).
    public let baselineProblem: String?

    /// Findings kept in full; the rest are counted.
    public static let maximumFindings = 1000

    /// `true` when every covered row matches its latest event.
    public var isIntact: Bool { findingCount == 0 && baselineProblem == nil }

    /// Recomputes the digest of every covered row and compares it with its latest event.
    public static func verify(_ db: Database) throws -> RowCoverageVerification {
        var recorded: [String: (digest: String, seq: Int)] = [:]
        let events = try Row.fetchCursor(
            db, sql: "SELECT seq, details FROM audit_events WHERE details LIKE '%\"\(AuditLog.rowDigestsKey)\"%' ORDER BY seq")
        let decoder = JSONDecoder()
        while let event = try events.next() {
            let details: String = event["details"]
            guard let map = try? decoder.decode([String: String].self, from: Data(details.utf8)),
                  let list = map[AuditLog.rowDigestsKey] else { continue }
            let seq: Int = event["seq"]
            for entry in list.split(separator: " ") {
                guard let equals = entry.lastIndex(of: "=") else { continue }
                recorded[String(entry[..<equals])] = (String(entry[entry.index(after: equals)...]), seq)
            }
        }
        var findings: [Finding] = []
        var count = 0
        var checked = 0
        func note(_ finding: Finding) {
            count += 1
            if findings.count < maximumFindings { findings.append(finding) }
        }
        let ordered = recorded.sorted { $0.value.seq < $1.value.seq }
        var baselineProblem: String?
        if try db.tableExists("audit_row_baseline"), !recorded.isEmpty,
           try Row.fetchOne(db, sql: "SELECT 1 FROM audit_row_baseline WHERE id = 1") == nil {
            baselineProblem = "the record of the row baseline is missing: it was removed outside the registry"
        }
        for table in CoveredTable.allCases where try db.tableExists(table.rawValue) {
            var present = Set<String>()
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.rawValue) ORDER BY rowid")
            while let row = try rows.next() {
                checked += 1
                let id = table.key(of: row)
                let key = "\(table.rawValue)/\(id)"
                present.insert(key)
                guard let last = recorded[key] else {
                    note(Finding(table: table.rawValue, id: id, problem: .notRecorded, lastEventSeq: nil))
                    continue
                }
                if last.digest != RowDigest.digest(of: row) {
                    note(Finding(table: table.rawValue, id: id, problem: .changedOutsideRegistry, lastEventSeq: last.seq))
                }
            }
            let prefix = "\(table.rawValue)/"
            for (key, last) in ordered
            where key.hasPrefix(prefix) && !key.hasPrefix(prefix + "#") && !present.contains(key) && last.digest != RowDigest.deleted {
                note(Finding(table: table.rawValue, id: String(key.dropFirst(prefix.count)),
                             problem: .deletedOutsideRegistry, lastEventSeq: last.seq))
            }
        }
        return RowCoverageVerification(rowsChecked: checked, findings: findings, findingCount: count, baselineProblem: baselineProblem)
    }
}
