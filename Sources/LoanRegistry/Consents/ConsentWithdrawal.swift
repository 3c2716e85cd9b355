public import Foundation
import GRDB

/// A granted consent withdrawn by the patient (or their proxy).
public struct ConsentWithdrawal: Sendable, Equatable, Codable, Identifiable {
    /// How the clinic learned of the withdrawal.
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case inPerson = "in_person"
        case phone, letter, email, other
    }

    public let id: String
    public let reason: String
    public let channel: Channel
    /// What the clinic did: stopped uploads, asked for the device back, deleted data …
    public let actionsTaken: String
    /// The device was still with the patient, so it must be recovered.
    public let recoveryRequired: Bool
    public let withdrawnAt: Date
    public let recordedBy: String

    init(row: Row) throws {
        guard let channel = Channel(rawValue: row["withdrawal_channel"]) else {
            throw StorageError.unavailable(reason: "unreadable consent withdrawal row")
        }
        id = row["withdrawal_id"]
        reason = row["withdrawal_reason"]
        self.channel = channel
        actionsTaken = row["withdrawal_actions_taken"]
        recoveryRequired = row["withdrawal_recovery_required"]
        withdrawnAt = Timestamp.date(row["withdrawal_withdrawn_at"]) ?? .distantPast
        recordedBy = row["withdrawal_recorded_by"]
    }
}
