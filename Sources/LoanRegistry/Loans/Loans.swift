import Foundation
import GRDB

/// Loans: register, hand over, return, cancel, and the overdue list. Every read is audited.
public struct Loans: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Longest loan the registry accepts, in days from today.
    public static let maximumLoanDays = 366

    /// Registers a draft loan of an available device to a patient, with its first explanation snapshot.
    ///
    /// - Throws: ``RegistryError/notFound(entity:id:)`` (device, patient),
    ///   ``RegistryError/deviceUnavailable(assetTag:status:)``, ``RegistryError/validationFailed(_:)``
    ///   (start before today, due before start or more than ``maximumLoanDays`` ahead),
    ///   ``RegistryError/clinicProfileMissing``, ``RegistryError/textsUnavailable(reason:)``.
    public func register(_ input: NewLoan, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.registerLoan)
        let now = registry.clock.now()
        let today = LocalDate(now)
        // The patient (named by id or by number) is resolved inside the write, so its language is
        // read there too; the texts of every language are ready before it.
        let textsByLanguage = registry.texts.explanationTextsByLanguage()
        return try await writer.write { db in
            let device = try Device.fetch(db, reference: input.deviceId)
            let patient = try Patient.fetch(db, id: input.patientId)
            let texts = try textsByLanguage.texts(input.language ?? patient.language)
            let model = try DeviceModel.fetch(db, id: device.modelId)
            let startDate = input.startDate ?? today
            let dueDate = input.dueDate ?? startDate.adding(days: model.defaultLoanDays)
            try Self.validateDates(start: startDate, due: dueDate, today: today)
            try Self.requireLendable(device, excludingLoan: nil, in: db)
            let clinic = try ClinicProfile.require(db)

            let id = RecordID.make()
            let number = try Self.nextNumber(year: today.year, in: db)
            try db.execute(
                sql: """
                    INSERT INTO loans (id, number, device_id, patient_id, status, start_date, due_date, created_at, created_by,
                        language)
                    VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)
                    """,
                arguments: [id, number, device.id, patient.id, startDate.description, dueDate.description,
                            Timestamp.string(now), actor.id, input.language?.rawValue])
            try AuditLog.append(.loanCreated, entityType: "loan", entityId: id,
                                details: ["number": number, "deviceId": device.id, "patientId": patient.id,
                                          "startDate": startDate.description, "dueDate": dueDate.description],
                                by: actor, at: now, in: db)
            let output = ExplanationRenderer(texts: texts).render(ExplanationRenderer.Input(
                loanNumber: number, manufacturer: model.manufacturer, modelName: model.name, assetTag: device.assetTag,
                serialNumber: device.serialNumber, category: model.category, profile: model.securityProfile,
                support: model.support, startDate: startDate, dueDate: dueDate, clinic: clinic, today: today))
            _ = try Explanation.insert(output, loanId: id, deviceId: device.id, startDate: startDate, dueDate: dueDate,
                                       by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: id, asOf: today)
        }
    }

    /// Hands the device over: the loan becomes `active` and the device `on_loan`.
    ///
    /// The hand-over gate (DESIGN §5): the loan needs a granted, unwithdrawn consent to its
    /// current explanation and the contact sheet recorded as given for that explanation.
    ///
    /// - Throws: ``RegistryError/handoverBlocked(number:missing:)`` naming what is missing,
    ///   ``RegistryError/invalidLoanTransition(number:from:to:)`` unless the loan is open and not yet active.
    public func handOver(_ reference: String, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.handOverLoan)
        let now = registry.clock.now()
        let today = LocalDate(now)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard LoanLifecycle.isPreparing(loan.status) else {
                throw LoanLifecycle.refusal(.handOver, number: loan.number, from: loan.status)
            }
            guard loan.handoverRequirements.isEmpty else {
                throw RegistryError.handoverBlocked(number: loan.number, missing: loan.handoverRequirements)
            }
            let device = try Device.fetch(db, reference: loan.device.id)
            try DeviceLifecycle.requireLendable(device)
            // The device moves first, so the loan's event carries the digests of both rows.
            try DeviceLifecycle.apply(.handOver, to: device, loanId: loan.id, note: loan.number,
                                      whereabouts: DeviceLifecycle.atPatientsHome(loan.number), by: actor, at: now, in: db)
            try LoanLifecycle.apply(.handOver, to: loan, columns: ["handed_over_at": Timestamp.string(now), "handed_over_by": actor.id],
                                    audit: (.loanHandedOver, ["deviceId": device.id, "explanationSha256": loan.explanation?.sha256 ?? "",
                                                              "consentId": loan.consent?.id ?? ""]),
                                    by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }

    /// Records the device's return. A device whose model stores patient data goes to
    /// `awaiting_wipe` (it cannot be lent again until wiped); any other goes back to `available`.
    ///
    /// - Throws: ``RegistryError/loanNotActive(number:status:)``.
    public func receiveReturn(_ reference: String, _ input: LoanReturn, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.receiveReturn)
        let input = try TextNormalization.nfc(input)
        var validator = FieldValidator()
        validator.text(input.notes ?? "", "notes", maximum: 2000, required: false)
        try validator.check()
        let now = registry.clock.now()
        let today = LocalDate(now)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard LoanLifecycle.transition(from: loan.status, on: .returnDevice) != nil else {
                throw LoanLifecycle.refusal(.returnDevice, number: loan.number, from: loan.status)
            }
            let device = try Device.fetch(db, reference: loan.device.id)
            let event: DeviceEvent = device.model.storesPatientData ? .returnedWithData : .returnedWithoutData
            let next = DeviceLifecycle.transition(from: device.status, on: event)?.to ?? device.status
            // The device moves first, so the loan's event carries the digests of both rows.
            try DeviceLifecycle.apply(event, to: device, loanId: loan.id, note: "\(loan.number) condition=\(input.condition.rawValue)",
                                      whereabouts: event == .returnedWithData ? DeviceLifecycle.awaitingWipeAtTheClinic
                                          : try DeviceLifecycle.shelf(of: device.id, in: db),
                                      by: actor, at: now, in: db)
            try LoanLifecycle.apply(.returnDevice, to: loan,
                                    columns: ["returned_at": Timestamp.string(now), "received_by": actor.id,
                                              "return_condition": input.condition.rawValue,
                                              "accessories_complete": input.accessoriesComplete, "return_notes": input.notes ?? ""],
                                    audit: (.loanReturned, ["condition": input.condition.rawValue,
                                                            "accessoriesComplete": String(input.accessoriesComplete),
                                                            "deviceStatus": next.rawValue]),
                                    by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }

    /// Cancels a loan that was not handed over; the device stays where it is.
    public func cancel(_ reference: String, reason: String, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.cancelLoan)
        let reason = reason.precomposedStringWithCanonicalMapping
        var validator = FieldValidator()
        validator.text(reason, "reason", maximum: 500)
        try validator.check()
        let now = registry.clock.now()
        let today = LocalDate(now)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            try LoanLifecycle.apply(.cancel, to: loan,
                                    columns: ["cancelled_at": Timestamp.string(now), "cancelled_by": actor.id, "cancel_reason": reason],
                                    audit: (.loanCancelled, [:]), by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }

    /// The loan whose id or number is `reference`; the read is audited.
    public func loan(_ reference: String, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.readLoans)
        let now = registry.clock.now()
        return try await registry.auditedRead { db in
            try Loan.fetch(db, reference: reference, asOf: LocalDate(now))
        } audit: { loan, db in
            try AuditLog.append(.loanRead, entityType: "loan", entityId: loan.id,
                                details: ["patientId": loan.patient.id], by: actor, at: now, in: db)
        }
    }

    /// Loans in registration order, optionally only those in `status`; every loan returned is audited as read.
    public func list(_ filter: Filter = Filter(), _ page: PageRequest = .first, by actor: AuditActor) async throws -> Page<Loan> {
        try actor.authorize(.readLoans)
        try filter.validate()
        let after = try page.keys(count: 1).flatMap { Int64($0[0]) } ?? 0
        let now = registry.clock.now()
        return try await registry.auditedRead { db in
            let status = filter.status?.rawValue
            let today = LocalDate(now)
            let rows = try db.cachedMap(
                sql: Loan.selectSQL + " WHERE l.rowid > ? AND (? IS NULL OR l.status = ?) AND " + Filter.conditions
                    + " ORDER BY l.rowid LIMIT ?",
                arguments: [after, status, status] + filter.arguments + [page.limit + 1]) { row in
                (item: try Loan(row: row, asOf: today), position: row["position"] as Int64)
            }
            return Page.from(rows, limit: page.limit)
        } audit: { page, db in
            try Self.auditReads(page.items, via: "list", by: actor, at: now, in: db)
        }
    }

    /// Active loans whose due date is before `asOf` (default: today in Asia/Tokyo), oldest due
    /// date first, with days overdue. Every loan returned is audited as read.
    public func overdue(asOf: LocalDate? = nil, _ page: PageRequest = .first, filter: Filter = Filter(),
                        by actor: AuditActor) async throws -> Page<Loan> {
        try actor.authorize(.readLoans)
        try filter.validate()
        let keys = try page.keys(count: 2)
        let now = registry.clock.now()
        let reference = asOf ?? LocalDate(now)
        let sql = Self.overdueSQL.replacingOccurrences(of: "ORDER BY", with: "AND " + Filter.conditions + "\n ORDER BY")
        return try await registry.auditedRead { db in
            let rows = try db.cachedMap(sql: sql,
                                        arguments: [reference.description, keys?[0], keys?[0], keys?[1]] + filter.arguments
                                            + [page.limit + 1]) { try Loan(row: $0, asOf: reference) }
            let items = Array(rows.prefix(page.limit))
            let next = rows.count > page.limit ? items.last.map { PageRequest.cursor([$0.dueDate.description, $0.number]) } : nil
            return Page(items: items, nextCursor: next)
        } audit: { page, db in
            try Self.auditReads(page.items, via: "overdue", by: actor, at: now, in: db)
        }
    }

    /// The overdue query, pinned to the partial index `loans_active_by_due_date` (which also gives
    /// its order), so it stays fast at a million loans. Arguments: as-of date, cursor due date
    /// (twice), cursor number, limit.
    public static let overdueSQL = Loan.selectSQL.replacingOccurrences(
        of: "FROM loans l", with: "FROM loans l INDEXED BY loans_active_by_due_date") + """
         WHERE l.status = 'active' AND l.due_date < ?
           AND (? IS NULL OR (l.due_date, l.number) > (?, ?))
         ORDER BY l.due_date, l.number
         LIMIT ?
        """

    static func auditReads(_ loans: [Loan], via: String, by actor: AuditActor, at now: Date, in db: Database) throws {
        for loan in loans {
            try AuditLog.append(.loanRead, entityType: "loan", entityId: loan.id,
                                details: ["patientId": loan.patient.id, "via": via], by: actor, at: now, in: db)
        }
    }

    /// The next `L-YYYY-NNNNNN` for `year`, without gaps.
    static func nextNumber(year: Int, in db: Database) throws -> String {
        try db.execute(
            sql: """
                INSERT INTO loan_number_counters (year, last_number) VALUES (?, 1)
                ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1
                """,
            arguments: [year])
        let last = try Int.fetchOne(db, sql: "SELECT last_number FROM loan_number_counters WHERE year = ?", arguments: [year]) ?? 1
        return String(format: "L-%04d-%06d", year, last)
    }
}
