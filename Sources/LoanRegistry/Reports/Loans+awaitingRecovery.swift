import Foundation
import GRDB

extension Loans {
    /// Devices to recover: active loans whose consent was withdrawn while the device was out,
    /// longest waiting first. Each loan returned is audited as read. A loan leaves the list
    /// when its device is returned (or recorded lost).
    public func awaitingRecovery(_ page: PageRequest = .first, by actor: AuditActor) async throws -> Page<Loan> {
        try actor.authorize(.readReports)
        let keys = try page.keys(count: 2)
        let now = registry.clock.now()
        return try await writer.write { db in
            let rows = try db.cachedRows(
                sql: Loan.selectSQL + """
                     WHERE l.status = 'active' AND l.recovery_requested_at IS NOT NULL
                       AND (? IS NULL OR (l.recovery_requested_at, l.number) > (?, ?))
                     ORDER BY l.recovery_requested_at, l.number
                     LIMIT ?
                    """,
                arguments: [keys?[0], keys?[0], keys?[1], page.limit + 1])
            let items = try rows.prefix(page.limit).map { try Loan(row: $0, asOf: LocalDate(now)) }
            let next = rows.count > page.limit
                ? items.last.map { PageRequest.cursor([$0.recoveryRequestedAt.map(Timestamp.string) ?? "", $0.number]) } : nil
            try Self.auditReads(items, via: "recovery", by: actor, at: now, in: db)
            return Page(items: items, nextCursor: next)
        }
    }
}
