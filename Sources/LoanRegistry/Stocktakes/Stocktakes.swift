import Foundation
import GRDB

/// Stocktakes (guideline ⑦): open, scan, close, sign off, report.
public struct Stocktakes: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Statuses of a device that should be on the clinic's shelves.
    static let onShelf: Set<DeviceStatus> = [.available, .awaitingWipe, .retired]

    /// Opens a session and freezes the expected list: every device not disposed of, with where the
    /// ledger says it is (manager). One session is open at a time.
    ///
    /// - Throws: ``RegistryError/stocktakeState(number:problem:)`` when one is already open.
    public func open(by actor: AuditActor) async throws -> Stocktake {
        try actor.authorize(.openStocktake)
        let now = registry.clock.now()
        let year = LocalDate(now).year
        return try await writer.write { db in
            if let open = try String.fetchOne(db, sql: "SELECT number FROM stocktakes WHERE closed_at IS NULL") {
                throw RegistryError.stocktakeState(number: open, problem: .alreadyOpen)
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM stocktakes WHERE number LIKE ?",
                                         arguments: [String(format: "S-%04d-%%", year)]) ?? 0
            let id = RecordID.make()
            let number = String(format: "S-%04d-%03d", year, count + 1)
            try db.execute(sql: "INSERT INTO stocktakes (id, number, opened_at, opened_by) VALUES (?, ?, ?, ?)",
                           arguments: [id, number, Timestamp.string(now), actor.id])
            try db.execute(sql: """
                INSERT INTO stocktake_expected (stocktake_id, device_id, asset_tag, status, whereabouts, loan_id, due_date)
                SELECT ?, d.id, d.asset_tag, d.status, d.whereabouts, l.id, l.due_date
                FROM devices d LEFT JOIN loans l ON l.device_id = d.id AND l.status = 'active'
                WHERE d.status != 'disposed'
                """, arguments: [id])
            let stocktake = try Stocktake.fetch(db, reference: id)
            try AuditLog.append(.stocktakeOpened, entityType: "stocktake", entityId: id,
                                details: ["number": number, "expected": String(stocktake.expectedCount)], by: actor, at: now, in: db)
            return stocktake
        }
    }

    /// Records an asset tag found (typed, or from a USB barcode scanner). An unknown tag is kept as
    /// unexpected; a second scan of a tag counts once.
    ///
    /// - Throws: ``RegistryError/stocktakeState(number:problem:)`` once the session is closed.
    public func scan(_ reference: String, assetTag: String, by actor: AuditActor) async throws -> StocktakeScan {
        try actor.authorize(.scanStocktake)
        let tag = Identifier.folded(assetTag)
        var validator = FieldValidator()
        validator.identifier(tag, "assetTag", maximum: 50)
        try validator.check()
        let now = registry.clock.now()
        return try await writer.write { db in
            let stocktake = try Stocktake.fetch(db, reference: reference)
            guard stocktake.closedAt == nil else { throw RegistryError.stocktakeState(number: stocktake.number, problem: .closed) }
            let deviceId = try String.fetchOne(db, sql: "SELECT id FROM devices WHERE asset_tag = ?", arguments: [tag])
            let status = try String.fetchOne(db, sql: "SELECT status FROM stocktake_expected WHERE stocktake_id = ? AND asset_tag = ?",
                                             arguments: [stocktake.id, tag]).flatMap(DeviceStatus.init(rawValue:))
            try db.execute(sql: """
                INSERT INTO stocktake_scans (stocktake_id, asset_tag, device_id, scanned_at, scanned_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (stocktake_id, asset_tag) DO NOTHING
                """, arguments: [stocktake.id, tag, deviceId, Timestamp.string(now), actor.id])
            let duplicate = db.changesCount == 0
            if !duplicate {
                try AuditLog.append(.stocktakeScanned, entityType: "stocktake", entityId: stocktake.id,
                                    details: ["number": stocktake.number, "assetTag": tag, "known": String(deviceId != nil)],
                                    by: actor, at: now, in: db)
            }
            return StocktakeScan(assetTag: tag, known: deviceId != nil, expectedOnShelf: status.map(Self.onShelf.contains) ?? false,
                                 duplicate: duplicate)
        }
    }

    /// Closes the session (no more scans) and answers its report.
    public func close(_ reference: String, by actor: AuditActor) async throws -> StocktakeReport {
        try actor.authorize(.closeStocktake)
        let now = registry.clock.now()
        return try await writer.write { db in
            let stocktake = try Stocktake.fetch(db, reference: reference)
            guard stocktake.closedAt == nil else { throw RegistryError.stocktakeState(number: stocktake.number, problem: .closed) }
            try db.execute(sql: "UPDATE stocktakes SET closed_at = ?, closed_by = ? WHERE id = ?",
                           arguments: [Timestamp.string(now), actor.id, stocktake.id])
            let report = try Self.report(stocktake.id, asOf: LocalDate(now), in: db)
            try AuditLog.append(.stocktakeClosed, entityType: "stocktake", entityId: stocktake.id,
                                details: ["number": stocktake.number, "found": String(report.found.count),
                                          "missing": String(report.missing.count), "unexpected": String(report.unexpected.count)],
                                by: actor, at: now, in: db)
            return report
        }
    }

    /// The planning manager signs off a closed stocktake.
    public func signOff(_ reference: String, by actor: AuditActor) async throws -> Stocktake {
        try actor.authorize(.signOffStocktake)
        let now = registry.clock.now()
        return try await writer.write { db in
            let stocktake = try Stocktake.fetch(db, reference: reference)
            guard stocktake.closedAt != nil else { throw RegistryError.stocktakeState(number: stocktake.number, problem: .notClosed) }
            guard stocktake.signedOffAt == nil else { throw RegistryError.stocktakeState(number: stocktake.number, problem: .signedOff) }
            try db.execute(sql: "UPDATE stocktakes SET signed_off_at = ?, signed_off_by = ? WHERE id = ?",
                           arguments: [Timestamp.string(now), actor.id, stocktake.id])
            try AuditLog.append(.stocktakeSignedOff, entityType: "stocktake", entityId: stocktake.id,
                                details: ["number": stocktake.number], by: actor, at: now, in: db)
            return try Stocktake.fetch(db, reference: stocktake.id)
        }
    }

    /// The report of a session, open (so far) or closed.
    public func report(_ reference: String, by actor: AuditActor) async throws -> StocktakeReport {
        try actor.authorize(.readStocktakes)
        let today = LocalDate(registry.clock.now())
        return try await registry.read { db in
            try Self.report(try Stocktake.fetch(db, reference: reference).id, asOf: today, in: db)
        }
    }

    /// Every session, newest first.
    public func list(by actor: AuditActor) async throws -> [Stocktake] {
        try actor.authorize(.readStocktakes)
        return try await registry.read { db in
            try db.cachedRows(sql: Stocktake.selectSQL + " ORDER BY s.opened_at DESC").map(Stocktake.init(row:))
        }
    }

    static func report(_ id: String, asOf today: LocalDate, in db: Database) throws -> StocktakeReport {
        let stocktake = try Stocktake.fetch(db, reference: id)
        let until = stocktake.closedAt.map(Timestamp.string) ?? "9999"
        // A closed session answers as of the day it closed, so a signed-off report never drifts.
        let today = stocktake.closedAt.map { LocalDate($0) } ?? today
        let expected = try Row.fetchAll(db, sql: """
            SELECT e.*, l.number AS loan_number,
                   EXISTS (SELECT 1 FROM stocktake_scans c WHERE c.stocktake_id = e.stocktake_id AND c.asset_tag = e.asset_tag) AS scanned,
                   EXISTS (SELECT 1 FROM loan_contacts k WHERE k.loan_id = e.loan_id AND k.outcome = 'device_confirmed'
                           AND k.contacted_at >= ? AND k.contacted_at <= ?) AS confirmed
            FROM stocktake_expected e LEFT JOIN loans l ON l.id = e.loan_id
            WHERE e.stocktake_id = ? ORDER BY e.asset_tag
            """, arguments: [Timestamp.string(stocktake.openedAt), until, id])
        var shelf: [StocktakeReport.Line] = [], found: [StocktakeReport.Line] = [], missing: [StocktakeReport.Line] = []
        var elsewhere: [StocktakeReport.Line] = []
        var notYetDue: [StocktakeReport.LoanLine] = [], overdue: [StocktakeReport.LoanLine] = [], confirmed: [StocktakeReport.LoanLine] = []
        var shelfTags = Set<String>()
        var statusByTag: [String: DeviceStatus] = [:]
        for row in expected {
            guard let status = DeviceStatus(rawValue: row["status"]) else { continue }
            let line = StocktakeReport.Line(assetTag: row["asset_tag"], status: status, whereabouts: row["whereabouts"])
            statusByTag[line.assetTag] = status
            if onShelf.contains(status) {
                shelf.append(line)
                shelfTags.insert(line.assetTag)
                if row["scanned"] as Bool { found.append(line) } else { missing.append(line) }
            } else if status == .onLoan, let number: String = row["loan_number"], let due = LocalDate(row["due_date"] ?? "") {
                let loanLine = StocktakeReport.LoanLine(assetTag: line.assetTag, loanNumber: number, dueDate: due,
                                                        daysOverdue: due < today ? due.days(until: today) : nil)
                if row["confirmed"] as Bool { confirmed.append(loanLine) } else if due < today { overdue.append(loanLine) } else { notYetDue.append(loanLine) }
            } else {
                elsewhere.append(line)
            }
        }
        let unexpected = try Row.fetchAll(db, sql: "SELECT asset_tag, device_id FROM stocktake_scans WHERE stocktake_id = ? ORDER BY asset_tag",
                                          arguments: [id])
            .filter { !shelfTags.contains($0["asset_tag"]) }
            .map { row in
                StocktakeReport.Unexpected(assetTag: row["asset_tag"], known: (row["device_id"] as String?) != nil,
                                           ledgerStatus: statusByTag[row["asset_tag"]])
            }
        return StocktakeReport(stocktake: stocktake, expectedOnShelf: shelf, found: found, missing: missing, unexpected: unexpected,
                               onLoanNotYetDue: notYetDue, onLoanOverdue: overdue, onLoanConfirmedByContact: confirmed,
                               elsewhere: elsewhere)
    }
}
