import Foundation
import Hummingbird
import LoanRegistry

/// `/overdue`: overdue loans with days overdue, phone and last contact; record a contact, print a
/// reminder letter, extend, or report the device lost.
struct OverduePage: Sendable {
    let registry: Registry
    /// The loan's page, where the same forms are offered for a loan not yet overdue (`back=loan`).
    let loans: LoanPages

    func add(to pages: PageGroup) {
        pages.get("overdue", .operation(.readLoans), list)
            .post("loans/:id/contact", .operation(.recordContactAttempt), contact)
            .post("loans/:id/extend", .operation(.extendLoan), extend)
            .post("loans/:id/loss", .operation(.reportLoss), loss)
    }

    struct Row: Encodable {
        let id: String
        let number: String
        let patientName: String
        let patientNumber: String
        let phone: String
        let assetTag: String
        let due: String
        let daysOverdue: Int
        let lastContact: String?
        let today: String
    }

    struct Content: EncodedPageView {
        let rows: [Row]
        let channels: [PatientPages.Choice]
        let outcomes: [PatientPages.Choice]
        let canContact: Bool
        let canExtend: Bool
        let canReportLoss: Bool
    }

    @Sendable func list(_ page: PageVisit) async throws -> Response {
        try await listPage(page)
    }

    func listPage(_ page: PageVisit, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let language = page.language
        let today = LocalDate(registry.clock.now())
        let rows = try await registry.loans.overdue(by: actor).items.map { loan in
            Row(id: loan.id, number: loan.number, patientName: loan.patient.name, patientNumber: loan.patient.patientNumber,
                phone: loan.patient.phone, assetTag: loan.device.assetTag, due: DisplayDate.day(loan.dueDate, language),
                daysOverdue: loan.daysOverdue ?? 0,
                lastContact: loan.lastContact.map {
                    DisplayDate.moment($0.contactedAt, language) + " " + UIText.text("channel." + $0.channel.rawValue, language)
                        + " " + UIText.text("outcome." + $0.outcome.rawValue, language)
                }, today: today.description)
        }
        let content = Content(
            rows: rows,
            channels: ContactAttempt.Channel.allCases.map { .init(value: $0.rawValue, label: page.t("channel." + $0.rawValue), selected: $0 == .phone) },
            outcomes: ContactAttempt.Outcome.allCases.map { .init(value: $0.rawValue, label: page.t("outcome." + $0.rawValue), selected: false) },
            canContact: page.may(.recordContactAttempt), canExtend: page.may(.extendLoan), canReportLoss: page.may(.reportLoss))
        return page.render("overdue", title: page.t("overdueTitle"), content: content, status: status, error: error,
                           notice: page.doneNotice())
    }

    func act(_ page: PageVisit, done: String, _ action: (String, AuditActor) async throws -> Void) async throws -> Response {
        let id = try page.parameter("id")
        let fromLoan = page.form["back"] == "loan"
        do {
            try await action(id, try page.requireActor())
            return PageRenderer.redirect(fromLoan ? "/loans/\(id)?done=\(done)" : "/overdue?done=\(done)")
        } catch let error as RegistryError {
            if fromLoan {
                return try await loans.loanPage(page, id: id, status: ProblemDetails(error).status,
                                                error: UIText.message(for: error, page.language))
            }
            return try await listPage(page, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    static func date(_ form: FormFields, _ name: String) throws -> LocalDate? {
        guard let text = form.text(name) else { return nil }
        guard let date = LocalDate(text) else { throw RegistryError.validationFailed([FieldError(name, "must be a date (YYYY-MM-DD)")]) }
        return date
    }

    @Sendable func contact(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "contact") { id, actor in
            let form = page.form
            guard let channel = form.text("channel").flatMap(ContactAttempt.Channel.init(rawValue:)),
                  let outcome = form.text("outcome").flatMap(ContactAttempt.Outcome.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("outcome", page.t("chooseOutcome"))])
            }
            _ = try await registry.loans.recordContact(id, NewContactAttempt(
                channel: channel, outcome: outcome, nextActionOn: try Self.date(form, "nextActionOn"), notes: form.text("notes")), by: actor)
        }
    }

    @Sendable func extend(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "extended") { id, actor in
            guard let due = try Self.date(page.form, "dueDate") else {
                throw RegistryError.validationFailed([FieldError("dueDate", page.t("dateFormat"))])
            }
            _ = try await registry.loans.extend(id, to: due, reason: page.form.text("reason") ?? "", by: actor)
        }
    }

    @Sendable func loss(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "lossReported") { id, actor in
            let form = page.form
            let today = LocalDate(registry.clock.now())
            guard let kind = form["kind"].flatMap(Incident.Kind.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("kind", page.t("chooseLossKind"))])
            }
            _ = try await registry.loans.reportLoss(id, NewLoss(
                kind: kind, occurredOn: try Self.date(form, "occurredOn") ?? today,
                discoveredOn: try Self.date(form, "discoveredOn") ?? today, place: form.text("place"),
                policeReport: form.text("policeReport"), notes: form.text("notes")), by: actor)
        }
    }
}
