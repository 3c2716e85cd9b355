import Foundation
import GRDB

extension Loans {
    /// Changes a loan that was not handed over yet: device, dates or language.
    ///
    /// The explanation is rendered again; when the text differs, a new snapshot becomes current
    /// (the old ones stay) and a loan that was `consented` goes back to `draft`, because its
    /// consent was to the old text.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``, ``RegistryError/deviceUnavailable(assetTag:status:)``,
    ///   ``RegistryError/invalidLoanTransition(number:from:to:)`` once handed over, cancelled or closed.
    public func change(_ reference: String, _ changes: LoanChanges, precondition: EditPrecondition = .none,
                       by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.changeLoan)
        var validator = FieldValidator()
        validator.require(changes.deviceId != nil || changes.startDate != nil || changes.dueDate != nil
                          || changes.language != nil, "", "give at least one of deviceId, startDate, dueDate, language")
        try validator.check()
        let now = registry.clock.now()
        let today = LocalDate(now)
        // The language is settled inside the write; the texts of every language are read before it.
        let textsByLanguage = registry.texts.explanationTextsByLanguage()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            try precondition.check(loan, entity: "loan", id: loan.number)
            let texts = try textsByLanguage.texts(changes.language ?? loan.language)
            guard LoanLifecycle.isPreparing(loan.status) else {
                throw RegistryError.invalidLoanTransition(number: loan.number, from: loan.status, to: loan.status)
            }
            let start = changes.startDate ?? loan.startDate
            let due = changes.dueDate ?? loan.dueDate
            try Self.validateDates(start: start, due: due, today: today, unchangedStart: changes.startDate == nil)
            var deviceId = loan.device.id
            if let reference = changes.deviceId {
                let device = try Device.fetch(db, reference: reference)
                if device.id != loan.device.id { try Self.requireLendable(device, excludingLoan: loan.id, in: db) }
                deviceId = device.id
            }
            try db.execute(
                sql: "UPDATE loans SET device_id = ?, start_date = ?, due_date = ?, language = ? WHERE id = ?",
                arguments: [deviceId, start.description, due.description, (changes.language ?? loan.language).rawValue, loan.id])
            var changed: [String] = []
            if deviceId != loan.device.id { changed.append("deviceId") }
            if start != loan.startDate { changed.append("startDate") }
            if due != loan.dueDate { changed.append("dueDate") }
            if let language = changes.language, language != loan.language { changed.append("language") }
            try AuditLog.append(.loanChanged, entityType: "loan", entityId: loan.id,
                                details: ["number": loan.number, "fields": changed.joined(separator: ","),
                                          "deviceId": deviceId, "startDate": start.description, "dueDate": due.description],
                                by: actor, at: now, in: db)
            try Self.snapshotIfChanged(loanId: loan.id, texts: texts, by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }

    /// Renders the explanation again from the newest released texts, the clinic profile and the
    /// model's security profile as they are now; a new snapshot becomes current only if the text changed.
    public func refreshExplanation(_ reference: String, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.changeLoan)
        let now = registry.clock.now()
        let today = LocalDate(now)
        let textsByLanguage = registry.texts.explanationTextsByLanguage()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard LoanLifecycle.isPreparing(loan.status) else {
                throw RegistryError.invalidLoanTransition(number: loan.number, from: loan.status, to: loan.status)
            }
            let texts = try textsByLanguage.texts(loan.language)
            try Self.snapshotIfChanged(loanId: loan.id, texts: texts, by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }

    /// Every explanation snapshot of a loan, oldest first, with their texts. Audited as a read of the loan.
    public func explanations(of reference: String, by actor: AuditActor) async throws -> [Explanation] {
        try actor.authorize(.readLoans)
        let now = registry.clock.now()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: LocalDate(now))
            try AuditLog.append(.loanRead, entityType: "loan", entityId: loan.id,
                                details: ["patientId": loan.patient.id, "via": "explanations"], by: actor, at: now, in: db)
            return try Explanation.history(db, loanId: loan.id, withText: true)
        }
    }

    /// Records that the contact sheet (連絡先のご案内) for the current explanation was given to the patient.
    ///
    /// - Throws: ``RegistryError/contactSheetAlreadyRecorded(number:)``, ``RegistryError/validationFailed(_:)``
    ///   (given in the future or before the explanation, or an unreleased handout version),
    ///   ``RegistryError/invalidLoanTransition(number:from:to:)`` once handed over or closed.
    public func recordContactSheet(_ reference: String, _ input: ContactSheetGiven, by actor: AuditActor) async throws -> Loan {
        try actor.authorize(.recordContactSheet)
        let now = registry.clock.now()
        let today = LocalDate(now)
        let released = Set(try registry.texts.lock().keys)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard LoanLifecycle.isPreparing(loan.status), let explanation = loan.explanation else {
                throw RegistryError.invalidLoanTransition(number: loan.number, from: loan.status, to: loan.status)
            }
            guard loan.contactSheet == nil else { throw RegistryError.contactSheetAlreadyRecorded(number: loan.number) }
            let givenAt = input.givenAt ?? now
            let version = input.handoutVersion ?? explanation.textVersion
            var validator = FieldValidator()
            validator.require(givenAt <= now.addingTimeInterval(60), "givenAt", "must not be in the future")
            validator.require(givenAt >= explanation.createdAt.addingTimeInterval(-60), "givenAt",
                              "must not be before the current explanation was prepared")
            validator.require(released.contains("v\(version)/\(loan.language.rawValue)/contact-sheet.md"), "handoutVersion",
                              "must be a released version of the contact sheet in \(loan.language.rawValue)")
            try validator.check()
            let id = RecordID.make()
            try db.execute(
                sql: """
                    INSERT INTO contact_sheets (id, loan_id, explanation_id, handout_version, language, given_at, given_by,
                        recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, loan.id, explanation.id, version, loan.language.rawValue, Timestamp.string(givenAt),
                            actor.id, Timestamp.string(now)])
            try AuditLog.append(.contactSheetGiven, entityType: "loan", entityId: loan.id,
                                details: ["number": loan.number, "explanationId": explanation.id,
                                          "handoutVersion": String(version), "givenAt": Timestamp.string(givenAt)],
                                by: actor, at: now, in: db)
            return try Loan.fetch(db, reference: loan.id, asOf: today)
        }
    }

    /// Renders the loan's explanation as things are now and, when the text differs from the
    /// current snapshot, stores a new one; a consented loan then goes back to `draft`.
    static func snapshotIfChanged(loanId: String, texts: ExplanationTexts, by actor: AuditActor, at now: Date,
                                  in db: Database) throws {
        let today = LocalDate(now)
        let loan = try Loan.fetch(db, reference: loanId, asOf: today)
        let device = try Device.fetch(db, reference: loan.device.id)
        let model = try DeviceModel.fetch(db, id: device.modelId)
        let output = ExplanationRenderer(texts: texts).render(ExplanationRenderer.Input(
            loanNumber: loan.number, manufacturer: model.manufacturer, modelName: model.name, assetTag: device.assetTag,
            serialNumber: device.serialNumber, category: model.category, profile: model.securityProfile,
            support: model.support, startDate: loan.startDate, dueDate: loan.dueDate,
            clinic: try ClinicProfile.require(db), today: today))
        guard output.sha256 != loan.explanation?.sha256 else { return }
        _ = try Explanation.insert(output, loanId: loan.id, deviceId: device.id, startDate: loan.startDate,
                                   dueDate: loan.dueDate, by: actor, at: now, in: db)
        if LoanLifecycle.transition(from: loan.status, on: .explanationChanged) != nil {
            try LoanLifecycle.apply(.explanationChanged, to: loan, audit: (.loanNeedsNewConsent, ["from": loan.status.rawValue]),
                                    note: "explanation #\(loan.explanation.map { $0.sequence + 1 } ?? 1)", by: actor, at: now, in: db)
        }
    }

    /// Start not before today (unless it is the loan's existing start), due not before start and
    /// within ``maximumLoanDays`` of today.
    static func validateDates(start: LocalDate, due: LocalDate, today: LocalDate, unchangedStart: Bool = false) throws {
        var validator = FieldValidator()
        validator.require(unchangedStart || start >= today, "startDate", "must not be before today (\(today))")
        validator.require(start <= today.adding(days: maximumLoanDays), "startDate",
                          "must be within \(maximumLoanDays) days of today")
        validator.require(due >= start && due >= today, "dueDate", "must not be before the start date or today")
        validator.require(due <= today.adding(days: maximumLoanDays), "dueDate",
                          "must be within \(maximumLoanDays) days of today")
        try validator.check()
    }

    /// The device is available and no other open loan holds it.
    static func requireLendable(_ device: Device, excludingLoan loanId: String?, in db: Database) throws {
        try DeviceLifecycle.requireLendable(device)
        let open = LoanStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard try Bool.fetchOne(db, sql: """
                  SELECT EXISTS (SELECT 1 FROM loans WHERE device_id = ? AND id IS NOT ? AND status IN (\(open)))
                  """, arguments: [device.id, loanId]) == false
        else { throw RegistryError.deviceUnavailable(assetTag: device.assetTag, status: device.status) }
    }
}
