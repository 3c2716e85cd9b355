import Foundation
import GRDB

/// Produces the evidence report for the planning manager (auditors may read it too). Producing
/// one is audited.
public struct EvidenceReports: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// The report for `period`, verified against the checkpoints in `store` when given.
    public func report(_ period: AccessReviewPeriod, checkpoints store: CheckpointStore?,
                       by actor: AuditActor) async throws -> EvidenceReport {
        try actor.authorize(.readReports)
        let now = registry.clock.now()
        // The deep check: a row edited outside the registry must not pass as verified on paper.
        let verification = try await registry.verify(deep: true, checkpoints: store)
        let log = try await registry.read { _ in try store?.readLog() }
        let report = try await registry.read { db in
            try Self.compute(period, asOf: LocalDate(now), in: db)
        }.finished(verification: verification, checkpoints: log?.checkpoints ?? [], period: period,
                   at: Timestamp.string(now), by: actor.id)
        let exceptions = report.exceptions.count, verified = report.auditVerified
        _ = try await writer.write { db in
            try AuditLog.append(.evidenceReportGenerated, entityType: "evidence_report", entityId: period.id,
                                details: ["exceptions": String(exceptions), "auditVerified": String(verified)],
                                by: actor, at: now, in: db)
        }
        return report
    }

    static func compute(_ period: AccessReviewPeriod, asOf today: LocalDate, in db: Database) throws -> EvidenceReport {
        let start = Timestamp.string(period.from.startOfDay)
        let end = Timestamp.string(period.to.adding(days: 1).startOfDay)
        var exceptions: [EvidenceReport.Exception] = []

        // ⑧
        let handedOver = try Row.fetchAll(db, sql: """
            SELECT l.number,
                   EXISTS (SELECT 1 FROM consents c WHERE c.explanation_id = l.current_explanation_id AND c.decision = 'granted'
                           AND c.decided_at <= l.handed_over_at
                           AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id AND w.withdrawn_at <= l.handed_over_at))
                       AS consented,
                   EXISTS (SELECT 1 FROM contact_sheets s WHERE s.explanation_id = l.current_explanation_id
                           AND s.recorded_at <= l.handed_over_at) AS contact_sheet
            FROM loans l WHERE l.handed_over_at >= ? AND l.handed_over_at < ? ORDER BY l.number
            """, arguments: [start, end])
        var withoutGate = 0
        for row in handedOver {
            let number: String = row["number"]
            let consented: Bool = row["consented"], sheet: Bool = row["contact_sheet"]
            if !consented { exceptions.append(.init(clause: "⑧", code: "handed_over_without_consent", reference: number)) }
            if !sheet { exceptions.append(.init(clause: "⑧", code: "handed_over_without_contact_sheet", reference: number)) }
            if !consented || !sheet { withoutGate += 1 }
        }
        let groups = try Row.fetchAll(db, sql: """
            SELECT e.text_version, e.language, c.decision, count(*) AS n FROM consents c JOIN explanations e ON e.id = c.explanation_id
            WHERE c.decided_at >= ? AND c.decided_at < ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """, arguments: [start, end]).map {
            EvidenceReport.Consent.Group(textVersion: $0["text_version"], language: $0["language"], decision: $0["decision"], count: $0["n"])
        }
        let sheets = try Int.fetchOne(db, sql: "SELECT count(*) FROM contact_sheets WHERE given_at >= ? AND given_at < ?",
                                      arguments: [start, end]) ?? 0
        let withdrawals = try Row.fetchAll(db, sql: """
            SELECT l.number, w.withdrawn_at, w.channel, w.recovery_required, w.actions_taken
            FROM consent_withdrawals w JOIN consents c ON c.id = w.consent_id JOIN loans l ON l.id = c.loan_id
            WHERE w.withdrawn_at >= ? AND w.withdrawn_at < ? ORDER BY w.withdrawn_at
            """, arguments: [start, end]).map {
            EvidenceReport.Consent.Withdrawal(loanNumber: $0["number"], withdrawnAt: $0["withdrawn_at"], channel: $0["channel"],
                                              recoveryRequired: $0["recovery_required"], actionsTaken: $0["actions_taken"])
        }
        let consent = EvidenceReport.Consent(
            loansHandedOver: handedOver.count, consents: groups,
            refusedConsents: groups.filter { $0.decision == "refused" }.reduce(0) { $0 + $1.count },
            contactSheetsGiven: sheets, handedOverWithoutConsentOrContactSheet: withoutGate, withdrawals: withdrawals)

        // ⑦
        var byStatus: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM devices GROUP BY status") {
            byStatus[row["status"]] = row["n"]
        }
        let whereabouts = try Row.fetchAll(db, sql: """
            SELECT whereabouts, count(*) AS n FROM devices WHERE status != 'disposed' GROUP BY whereabouts ORDER BY n DESC, whereabouts LIMIT 30
            """).map { EvidenceReport.Ledger.Whereabouts(whereabouts: $0["whereabouts"], count: $0["n"]) }
        var stocktakes: [EvidenceReport.Ledger.Stocktake] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT id, number, opened_at, closed_at, signed_off_by FROM stocktakes WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at
            """, arguments: [start, end]) {
            let id: String = row["id"], number: String = row["number"]
            // The stocktake's own report decides what was expected on the shelf, missing and unexpected.
            let stocktake = try Stocktakes.report(id, asOf: today, in: db)
            let expected = stocktake.expectedOnShelf.count
            let missing = stocktake.missing.map(\.assetTag), unexpected = stocktake.unexpected.map(\.assetTag)
            let closed: String? = row["closed_at"], signedOff: String? = row["signed_off_by"]
            if closed != nil {
                for tag in missing { exceptions.append(.init(clause: "⑦", code: "stocktake_device_missing", reference: "\(number) \(tag)")) }
                for tag in unexpected { exceptions.append(.init(clause: "⑦", code: "stocktake_device_unexpected", reference: "\(number) \(tag)")) }
            }
            if signedOff == nil { exceptions.append(.init(clause: "⑦", code: "stocktake_not_signed_off", reference: number)) }
            stocktakes.append(.init(number: number, openedAt: row["opened_at"], closedAt: closed, signedOffBy: signedOff,
                                    expected: expected, missing: missing, unexpected: unexpected))
        }
        let ledger = EvidenceReport.Ledger(devicesByStatus: byStatus, devicesByWhereabouts: whereabouts, stocktakes: stocktakes)

        // ③
        var incidents: [EvidenceReport.Incidents.Incident] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT number, kind, discovered_on, reportable, preliminary_due_on, preliminary_submitted_on, final_due_on, final_submitted_on
            FROM incidents WHERE discovered_on >= ? AND discovered_on <= ? ORDER BY number
            """, arguments: [period.from.description, period.to.description]) {
            let number: String = row["number"]
            let reportable: Bool = row["reportable"]
            var deadlines = "not_reportable"
            if reportable {
                let stages: [(String, String, String?)] = [("preliminary", row["preliminary_due_on"], row["preliminary_submitted_on"]),
                                                           ("final", row["final_due_on"], row["final_submitted_on"])]
                var missed = false, open = false
                for (stage, due, submitted) in stages {
                    if let submitted {
                        if submitted > due {
                            missed = true
                            exceptions.append(.init(clause: "③", code: "breach_report_late", reference: "\(number) \(stage)"))
                        }
                    } else if due < today.description {
                        missed = true
                        exceptions.append(.init(clause: "③", code: "breach_report_overdue", reference: "\(number) \(stage)"))
                    } else {
                        open = true
                    }
                }
                deadlines = missed ? "missed" : open ? "open" : "met"
            }
            incidents.append(.init(number: number, kind: row["kind"], discoveredOn: row["discovered_on"], reportable: reportable,
                                   preliminaryDueOn: row["preliminary_due_on"], preliminarySubmittedOn: row["preliminary_submitted_on"],
                                   finalDueOn: row["final_due_on"], finalSubmittedOn: row["final_submitted_on"], deadlines: deadlines))
        }

        // ⑨ ⑩ ⑪
        let wipes = try Row.fetchAll(db, sql: """
            SELECT d.asset_tag, s.method, s.performed_by, s.verified_by, s.recorded_at FROM sanitizations s JOIN devices d ON d.id = s.device_id
            WHERE s.recorded_at >= ? AND s.recorded_at < ? ORDER BY s.recorded_at
            """, arguments: [start, end]).map {
            EvidenceReport.Deletion.Wipe(assetTag: $0["asset_tag"], method: $0["method"], performedBy: $0["performed_by"],
                                         verifiedBy: $0["verified_by"], recordedAt: $0["recorded_at"])
        }
        let disposals = try Row.fetchAll(db, sql: """
            SELECT d.asset_tag, x.method, x.evidence, x.certificate_number, x.recorded_at FROM disposals x JOIN devices d ON d.id = x.device_id
            WHERE x.recorded_at >= ? AND x.recorded_at < ? ORDER BY x.recorded_at
            """, arguments: [start, end]).map {
            EvidenceReport.Deletion.Disposal(assetTag: $0["asset_tag"], method: $0["method"], evidence: $0["evidence"],
                                             certificateNumber: $0["certificate_number"], recordedAt: $0["recorded_at"])
        }
        let unevidenced = try String.fetchAll(db, sql: """
            SELECT d.asset_tag FROM devices d WHERE d.status = 'disposed'
              AND NOT EXISTS (SELECT 1 FROM disposals x WHERE x.device_id = d.id AND x.no_readable_data_confirmed = 1) ORDER BY d.asset_tag
            """)
        for tag in unevidenced { exceptions.append(.init(clause: "⑨⑩⑪", code: "disposed_without_evidence", reference: tag)) }
        let deletion = EvidenceReport.Deletion(wipes: wipes, disposals: disposals, disposedWithoutEvidence: unevidenced.count)

        // Access logs.
        let review = try AccessReviewComputation.review(period, in: db)
        var byKind: [String: Int] = [:]
        for flag in review.flags { byKind[flag.kind.rawValue, default: 0] += 1 }
        for flag in review.flags where flag.decision == nil {
            exceptions.append(.init(clause: "access", code: "access_flag_undecided", reference: flag.id))
        }
        for flag in review.flags where flag.decision?.decision == .followUp {
            exceptions.append(.init(clause: "access", code: "access_flag_follow_up", reference: flag.id))
        }
        if review.signOff == nil {
            exceptions.append(.init(clause: "access", code: "access_review_not_signed_off", reference: period.id))
        }
        let events = try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain_head WHERE id = 1") ?? 0
        let access = EvidenceReport.AccessLogs(
            reads: review.reads, flagsByKind: byKind, decided: review.flags.count - review.undecided,
            followUps: review.flags.filter { $0.decision?.decision == .followUp }.count,
            signedOffBy: review.signOff?.signedBy, signedOffAt: review.signOff?.signedAt, verificationProblems: [],
            auditEvents: events)
        let clinic = try String.fetchOne(db, sql: "SELECT name FROM clinic_profile WHERE id = 1") ?? ""
        return EvidenceReport(period: period, generatedAt: "", generatedBy: "", clinicName: clinic, consent: consent, ledger: ledger,
                              incidents: .init(incidents: incidents), deletion: deletion, accessLogs: access,
                              exceptions: exceptions, auditVerified: false, latestCheckpoint: nil, dailyCheckpoints: [])
    }
}

extension EvidenceReport {
    /// The report with the verification, the checkpoints and who produced it.
    func finished(verification: RegistryVerification, checkpoints: [AuditCheckpoint], period: AccessReviewPeriod,
                  at: String, by: String) -> EvidenceReport {
        var problems: [String] = verification.integrity
        if verification.foreignKeyViolations > 0 { problems.append("\(verification.foreignKeyViolations) foreign key violations") }
        if let broken = verification.auditChain.firstBreak { problems.append("audit chain: event \(broken.seq): \(broken.reason)") }
        problems += verification.triggers.findings.map { "trigger \($0.name) \($0.problem)" }
        problems += verification.checkpoints?.problems ?? []
        if let rows = verification.rows {
            if let baseline = rows.baselineProblem { problems.append(baseline) }
            problems += rows.findings.prefix(20).map { "\($0.table) \($0.id): \($0.problem.rawValue)" }
        }
        var exceptions = self.exceptions
        if let first = problems.first {
            exceptions.append(.init(clause: "access", code: "audit_verification_failed", reference: first))
        }
        var daily: [String: AuditCheckpoint] = [:]
        for checkpoint in checkpoints {
            guard let date = Timestamp.date(checkpoint.at) else { continue }
            let day = LocalDate(date)
            if period.contains(day) { daily[day.description] = checkpoint }
        }
        let logs = accessLogs
        return EvidenceReport(
            period: period, generatedAt: at, generatedBy: by, clinicName: clinicName, consent: consent, ledger: ledger,
            incidents: incidents, deletion: deletion,
            accessLogs: AccessLogs(reads: logs.reads, flagsByKind: logs.flagsByKind, decided: logs.decided, followUps: logs.followUps,
                                   signedOffBy: logs.signedOffBy, signedOffAt: logs.signedOffAt, verificationProblems: problems,
                                   auditEvents: logs.auditEvents),
            exceptions: exceptions, auditVerified: verification.passed, latestCheckpoint: checkpoints.last,
            dailyCheckpoints: daily.keys.sorted().compactMap { daily[$0] })
    }
}
