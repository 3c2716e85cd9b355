import Foundation
import GRDB

/// What happens to a loan; each event is a row of ``LoanLifecycle/transitions``.
public enum LoanEvent: String, Sendable, Codable, CaseIterable {
    /// The patient (or a proxy) agreed to the current explanation.
    case consentGranted = "consent_granted"
    /// The patient declined: the loan ends.
    case consentRefused = "consent_refused"
    /// The explanation changed after consent (device, dates or language): consent is needed again.
    case explanationChanged = "explanation_changed"
    /// The device went home with the patient (the hand-over gate passed).
    case handOver = "hand_over"
    /// The device came back.
    case returnDevice = "return"
    /// Staff cancelled the loan before hand-over.
    case cancel
    /// The patient withdrew consent before hand-over: the loan ends.
    case consentWithdrawn = "consent_withdrawn"
    /// The due date of an active loan moved (the status stays `active`).
    case extend
    /// The device was lost or stolen while out on the loan (an incident is opened).
    case reportLoss = "loss"
}

/// One allowed move of a loan: from a status, on an event, to a status, by whoever may perform
/// the operation (``AccessPolicy`` decides the roles).
public struct LoanTransition: Sendable, Equatable {
    /// The status it moves from.
    public let from: LoanStatus
    /// What happens.
    public let event: LoanEvent
    /// The status it moves to.
    public let to: LoanStatus
    /// The operation whose roles may make this move (``AccessPolicy``).
    public let operation: RegistryOperation
}

/// The loan lifecycle (DESIGN §4) in one table, and the one function that moves a loan.
///
/// ```
/// draft ──consent granted──▶ consented ──hand over──▶ active ──return──▶ returned
///   ▲                           │                       └─extend─┘
///   └──explanation changed──────┘
/// draft | consented ──cancel / consent refused / consent withdrawn──▶ cancelled
/// active ──loss──▶ lost
/// ```
/// The database holds the same pairs (`lifecycle_transitions`, migration 0007) and refuses any
/// other status change.
public enum LoanLifecycle {
    /// Every allowed transition.
    public static let transitions: [LoanTransition] = [
        .init(from: .draft, event: .consentGranted, to: .consented, operation: .recordConsent),
        .init(from: .draft, event: .consentRefused, to: .cancelled, operation: .recordConsent),
        .init(from: .consented, event: .explanationChanged, to: .draft, operation: .changeLoan),
        .init(from: .consented, event: .handOver, to: .active, operation: .handOverLoan),
        .init(from: .active, event: .returnDevice, to: .returned, operation: .receiveReturn),
        .init(from: .active, event: .extend, to: .active, operation: .extendLoan),
        .init(from: .active, event: .reportLoss, to: .lost, operation: .reportLoss),
        .init(from: .draft, event: .cancel, to: .cancelled, operation: .cancelLoan),
        .init(from: .consented, event: .cancel, to: .cancelled, operation: .cancelLoan),
        .init(from: .draft, event: .consentWithdrawn, to: .cancelled, operation: .withdrawConsent),
        .init(from: .consented, event: .consentWithdrawn, to: .cancelled, operation: .withdrawConsent),
    ]

    /// The transition for `event` from `status`, if the table has one.
    public static func transition(from status: LoanStatus, on event: LoanEvent) -> LoanTransition? {
        transitions.first { $0.from == status && $0.event == event }
    }

    /// Whether a loan in `status` is still being prepared: its device, dates and language may
    /// change and its explanation be refreshed (the statuses it can still be cancelled from).
    public static func isPreparing(_ status: LoanStatus) -> Bool {
        transition(from: status, on: .cancel) != nil
    }

    /// Why `event` cannot happen to a loan in `status`.
    static func refusal(_ event: LoanEvent, number: String, from status: LoanStatus) -> RegistryError {
        switch event {
        case .returnDevice, .extend, .reportLoss: .loanNotActive(number: number, status: status)
        default: .invalidLoanTransition(number: number, from: status,
                                        to: transitions.first { $0.event == event }?.to ?? status)
        }
    }

    /// Moves `loan` on `event`, in one savepoint: checks the table and the actor's role, writes
    /// the status with `columns` (e.g. `handed_over_at`), the loan's history row and the audit
    /// event (`nil` when the caller's own event records the change, as a consent's does).
    ///
    /// - Returns: the new status.
    @discardableResult
    static func apply(
        _ event: LoanEvent, to loan: Loan, columns: [String: (any DatabaseValueConvertible)?] = [:],
        audit: (action: AuditAction, details: [String: String])? = nil, note: String = "",
        by actor: AuditActor, at date: Date, in db: Database
    ) throws -> LoanStatus {
        guard let transition = transition(from: loan.status, on: event) else {
            throw refusal(event, number: loan.number, from: loan.status)
        }
        try actor.authorize(transition.operation)
        try db.inSavepoint {
            let assignments = (["status"] + columns.keys.sorted()).map { "\($0) = ?" }.joined(separator: ", ")
            let values: [(any DatabaseValueConvertible)?] = [transition.to.rawValue] + columns.keys.sorted().map { columns[$0] ?? nil }
            try db.execute(sql: "UPDATE loans SET \(assignments) WHERE id = ?",
                           arguments: StatementArguments(values + [loan.id]))
            try db.execute(
                sql: """
                    INSERT INTO loan_events (loan_id, occurred_at, actor, event, from_status, to_status, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [loan.id, Timestamp.string(date), actor.id, event.rawValue, loan.status.rawValue,
                            transition.to.rawValue, note])
            if let audit {
                try AuditLog.append(audit.action, entityType: "loan", entityId: loan.id,
                                    details: audit.details.merging(["number": loan.number], uniquingKeysWith: { first, _ in first }),
                                    by: actor, at: date, in: db)
            }
            return .commit
        }
        return transition.to
    }
}
