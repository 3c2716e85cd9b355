public import Foundation
import GRDB

/// A snapshot of the explanation shown for a loan: the exact text, its SHA-256, and what it was
/// made from. Snapshots are never changed; a change of device, language, dates or texts makes a
/// new one, and the loan points at the newest.
public struct Explanation: Sendable, Equatable, Codable, Identifiable {
    public let id: String
    public let loanId: String
    /// 1 for the loan's first snapshot, then 2, 3 …
    public let sequence: Int
    public let language: Patient.Language
    /// The ConsentTexts version used.
    public let textVersion: Int
    /// Released path → SHA-256 of every text file used.
    public let textFiles: [String: String]
    /// Risk and precaution ids, in that order (what the patient was told about).
    public let items: [String]
    public let risks: [String]
    public let precautions: [String]
    public let notices: [ExplanationItems.Notice]
    public let deviceId: String
    public let startDate: LocalDate
    public let dueDate: LocalDate
    /// SHA-256 of the UTF-8 bytes of ``text``.
    public let sha256: String
    /// The canonical text. `nil` in lists, where only the hash and items are carried.
    public var text: String?
    public let createdAt: Date
    public let createdBy: String

    /// Stores `output` as the loan's newest snapshot and points the loan at it.
    static func insert(_ output: ExplanationRenderer.Output, loanId: String, deviceId: String, startDate: LocalDate,
                       dueDate: LocalDate, by actor: AuditActor, at now: Date, in db: Database) throws -> Explanation {
        let id = RecordID.make()
        let sequence = (try Int.fetchOne(db, sql: "SELECT max(sequence) FROM explanations WHERE loan_id = ?",
                                         arguments: [loanId]) ?? 0) + 1
        try db.execute(
            sql: """
                INSERT INTO explanations (id, loan_id, sequence, language, text_version, text_files, risks, precautions,
                    notices, device_id, start_date, due_date, body, sha256, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, loanId, sequence, output.language.rawValue, output.textVersion, try JSONColumn.text(output.textFiles),
                        try JSONColumn.text(output.items.risks), try JSONColumn.text(output.items.precautions),
                        try JSONColumn.text(output.items.notices.map(\.rawValue)), deviceId, startDate.description,
                        dueDate.description, output.text, output.sha256, Timestamp.string(now), actor.id])
        try db.execute(sql: "UPDATE loans SET current_explanation_id = ? WHERE id = ?", arguments: [id, loanId])
        try AuditLog.append(.explanationSnapshotted, entityType: "loan", entityId: loanId,
                            details: ["explanationId": id, "sequence": String(sequence), "sha256": output.sha256,
                                      "textVersion": String(output.textVersion), "language": output.language.rawValue,
                                      "items": (output.items.risks + output.items.precautions).joined(separator: ",")],
                            by: actor, at: now, in: db)
        return try fetch(db, id: id, withText: true)
    }

    /// Reads the columns of ``columnNames``, each named `prefix` + column (`e_id` …) when joined.
    init(row: Row, prefix: String = "", withText: Bool) throws {
        func column(_ name: String) -> String { prefix + name }
        guard let language = Patient.Language(rawValue: row[column("language")]),
              let start = LocalDate(row[column("start_date")]), let due = LocalDate(row[column("due_date")])
        else { throw StorageError.unavailable(reason: "unreadable explanation row") }
        id = row[column("id")]
        loanId = row[column("loan_id")]
        sequence = row[column("sequence")]
        self.language = language
        textVersion = row[column("text_version")]
        textFiles = try JSONColumn.decode([String: String].self, row[column("text_files")])
        risks = try JSONColumn.decode([String].self, row[column("risks")])
        precautions = try JSONColumn.decode([String].self, row[column("precautions")])
        notices = try JSONColumn.decode([String].self, row[column("notices")])
            .compactMap(ExplanationItems.Notice.init(rawValue:))
        items = risks + precautions
        deviceId = row[column("device_id")]
        startDate = start
        dueDate = due
        sha256 = row[column("sha256")]
        text = withText ? row[column("body")] : nil
        createdAt = Timestamp.date(row[column("created_at")]) ?? .distantPast
        createdBy = row[column("created_by")]
    }

    /// The columns read for a snapshot without its text.
    static let columnNames = ["id", "loan_id", "sequence", "language", "text_version", "text_files", "risks", "precautions",
                              "notices", "device_id", "start_date", "due_date", "sha256", "created_at", "created_by"]
    static let columns = columnNames.joined(separator: ", ")

    /// The columns of table alias `alias`, each renamed `prefix` + column, for a join.
    static func joinedColumns(_ alias: String, prefix: String) -> String {
        columnNames.map { "\(alias).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }

    static func fetch(_ db: Database, id: String, withText: Bool) throws -> Explanation {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(columns)\(withText ? ", body" : "") FROM explanations WHERE id = ?",
                                         arguments: [id])
        else { throw RegistryError.notFound(entity: "explanation", id: id) }
        return try Explanation(row: row, withText: withText)
    }

    /// Every snapshot of a loan, oldest first.
    static func history(_ db: Database, loanId: String, withText: Bool) throws -> [Explanation] {
        try db.cachedRows(sql: "SELECT \(columns)\(withText ? ", body" : "") FROM explanations WHERE loan_id = ? ORDER BY sequence",
                         arguments: [loanId]).map { try Explanation(row: $0, withText: withText) }
    }
}
