public import Foundation
import GRDB

/// Consent decisions on explanation snapshots, and their withdrawal. Every read is audited.
public struct Consents: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Records the patient's (or proxy's) decision on the loan's current explanation.
    ///
    /// Granted: the loan becomes `consented`. Refused: the loan is cancelled and its device is
    /// free again. One decision per explanation snapshot.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` (fields, signature image),
    ///   ``RegistryError/explanationChanged(number:)`` when the hash is not the current explanation's,
    ///   ``RegistryError/consentAlreadyRecorded(number:)``,
    ///   ``RegistryError/invalidLoanTransition(number:from:to:)`` once handed over, cancelled or closed.
    public func record(loan reference: String, _ input: NewConsent, by actor: AuditActor) async throws -> Consent {
        try actor.authorize(.recordConsent)
        let input = try TextNormalization.nfc(input)
        let now = registry.clock.now()
        let png = try input.validate(now: now)
        let today = LocalDate(now)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard let explanation = loan.explanation, LoanLifecycle.isPreparing(loan.status) else {
                throw RegistryError.invalidLoanTransition(
                    number: loan.number, from: loan.status, to: input.decision == .granted ? .consented : .cancelled)
            }
            guard loan.consent == nil else { throw RegistryError.consentAlreadyRecorded(number: loan.number) }
            guard input.explanationSha256 == explanation.sha256 else {
                throw RegistryError.explanationChanged(number: loan.number)
            }
            let explainer = try Self.explainingStaff(input.explainedBy, in: db)
            let explainedAt = input.explainedAt ?? now
            guard explainedAt >= explanation.createdAt.addingTimeInterval(-60) else {
                throw RegistryError.validationFailed([FieldError("explainedAt", "must not be before the explanation was prepared")])
            }
            let profile = try DeviceModel.fetch(db, id: try Device.fetch(db, reference: loan.device.id).modelId).securityProfile
            if input.decision == .granted { try Self.checkScope(input.scope, against: profile) }
            let id = RecordID.make()
            let evidence = input.signature
            let strokes = try evidence?.strokes.map { (json: String(decoding: try $0.canonicalJSON(), as: UTF8.self), sha256: try $0.sha256()) }
            try db.execute(
                sql: """
                    INSERT INTO consents (id, loan_id, explanation_id, explanation_sha256, decision, signer_kind, signer_name,
                        proxy_relationship, proxy_reason, explained_by, witness, scope_maker_cloud, scope_sharing,
                        scope_research, evidence_method, signature_png, signature_sha256, scan_reference, copy_given,
                        explained_at, decided_at, recorded_by, signature_strokes, signature_strokes_sha256)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, loan.id, explanation.id, explanation.sha256, input.decision.rawValue,
                            input.signer.kind.rawValue, input.signer.name, input.signer.relationship, input.signer.reason,
                            explainer, input.witness,
                            input.decision == .granted && (input.scope?.makerCloud ?? false),
                            input.decision == .granted && (input.scope?.sharing ?? false),
                            input.decision == .granted && (input.scope?.research ?? false),
                            evidence?.method.rawValue, png?.data, png?.sha256, evidence?.scanReference,
                            input.copyGiven ?? false, Timestamp.string(explainedAt), Timestamp.string(now), actor.id,
                            strokes?.json, strokes?.sha256])
            // The consent's own audit event below records the decision.
            switch input.decision {
            case .granted:
                try LoanLifecycle.apply(.consentGranted, to: loan, note: "consent \(id)", by: actor, at: now, in: db)
            case .refused:
                try LoanLifecycle.apply(.consentRefused, to: loan,
                                        columns: ["cancelled_at": Timestamp.string(now), "cancelled_by": actor.id,
                                                  "cancel_reason": "consent refused"],
                                        note: "consent \(id)", by: actor, at: now, in: db)
            }
            try AuditLog.append(
                .consentRecorded, entityType: "consent", entityId: id,
                details: ["loanId": loan.id, "number": loan.number, "explanationId": explanation.id,
                          "explanationSha256": explanation.sha256, "decision": input.decision.rawValue,
                          "signerKind": input.signer.kind.rawValue, "evidence": evidence?.method.rawValue ?? "none",
                          "signatureSha256": png?.sha256 ?? "", "strokesSha256": strokes?.sha256 ?? "", "loanStatus": input.decision == .granted ? "consented" : "cancelled"],
                by: actor, at: now, in: db)
            return try Consent.fetch(db, id: id)
        }
    }

    /// The consent with `id`; the read is audited.
    public func consent(_ id: String, by actor: AuditActor) async throws -> Consent {
        try actor.authorize(.readConsents)
        let now = registry.clock.now()
        return try await writer.write { db in
            let consent = try Consent.fetch(db, id: id)
            try AuditLog.append(.consentRead, entityType: "consent", entityId: consent.id,
                                details: ["loanId": consent.loanId], by: actor, at: now, in: db)
            return consent
        }
    }

    /// Every consent decision on a loan, oldest first; each read is audited.
    public func consents(ofLoan reference: String, by actor: AuditActor) async throws -> [Consent] {
        try actor.authorize(.readConsents)
        let now = registry.clock.now()
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: LocalDate(now))
            let consents = try db.cachedRows(sql: Consent.selectSQL + " WHERE c.loan_id = ? ORDER BY c.decided_at, c.rowid",
                                            arguments: [loan.id]).map(Consent.init(row:))
            for consent in consents {
                try AuditLog.append(.consentRead, entityType: "consent", entityId: consent.id,
                                    details: ["loanId": loan.id, "via": "loan"], by: actor, at: now, in: db)
            }
            return consents
        }
    }

    /// The tablet signature image of a consent (PNG bytes), or `nil` when the evidence is a paper
    /// scan or there is none; the read is audited.
    public func signature(of id: String, by actor: AuditActor) async throws -> Data? {
        try actor.authorize(.readConsents)
        let now = registry.clock.now()
        return try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT loan_id, signature_png FROM consents WHERE id = ?", arguments: [id])
            else { throw RegistryError.notFound(entity: "consent", id: id) }
            try AuditLog.append(.consentSignatureRead, entityType: "consent", entityId: id,
                                details: ["loanId": row["loan_id"] as String], by: actor, at: now, in: db)
            return row["signature_png"] as Data?
        }
    }

    /// The pen strokes of a consent's tablet signature, or `nil` when none were kept; the read is
    /// audited like the signature image.
    public func signatureStrokes(of id: String, by actor: AuditActor) async throws -> SignatureStrokes? {
        try actor.authorize(.readConsents)
        let now = registry.clock.now()
        return try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT loan_id, signature_strokes FROM consents WHERE id = ?", arguments: [id])
            else { throw RegistryError.notFound(entity: "consent", id: id) }
            try AuditLog.append(.consentSignatureRead, entityType: "consent", entityId: id,
                                details: ["loanId": row["loan_id"] as String, "part": "strokes"], by: actor, at: now, in: db)
            guard let json = row["signature_strokes"] as String? else { return nil }
            return try JSONDecoder().decode(SignatureStrokes.self, from: Data(json.utf8))
        }
    }

    /// Records the withdrawal of a granted consent.
    ///
    /// While the device is with the patient (loan `active`), the loan is marked for device
    /// recovery (see ``Loans/awaitingRecovery(_:by:)``). Before hand-over, the loan is cancelled
    /// and its device freed. After return, the withdrawal is recorded for data handling only.
    ///
    /// - Throws: ``RegistryError/consentNotWithdrawable(id:)`` for a refused consent,
    ///   ``RegistryError/consentAlreadyWithdrawn(id:)``, ``RegistryError/validationFailed(_:)``.
    public func withdraw(_ id: String, _ input: NewConsentWithdrawal, by actor: AuditActor) async throws -> Consent {
        try actor.authorize(.withdrawConsent)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let now = registry.clock.now()
        let today = LocalDate(now)
        return try await writer.write { db in
            let consent = try Consent.fetch(db, id: id)
            guard consent.decision == .granted else { throw RegistryError.consentNotWithdrawable(id: consent.id) }
            guard consent.withdrawal == nil else { throw RegistryError.consentAlreadyWithdrawn(id: consent.id) }
            let loan = try Loan.fetch(db, reference: consent.loanId, asOf: today)
            let recovery = loan.status == .active
            try db.execute(
                sql: """
                    INSERT INTO consent_withdrawals (id, consent_id, reason, channel, actions_taken, recovery_required,
                        withdrawn_at, recorded_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [RecordID.make(), consent.id, input.reason, input.channel.rawValue,
                            input.actionsTaken, recovery, Timestamp.string(now), actor.id])
            var effect = "recorded"
            if recovery {
                try db.execute(sql: "UPDATE loans SET recovery_requested_at = ? WHERE id = ? AND recovery_requested_at IS NULL",
                               arguments: [Timestamp.string(now), loan.id])
                effect = "recovery_requested"
            } else if LoanLifecycle.transition(from: loan.status, on: .consentWithdrawn) != nil {
                // The withdrawal's own audit event below records the effect.
                try LoanLifecycle.apply(.consentWithdrawn, to: loan,
                                        columns: ["cancelled_at": Timestamp.string(now), "cancelled_by": actor.id,
                                                  "cancel_reason": "consent withdrawn"],
                                        note: "consent \(consent.id)", by: actor, at: now, in: db)
                effect = "loan_cancelled"
            }
            try AuditLog.append(.consentWithdrawn, entityType: "consent", entityId: consent.id,
                                details: ["loanId": loan.id, "number": loan.number, "channel": input.channel.rawValue,
                                          "effect": effect],
                                by: actor, at: now, in: db)
            return try Consent.fetch(db, id: consent.id)
        }
    }

    /// The stored form (`staff:<login>`) of the account that explained: it must be an active
    /// staff account with a clinical role. `explainedBy` is its login (`staff:` may precede it).
    static func explainingStaff(_ explainedBy: String, in db: Database) throws -> String {
        try StaffReference.resolve(explainedBy, field: "explainedBy", mayPerform: .recordConsent, in: db)
    }
}

extension Consents {
    /// Every scope question the model's profile raises must be answered, yes or no, and none it
    /// does not raise: a silent default would record an answer the patient never gave.
    ///
    /// - The maker's cloud, when the model uploads to one.
    /// - Sharing, when the model has a sharing feature.
    /// - Research is the clinic's own question and may be left out (no).
    static func checkScope(_ scope: NewConsent.Scope?, against profile: SecurityProfile) throws {
        var validator = FieldValidator()
        if profile.asksAboutMakerCloud, let cloud = profile.cloudUpload {
            validator.require(scope?.makerCloud != nil, "scope.makerCloud",
                              "must be answered: this model sends its data to \(cloud.operator) (\(cloud.region))")
        } else {
            validator.require(scope?.makerCloud == nil, "scope.makerCloud", "does not apply: this model uses no maker's cloud")
        }
        if profile.asksAboutSharing {
            validator.require(scope?.sharing != nil, "scope.sharing", "must be answered: this model can share data with others")
        } else {
            validator.require(scope?.sharing == nil, "scope.sharing", "does not apply: this model has no sharing feature")
        }
        try validator.check()
    }
}
