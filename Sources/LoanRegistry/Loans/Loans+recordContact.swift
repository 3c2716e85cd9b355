import Foundation
import GRDB

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
