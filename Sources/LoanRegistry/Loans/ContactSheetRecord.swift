public import Foundation
import GRDB

/// The contact handout (連絡先のご案内) recorded as given to the patient for one explanation snapshot.
public struct ContactSheetRecord: Sendable, Equatable, Codable, Identifiable {
    public let id: String
    public let explanationId: String
    /// The ConsentTexts version of the contact-sheet text printed.
    public let handoutVersion: Int
    public let language: Patient.Language
    public let givenAt: Date
    public let givenBy: String

    init(row: Row, prefix: String) {
        id = row[prefix + "id"]
        explanationId = row[prefix + "explanation_id"]
        handoutVersion = row[prefix + "handout_version"]
        language = Patient.Language(rawValue: row[prefix + "language"]) ?? .ja
        givenAt = Timestamp.date(row[prefix + "given_at"]) ?? .distantPast
        givenBy = row[prefix + "given_by"]
    }

    static func joinedColumns(_ alias: String, prefix: String) -> String {
        ["id", "explanation_id", "handout_version", "language", "given_at", "given_by"]
            .map { "\(alias).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }
}
