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
    /// How many days overdue a loan may be, by default, before the clinic must decide whether the
    /// device is presumed lost (then report the loss, which opens the incident). The clinic sets its
    /// own in its profile (`presumedLostAfterDays`).
    public static let presumedLostAfterDays = 30

    /// Loans overdue by more than `days` days (default: the clinic profile's setting, else 30):
    /// "decide: presumed lost". Every loan is audited as read.
    public func presumedLost(afterDays days: Int? = nil, asOf: LocalDate? = nil, by actor: AuditActor) async throws -> [Loan] {
        let setting = try await registry.read { db in try ClinicProfile.fetch(db)?.presumedLostAfterDays }
        let threshold = days ?? setting ?? Self.presumedLostAfterDays
        return try await overdueReport(asOf: asOf, by: actor).filter { ($0.daysOverdue ?? 0) > threshold }
    }
}
