extension Loans {
    /// Every overdue loan on `asOf` (all pages), oldest due date first; each read is audited.
    public func overdueReport(asOf: LocalDate? = nil, by actor: AuditActor) async throws -> [Loan] {
        try actor.authorize(.readReports)
        var loans: [Loan] = []
        var cursor: String?
        repeat {
            let page = try await overdue(asOf: asOf, try PageRequest(limit: 500, cursor: cursor), by: actor)
            loans += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return loans
    }
}

extension Loans {
    /// How many days overdue a loan may be before the clinic must decide whether the device is
    /// presumed lost (then report the loss, which opens the incident).
    public static let presumedLostAfterDays = 30

    /// Loans overdue by more than `days` days: "decide: presumed lost". Every loan is audited as read.
    public func presumedLost(afterDays days: Int = Loans.presumedLostAfterDays, asOf: LocalDate? = nil,
                             by actor: AuditActor) async throws -> [Loan] {
        try await overdueReport(asOf: asOf, by: actor).filter { ($0.daysOverdue ?? 0) > days }
    }
}
