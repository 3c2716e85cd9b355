import Foundation
import GRDB

extension Loans {
    /// A loan with the full text of its current explanation: what staff explain and what the
    /// tablet shows the patient.
    public struct ExplainedLoan: Sendable {
        public let loan: Loan
        /// The current snapshot with its text; `nil` for a loan that has none.
        public let explanation: Explanation?
    }

    /// The loan `reference` with its current explanation's text, in one audited read.
    public func currentExplanation(of reference: String, by actor: AuditActor) async throws -> ExplainedLoan {
        try actor.authorize(.readLoans)
        let now = registry.clock.now()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: LocalDate(now))
            try AuditLog.append(.loanRead, entityType: "loan", entityId: loan.id,
                                details: ["patientId": loan.patient.id, "via": "current-explanation"], by: actor, at: now, in: db)
            let current = try Explanation.history(db, loanId: loan.id, withText: true).last { $0.id == loan.explanation?.id }
            return ExplainedLoan(loan: loan, explanation: current)
        }
    }
}
