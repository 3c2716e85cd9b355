import Foundation
import Handouts
import Hummingbird
import LoanRegistry

/// `/reviews/access`: the access-log review for auditors and managers — a period's reads per
/// account, every flag with a decision form, and the manager's sign-off. `/reports/evidence`: the
/// evidence report on screen and as PDF. `/audit`: the audit log's events and its verification.
struct ReviewPages: Sendable {
    let registry: Registry
    let printer: HandoutPrinter
    let checkpoints: CheckpointStore?

    func add(to pages: PageGroup) {
        pages.get("reviews/access", .operation(.reviewAccess), review)
            .post("reviews/access/:period/decisions", .operation(.reviewAccess), decide)
            .post("reviews/access/:period/sign-off", .operation(.signOffAccessReview), signOff)
            .get("reports/evidence", .operation(.readReports), evidence)
            .get("reports/evidence.pdf", .operation(.readReports), evidencePDF)
            .get("audit", .operation(.readAuditLog), audit)
    }

    /// The period named by `from` and `to` in the query, else last month.
    func period(_ page: PageVisit) throws -> AccessReviewPeriod {
        if let from = page.query("from"), let to = page.query("to") {
            guard let start = LocalDate(from), let end = LocalDate(to), let period = AccessReviewPeriod(from: start, to: end) else {
                throw RegistryError.validationFailed([FieldError("to", page.t("periodInvalid"))])
            }
            return period
        }
        let today = LocalDate(registry.clock.now())
        let lastOfPrevious = today.adding(days: -today.day)
        let firstOfPrevious = lastOfPrevious.adding(days: 1 - lastOfPrevious.day)
        guard let period = AccessReviewPeriod(from: firstOfPrevious, to: lastOfPrevious) else {
            throw RegistryError.validationFailed([FieldError("to", page.t("periodInvalid"))])
        }
        return period
    }

    struct FlagRow {
        let id: String
        let kind: String
        let account: String
        let day: String
        let count: Int
        let facts: String
        let patientId: String?
        let decided: Bool
        let decision: String
        let followUp: Bool
        let note: String
        let decidedBy: String
        let formId: String
    }

    struct AccountRow {
        let account: String
        let reads: Int
        let offHours: Int
        let patients: Int
        let unrelated: Int
        let flags: Int
    }

    struct ReviewContent {
        let from: String
        let to: String
        let periodId: String
        let reads: Int
        let accounts: [AccountRow]
        let flags: [FlagRow]
        let undecided: Int
        let signedOff: String?
        let canDecide: Bool
        let canSignOff: Bool
        let periodEnded: Bool
    }

    @Sendable func review(_ page: PageVisit) async throws -> Response {
        try await reviewPage(page, period: nil)
    }

    func reviewPage(_ page: PageVisit, period given: AccessReviewPeriod?, status: HTTPResponse.Status = .ok,
                    error: String? = nil) async throws -> Response {
        let language = page.language
        let period: AccessReviewPeriod
        do {
            period = try given ?? self.period(page)
        } catch let failure as RegistryError {
            return page.render("error", title: page.t("reviewTitle"), content: [String: String](), status: .unprocessableContent,
                               error: UIText.message(for: failure, language))
        }
        let review = try await registry.reviews.review(period, by: try page.requireActor())
        let flags = review.flags.enumerated().map { index, flag in
            FlagRow(id: flag.id, kind: page.t("flag." + flag.kind.rawValue), account: UIText.actorName(flag.account, language),
                    day: flag.day.map { DisplayDate.day($0, language) } ?? "—", count: flag.count,
                    facts: flag.facts.sorted { $0.key < $1.key }.map { key, value in
                        switch key {
                        case "reason": value.split(separator: ",").map { page.t("offHours." + $0) }.joined(separator: "・")
                        case "reasons": "\(page.t("fact." + key)): " + value.split(separator: ",").map { reason in
                            UIText.entries["signInFailure." + reason] == nil ? String(reason) : page.t("signInFailure." + reason)
                        }.joined(separator: "・")
                        default: "\(page.t("fact." + key)): \(value)"
                        }
                    }.joined(separator: "　"),
                    patientId: flag.patientId, decided: flag.decision != nil,
                    decision: flag.decision.map { page.t("decision." + $0.decision.rawValue) } ?? "",
                    followUp: flag.decision?.decision == .followUp, note: flag.decision?.note ?? "",
                    decidedBy: flag.decision.map { UIText.actorName($0.decidedBy, language) } ?? "", formId: "f\(index)")
        }
        let content = ReviewContent(
            from: period.from.description, to: period.to.description, periodId: period.id, reads: review.reads,
            accounts: review.accounts.map {
                AccountRow(account: UIText.actorName($0.account, language), reads: $0.reads, offHours: $0.offHoursReads,
                           patients: $0.patients, unrelated: $0.patientsWithoutRelationship, flags: $0.flags)
            },
            flags: flags, undecided: review.undecided,
            signedOff: review.signOff.map { "\(UIText.actorName($0.signedBy, language)) \(Timestamp.date($0.signedAt).map { DisplayDate.moment($0, language) } ?? "")" },
            canDecide: review.signOff == nil, canSignOff: page.may(.signOffAccessReview) && review.signOff == nil,
            periodEnded: period.to < LocalDate(registry.clock.now()))
        return page.render("review", title: page.t("reviewTitle"), content: content, status: status, error: error,
                           notice: page.doneNotice())
    }

    @Sendable func decide(_ page: PageVisit) async throws -> Response {
        guard let period = AccessReviewPeriod(id: try page.parameter("period")) else {
            return try await reviewPage(page, period: nil, status: .unprocessableContent, error: page.t("periodInvalid"))
        }
        do {
            guard let outcome = page.form["decision"].flatMap(AccessReviewDecision.Outcome.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("decision", page.t("chooseReviewDecision"))])
            }
            _ = try await registry.reviews.decide(period, item: page.form["item"] ?? "", outcome, note: page.form["note"] ?? "",
                                                  by: try page.requireActor())
            return PageRenderer.redirect("/reviews/access?from=\(period.from)&to=\(period.to)&done=decided")
        } catch let error as RegistryError {
            return try await reviewPage(page, period: period, status: ProblemDetails(error).status,
                                        error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func signOff(_ page: PageVisit) async throws -> Response {
        guard let period = AccessReviewPeriod(id: try page.parameter("period")) else {
            return try await reviewPage(page, period: nil, status: .unprocessableContent, error: page.t("periodInvalid"))
        }
        do {
            _ = try await registry.reviews.signOff(period, note: page.form["note"] ?? "", by: try page.requireActor())
            return PageRenderer.redirect("/reviews/access?from=\(period.from)&to=\(period.to)&done=reviewSignedOff")
        } catch let error as RegistryError {
            return try await reviewPage(page, period: period, status: ProblemDetails(error).status,
                                        error: UIText.message(for: error, page.language))
        }
    }

    struct ExceptionRow {
        let clause: String
        let text: String
        let reference: String
    }

    struct EvidenceContent {
        let from: String
        let to: String
        let verified: Bool
        let problems: [String]
        let exceptions: [ExceptionRow]
        let handedOver: Int
        let withoutGate: Int
        let contactSheets: Int
        let wipes: Int
        let disposals: Int
        let incidents: Int
        let stocktakes: Int
        let reads: Int
        let checkpoint: String?
    }

    @Sendable func evidence(_ page: PageVisit) async throws -> Response {
        let language = page.language
        let period: AccessReviewPeriod
        do {
            period = try self.period(page)
        } catch let failure as RegistryError {
            return page.render("error", title: page.t("evidenceTitle"), content: [String: String](), status: .unprocessableContent,
                               error: UIText.message(for: failure, language))
        }
        let report = try await registry.evidence.report(period, checkpoints: checkpoints, by: try page.requireActor())
        let content = EvidenceContent(
            from: period.from.description, to: period.to.description, verified: report.auditVerified,
            problems: report.accessLogs.verificationProblems,
            exceptions: report.exceptions.map {
                ExceptionRow(clause: $0.clause == "access" ? page.t("accessLogs") : $0.clause, text: page.t("exception." + $0.code),
                             reference: $0.reference)
            },
            handedOver: report.consent.loansHandedOver, withoutGate: report.consent.handedOverWithoutConsentOrContactSheet,
            contactSheets: report.consent.contactSheetsGiven, wipes: report.deletion.wipes.count,
            disposals: report.deletion.disposals.count, incidents: report.incidents.incidents.count,
            stocktakes: report.ledger.stocktakes.count, reads: report.accessLogs.reads,
            checkpoint: report.latestCheckpoint.map {
                "#\($0.number) \(Timestamp.date($0.at).map { DisplayDate.moment($0, language) } ?? $0.at) \(page.t("eventNumber")) \($0.seq) \($0.headHash)"
            })
        return page.render("evidence", title: page.t("evidenceTitle"), content: content)
    }

    @Sendable func evidencePDF(_ page: PageVisit) async throws -> Response {
        let period = try self.period(page)
        let report = try await registry.evidence.report(period, checkpoints: checkpoints, by: try page.requireActor())
        let pdf = try await printer.pdf(EvidenceSheet.document(report))
        return Response(status: .ok,
                        headers: [.contentType: "application/pdf", .cacheControl: "no-store",
                                  .contentDisposition: "inline; filename=\"evidence-\(period.from)-\(period.to).pdf\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: pdf.data)))
    }

    struct EventRow {
        let seq: Int
        let at: String
        let actor: String
        let action: String
        let entity: String
    }

    struct AuditContent {
        let actor: String
        let action: String
        let entityType: String
        let from: String
        let to: String
        let events: [EventRow]
        let next: String?
        let checked: Bool
        let verified: Bool
        let verification: [String]
    }

    @Sendable func audit(_ page: PageVisit) async throws -> Response {
        let language = page.language
        let actor = try page.requireActor()
        let filter = AuditTrail.Filter(actor: page.query("actor"), entityType: page.query("entityType"), action: page.query("action"),
                                       from: page.query("from").flatMap(LocalDate.init), to: page.query("to").flatMap(LocalDate.init))
        do {
            let events = try await registry.auditTrail.events(filter, try PageRequest(limit: 100, cursor: page.query("cursor")), by: actor)
            var verification: RegistryVerification?
            if page.query("verify") == "1" {
                verification = try await registry.auditTrail.verify(deep: true, checkpoints: checkpoints, by: actor)
            }
            var nextQuery: String?
            if let cursor = events.nextCursor {
                var items = URLComponents()
                items.queryItems = [("actor", filter.actor), ("entityType", filter.entityType), ("action", filter.action),
                                    ("from", filter.from?.description), ("to", filter.to?.description), ("cursor", cursor)]
                    .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
                nextQuery = items.percentEncodedQuery
            }
            let content = AuditContent(
                actor: filter.actor ?? "", action: filter.action ?? "", entityType: filter.entityType ?? "",
                from: filter.from?.description ?? "", to: filter.to?.description ?? "",
                events: events.items.map { event in
                    EventRow(seq: event.seq, at: Timestamp.date(event.occurredAt).map { DisplayDate.moment($0, language) } ?? event.occurredAt,
                             actor: UIText.actorName(event.actor, language), action: UIText.eventName(event.action, language),
                             entity: "\(event.entityType) \(event.entityId)")
                },
                next: nextQuery, checked: verification != nil, verified: verification?.passed ?? false,
                verification: verification.map { Self.lines($0) } ?? [])
            return page.render("audit", title: page.t("auditTitle"), content: content)
        } catch let error as RegistryError {
            return page.render("error", title: page.t("auditTitle"), content: [String: String](), status: ProblemDetails(error).status,
                               error: UIText.message(for: error, language))
        }
    }

    static func lines(_ result: RegistryVerification) -> [String] {
        var lines = ["integrity_check: " + (result.integrity.isEmpty ? "ok" : result.integrity.joined(separator: "; "))]
        lines.append("audit chain: " + (result.auditChain.firstBreak.map { "event \($0.seq): \($0.reason)" } ?? "ok (\(result.auditChain.eventsChecked))"))
        lines.append("triggers: " + (result.triggers.isIntact ? "ok" : result.triggers.findings.map { "\($0.name) \($0.problem)" }.joined(separator: ", ")))
        if let checkpoints = result.checkpoints {
            lines.append("checkpoints: " + (checkpoints.isIntact ? "ok (\(checkpoints.checkpointsChecked))" : checkpoints.problems.joined(separator: "; ")))
        }
        if let rows = result.rows {
            lines.append("rows: " + (rows.isIntact ? "ok (\(rows.rowsChecked))"
                                     : rows.findings.prefix(20).map { "\($0.table) \($0.id) \($0.problem.rawValue)" }.joined(separator: "; ")))
        }
        return lines
    }
}
