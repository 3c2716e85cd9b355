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

    public let channel: Channel
    public let outcome: Outcome
    public let nextActionOn: LocalDate?
    public let notes: String
    public let contactedAt: Date
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

/// What staff record after trying to reach a patient.
public struct NewContactAttempt: Sendable, Equatable, Codable {
    public var channel: ContactAttempt.Channel
    public var outcome: ContactAttempt.Outcome
    /// When to try again or check the return.
    public var nextActionOn: LocalDate?
    /// No patient data beyond what the follow-up needs.
    public var notes: String?

    public init(channel: ContactAttempt.Channel, outcome: ContactAttempt.Outcome, nextActionOn: LocalDate? = nil, notes: String? = nil) {
        self.channel = channel
        self.outcome = outcome
        self.nextActionOn = nextActionOn
        self.notes = notes
    }
}

extension Loans {
    /// Records an attempt to reach the patient of an active loan; the overdue list shows the
    /// last one and its next action.
    ///
    /// - Throws: ``RegistryError/loanNotActive(number:status:)``, ``RegistryError/validationFailed(_:)``.
    public func recordContact(_ reference: String, _ input: NewContactAttempt, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.recordContactAttempt)
        let input = try TextNormalization.nfc(input)
        let now = registry.clock.now()
        let today = LocalDate(now)
        var validator = FieldValidator()
        validator.text(input.notes ?? "", "notes", maximum: 2000, required: false)
        if let next = input.nextActionOn {
            validator.require(next >= today && next <= today.adding(days: Self.maximumLoanDays), "nextActionOn",
                              "must be from today to a year ahead")
        }
        try validator.check()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard loan.status == .active else { throw RegistryError.loanNotActive(number: loan.number, status: loan.status) }
            try db.execute(
                sql: """
                    INSERT INTO loan_contacts (loan_id, channel, outcome, next_action_on, notes, contacted_at, contacted_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [loan.id, input.channel.rawValue, input.outcome.rawValue, input.nextActionOn?.description,
                            input.notes ?? "", Timestamp.string(now), actor.id])
            try AuditLog.append(.loanContactRecorded, entityType: "loan", entityId: loan.id,
                                details: ["number": loan.number, "channel": input.channel.rawValue, "outcome": input.outcome.rawValue],
                                by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }
}
