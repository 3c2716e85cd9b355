public import Foundation
import GRDB

/// One attempt to reach a patient about a loan (overdue follow-up).
public struct ContactAttempt: Sendable, Equatable, Codable {
    /// How the clinic tried.
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case phone, letter, visit, email
    }

    /// What came of it.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case reached
        case noAnswer = "no_answer"
        /// The patient confirmed they still have the device (counts for a stocktake).
        case deviceConfirmed = "device_confirmed"
        case willReturn = "will_return"
        case refused
    }

    /// How the clinic tried to reach the patient.
    public let channel: Channel
    /// What came of it.
    public let outcome: Outcome
    /// When to follow up.
    public let nextActionOn: LocalDate?
    /// Notes (no patient data).
    public let notes: String
    /// When the attempt was made.
    public let contactedAt: Date
    /// Who made it.
    public let contactedBy: String

    init(row: Row) throws {
        guard let channel = Channel(rawValue: row["channel"]), let outcome = Outcome(rawValue: row["outcome"]) else {
            throw StorageError.unavailable(reason: "unreadable contact attempt")
        }
        self.channel = channel
        self.outcome = outcome
        nextActionOn = (row["next_action_on"] as String?).flatMap(LocalDate.init)
        notes = row["notes"]
        contactedAt = Timestamp.date(row["contacted_at"]) ?? .distantPast
        contactedBy = row["contacted_by"]
    }
}
