import Foundation
import GRDB

extension Loans {
    /// Moves the due date of an active loan (the patient needs the device longer). The earlier
    /// due dates are kept with the reason; overdue follows the new date.
    ///
    /// - Throws: ``RegistryError/loanNotActive(number:status:)``, ``RegistryError/validationFailed(_:)``
    ///   (a date before today, more than a year ahead, or the current due date).
    public func extend(_ reference: String, to dueDate: LocalDate, reason: String, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.extendLoan)
        let reason = reason.precomposedStringWithCanonicalMapping
        let now = registry.clock.now()
        let today = LocalDate(now)
        var validator = FieldValidator()
        validator.text(reason, "reason", maximum: 500)
        validator.require(dueDate >= today, "dueDate", "must not be before today (\(today))")
        validator.require(dueDate <= today.adding(days: Self.maximumLoanDays), "dueDate",
                          "must be within \(Self.maximumLoanDays) days of today")
        try validator.check()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard LoanLifecycle.transition(from: loan.status, on: .extend) != nil else {
                throw LoanLifecycle.refusal(.extend, number: loan.number, from: loan.status)
            }
            guard dueDate > loan.dueDate else {
                throw RegistryError.validationFailed([FieldError("dueDate", "must be after the current due date (\(loan.dueDate))")])
            }
            try db.execute(
                sql: """
                    INSERT INTO loan_extensions (loan_id, previous_due_date, new_due_date, reason, extended_at, extended_by)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [loan.id, loan.dueDate.description, dueDate.description, reason, Timestamp.string(now), actor.id])
            try LoanLifecycle.apply(.extend, to: loan, columns: ["due_date": dueDate.description],
                                    audit: (.loanExtended, ["previousDueDate": loan.dueDate.description,
                                                            "dueDate": dueDate.description]),
                                    note: "\(loan.dueDate) → \(dueDate)", by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }
}
