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
