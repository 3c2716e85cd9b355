import Foundation
import Handouts
import Hummingbird
import LoanRegistry
import NIOCore

/// The new-loan wizard (device → patient → dates and language) and a loan's page: the
/// explanation for staff, printing, consent on paper, the contact sheet, the hand-over gate in
/// plain words, and the hand-over itself.
struct LoanPages: Sendable {
    let registry: Registry
    let printer: HandoutPrinter

    func add(to pages: PageGroup) {
        pages.get("loans/new", .operation(.registerLoan), wizard)
            .post("loans/new/device", .operation(.registerLoan), findDevice)
            .post("loans/new/patient", .operation(.registerLoan), findPatient)
            .post("loans/new", .operation(.registerLoan), create)
            .get("loans/:id", .operation(.readLoans), show)
            .get("loans/:id/print/:file", .operation(.printHandouts), print)
            .get("loans/:id/explanation", .operation(.readLoans), explanation)
            .post("loans/:id/consent-paper", .operation(.recordConsent), paperConsent)
            .post("loans/:id/contact-sheet", .operation(.recordContactSheet), contactSheetGiven)
            .post("loans/:id/handover", .operation(.handOverLoan), handOver)
            .post("loans/:id/cancel", .operation(.cancelLoan), cancel)
    }

    // MARK: The wizard

    struct DeviceRow {
        let id: String
        let assetTag: String
        let model: String
        let category: String
    }

    struct CategoryGroup {
        let category: String
        let devices: [DeviceRow]
    }

    struct WizardContent {
        var step = 1
        var device: DeviceRow?
        var patient: PatientPages.PatientRow?
        var available: [CategoryGroup] = []
        var tag = ""
        var query = ""
        var searched = false
        var results: [PatientPages.PatientRow] = []
        var startDate = ""
        var dueDate = ""
        var languages: [PatientPages.Choice] = []
        var patientId: String?
        var deviceId: String?
        // Stored, not computed: templates see stored properties only (Mirror).
        var stepDevice = false
        var stepPatient = false
        var stepDates = false
    }

    static func deviceRow(_ device: Device, _ language: UILanguage) -> DeviceRow {
        DeviceRow(id: device.id, assetTag: device.assetTag, model: "\(device.model.manufacturer) \(device.model.name)",
                  category: UIText.category(device.model.category, language))
    }

    @Sendable func wizard(_ page: PageVisit) async throws -> Response {
        try await wizardPage(page, deviceId: page.query("device"), patientId: page.query("patient"))
    }

    func wizardPage(_ page: PageVisit, deviceId: String?, patientId: String?, tag: String = "", query: String? = nil,
                    status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let language = page.language
        var content = WizardContent(tag: tag, patientId: patientId, deviceId: deviceId)
        var patient: Patient?
        if let patientId { patient = try await registry.patients.patient(patientId, by: actor) }
        content.patient = patient.map { PatientPages.row($0, language) }
        if let deviceId {
            let device = try await registry.ledger.device(deviceId, by: actor)
            content.device = Self.deviceRow(device, language)
            if let patient {
                let model = try await registry.ledger.model(device.modelId, by: actor)
                let today = LocalDate(registry.clock.now())
                content.step = 3
                content.startDate = today.description
                content.dueDate = today.adding(days: model.defaultLoanDays).description
                content.languages = PatientPages.languageChoices(patient.language, language)
            } else {
                content.step = 2
                if let query {
                    content.query = query
                    content.searched = true
                    content.results = try await PatientPages.find(query, registry: registry, by: actor).map { PatientPages.row($0, language) }
                }
            }
        } else {
            let available = try await registry.ledger.lendableDevices(by: actor)
            content.available = DeviceCategory.allCases.compactMap { category in
                let devices = available.filter { $0.model.category == category }.map { Self.deviceRow($0, language) }
                return devices.isEmpty ? nil : CategoryGroup(category: UIText.category(category, language), devices: devices)
            }
        }
        content.stepDevice = content.step == 1
        content.stepPatient = content.step == 2
        content.stepDates = content.step == 3
        return page.render("loan-new", title: page.t("newLoanTitle"), content: content, status: status, error: error)
    }

    @Sendable func findDevice(_ page: PageVisit) async throws -> Response {
        let tag = page.form.text("tag") ?? ""
        let patientId = page.form.text("patient")
        do {
            let actor = try page.requireActor()
            let device = try await registry.ledger.device(tag, by: actor)
            guard try await registry.ledger.lendableDevices(by: actor).contains(where: { $0.id == device.id }) else {
                throw RegistryError.deviceUnavailable(assetTag: device.assetTag, status: device.status)
            }
            return PageRenderer.redirect("/loans/new?device=\(device.id)" + (patientId.map { "&patient=\($0)" } ?? ""))
        } catch let error as RegistryError {
            return try await wizardPage(page, deviceId: nil, patientId: patientId, tag: tag, status: ProblemDetails(error).status,
                                        error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func findPatient(_ page: PageVisit) async throws -> Response {
        try await wizardPage(page, deviceId: page.form.text("device"), patientId: nil, query: page.form.text("q") ?? "")
    }

    @Sendable func create(_ page: PageVisit) async throws -> Response {
        let form = page.form
        let deviceId = form.text("device")
        let patientId = form.text("patient")
        var problems: [FieldError] = []
        let start = form.text("startDate").flatMap { value -> LocalDate? in
            guard let date = LocalDate(value) else { problems.append(FieldError("startDate", UIText.text("dateFormat", page.language))); return nil }
            return date
        }
        let due = form.text("dueDate").flatMap { value -> LocalDate? in
            guard let date = LocalDate(value) else { problems.append(FieldError("dueDate", UIText.text("dateFormat", page.language))); return nil }
            return date
        }
        do {
            if !problems.isEmpty { throw RegistryError.validationFailed(problems) }
            let loan = try await registry.loans.register(
                NewLoan(deviceId: deviceId ?? "", patientId: patientId ?? "", dueDate: due, startDate: start,
                        language: form.text("language").flatMap(Patient.Language.init(rawValue:))),
                by: try page.requireActor())
            return PageRenderer.redirect("/loans/\(loan.id)?done=registered")
        } catch let error as RegistryError {
            return try await wizardPage(page, deviceId: deviceId, patientId: patientId, status: ProblemDetails(error).status,
                                        error: UIText.message(for: error, page.language))
        }
    }

    // MARK: A loan's page

    struct ScopeQuestion {
        let name: String
        let label: String
        /// The answer already given, when the page comes back with a problem.
        var yes = false
        var no = false
    }

    struct LoanContent {
        let id: String
        let number: String
        let status: String
        let patientId: String
        let patientNumber: String
        let patientName: String
        let assetTag: String
        let deviceId: String
        let model: String
        let period: String
        let language: String
        let guidance: [String]
        let preparing: Bool
        let active: Bool
        let overdue: Bool
        let hasExplanation: Bool
        let explanationVersion: String
        let checkCode: String
        let consent: String?
        let consentNeeded: Bool
        let contactSheet: String?
        let contactSheetNeeded: Bool
        let canHandOver: Bool
        let scopeQuestions: [ScopeQuestion]
        let canSign: Bool
        let canPrint: Bool
        let canReturn: Bool
        let canCancel: Bool
        let sizes: [PatientPages.Choice]
        let patientNameForSigner: String
        let daysOverdue: Int
        let canExtend: Bool
        let canContact: Bool
        let channels: [PatientPages.Choice]
        let outcomes: [PatientPages.Choice]
        let today: String
        let reprint: Bool
    }

    static func scopeQuestions(_ profile: SecurityProfile, _ language: UILanguage) -> [ScopeQuestion] {
        var questions: [ScopeQuestion] = []
        if let cloud = profile.cloudUpload, profile.asksAboutMakerCloud {
            questions.append(.init(name: "makerCloud", label: UIText.text("scope.makerCloud", language) + "（\(cloud.operator)）"))
        }
        if profile.asksAboutSharing {
            questions.append(.init(name: "sharing", label: UIText.text("scope.sharing", language)))
        }
        questions.append(.init(name: "research", label: UIText.text("scope.research", language)))
        return questions
    }

    @Sendable func show(_ page: PageVisit) async throws -> Response {
        try await loanPage(page, id: try page.parameter("id"))
    }

    func loanPage(_ page: PageVisit, id: String, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let language = page.language
        let loan = try await registry.loans.loan(id, by: actor)
        let preparing = LoanLifecycle.isPreparing(loan.status)
        let model = try await registry.ledger.model(try await registry.ledger.device(loan.device.id, by: actor).modelId, by: actor)
        let content = LoanContent(
            id: loan.id, number: loan.number, status: UIText.status(loan.status, language), patientId: loan.patient.id,
            patientNumber: loan.patient.patientNumber, patientName: loan.patient.name, assetTag: loan.device.assetTag,
            deviceId: loan.device.id, model: "\(loan.device.manufacturer) \(loan.device.modelName)",
            period: DisplayDate.day(loan.startDate, language) + " – " + DisplayDate.day(loan.dueDate, language),
            language: UIText.text("language." + loan.language.rawValue, language),
            guidance: preparing ? loan.handoverRequirements.map { UIText.guidance($0, language) } : [],
            preparing: preparing, active: loan.status == .active, overdue: loan.isOverdue,
            hasExplanation: preparing && loan.explanation != nil,
            explanationVersion: loan.explanation.map { page.t("explanationVersionFormat").replacingOccurrences(of: "%@", with: "\($0.textVersion)") } ?? "",
            checkCode: loan.explanation.map { HandoutCheckCode.of(loan: loan.number, sha256: $0.sha256) } ?? "",
            consent: loan.consent.map { consent in
                UIText.text(consent.withdrawn ? "consent.withdrawn" : "consent." + consent.decision.rawValue, language)
                    + " " + DisplayDate.moment(consent.decidedAt, language)
            },
            consentNeeded: preparing && loan.consent == nil,
            contactSheet: loan.contactSheet.map { DisplayDate.moment($0.givenAt, language) },
            contactSheetNeeded: preparing && loan.contactSheet == nil,
            canHandOver: preparing && page.may(.handOverLoan),
            scopeQuestions: Self.scopeQuestions(model.securityProfile, language),
            canSign: preparing && loan.consent == nil && page.may(.recordConsent),
            canPrint: page.may(.printHandouts), canReturn: loan.status == .active && page.may(.receiveReturn),
            canCancel: preparing && page.may(.cancelLoan),
            sizes: [.init(value: "normal", label: UIText.text("printNormal", language), selected: true),
                    .init(value: "large", label: UIText.text("printLarge", language), selected: false)],
            patientNameForSigner: loan.patient.name, daysOverdue: loan.daysOverdue ?? 0,
            canExtend: loan.status == .active && page.may(.extendLoan),
            canContact: loan.status == .active && page.may(.recordContactAttempt),
            channels: ContactAttempt.Channel.allCases.map { .init(value: $0.rawValue, label: page.t("channel." + $0.rawValue), selected: $0 == .phone) },
            outcomes: ContactAttempt.Outcome.allCases.map { .init(value: $0.rawValue, label: page.t("outcome." + $0.rawValue), selected: false) },
            today: LocalDate(registry.clock.now()).description,
            reprint: !preparing && loan.explanation != nil && page.may(.printHandouts))
        return page.render("loan", title: page.t("loanTitle") + " " + loan.number, content: content, status: status,
                           error: error, notice: page.doneNotice())
    }

    /// The loan's current explanation as staff explain it: the exact text the patient consents to.
    @Sendable func explanation(_ page: PageVisit) async throws -> Response {
        let actor = try page.requireActor()
        let id = try page.parameter("id")
        let explained = try await registry.loans.currentExplanation(of: id, by: actor)
        let loan = explained.loan
        struct Content { let id: String; let number: String; let text: String; let version: String; let checkCode: String }
        guard let current = explained.explanation, let text = current.text else {
            throw RegistryError.notFound(entity: "explanation", id: loan.number)
        }
        let content = Content(id: loan.id, number: loan.number, text: text,
                              version: page.t("explanationVersionFormat").replacingOccurrences(of: "%@", with: "\(current.textVersion)"),
                              checkCode: HandoutCheckCode.of(loan: loan.number, sha256: current.sha256))
        return page.render("explanation", title: page.t("explanationTitle") + " " + loan.number, content: content)
    }

    /// Runs `action` for the loan of the page and goes back to it: with a notice when it worked,
    /// with the reason in words when the registry refused.
    func act(_ page: PageVisit, done: String, _ action: (String, AuditActor) async throws -> Void) async throws -> Response {
        let id = try page.parameter("id")
        do {
            try await action(id, try page.requireActor())
            return PageRenderer.redirect("/loans/\(id)?done=\(done)")
        } catch let error as RegistryError {
            return try await loanPage(page, id: id, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func print(_ page: PageVisit) async throws -> Response {
        let file = try page.parameter("file")
        let kinds: [String: HandoutKind] = ["explanation.pdf": .explanation, "consent-form.pdf": .consentForm,
                                           "contact-sheet.pdf": .contactSheet, "reminder-letter.pdf": .reminderLetter]
        guard let kind = kinds[file] else { throw RegistryError.notFound(entity: "handout", id: file) }
        let size = page.query("size").flatMap(Document.PrintSize.init(rawValue:)) ?? .normal
        let facts = try await registry.loans.handoutFacts(try page.parameter("id"), language: nil, by: try page.requireActor())
        let document: Document
        do {
            document = try Handout.document(kind, facts, size: size)
        } catch is Handout.NotOverdue {
            throw ProblemDetails(status: .conflict, code: "loan_not_overdue", title: "Loan not overdue")
        }
        let pdf = try await printer.pdf(document)
        var headers = PageRenderer.headers(contentType: "application/pdf")
        headers[.contentDisposition] = "inline; filename=\"\(facts.loan.number)-\(kind.rawValue).pdf\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: pdf.data)))
    }

    /// The scope answers of a consent form (`yes` / `no` per question asked).
    static func scope(from form: FormFields) -> NewConsent.Scope? {
        let scope = NewConsent.Scope(makerCloud: form.yesNo("makerCloud"), sharing: form.yesNo("sharing"),
                                     research: form.yesNo("research"))
        return scope == NewConsent.Scope() ? nil : scope
    }

    /// The signer as the form gives it: the patient, or a proxy with relationship and reason.
    static func signer(from form: FormFields) -> NewConsent.Signer {
        form["signerKind"] == "proxy"
            ? .init(kind: .proxy, name: form.text("signerName") ?? "", relationship: form.text("relationship") ?? "",
                    reason: form.text("proxyReason") ?? "")
            : .init(kind: .self, name: form.text("signerName") ?? "")
    }

    /// A consent signed on the printed form: the check code staff type from that paper names the
    /// explanation the patient read, so the consent is filed against that text — and refused
    /// (「説明の内容が変わりました」) when the loan's explanation has changed since it was printed.
    @Sendable func paperConsent(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "consent") { id, actor in
            let form = page.form
            guard let decision = form["decision"].flatMap(NewConsent.Decision.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("decision", page.t("chooseDecision"))])
            }
            guard let number = form.text("number"), let code = form.text("checkCode") else {
                throw RegistryError.validationFailed([FieldError("checkCode", page.t("checkCodeRequired"))])
            }
            let printed = try await registry.loans.verifyHandout(loan: number, code: code, by: actor)
            guard printed.matches, let sha256 = printed.explanationSha256 else {
                throw RegistryError.validationFailed([FieldError("checkCode", page.t("checkCodeWrong"))])
            }
            _ = try await registry.consents.record(loan: id, NewConsent(
                explanationSha256: sha256, signer: Self.signer(from: form), decision: decision,
                explainedBy: actor.login ?? "", witness: form.text("witness"),
                scope: decision == .granted ? Self.scope(from: form) : nil,
                signature: form.text("scanReference").map { .init(method: .paper, scanReference: $0) }
                    ?? (decision == .granted ? .init(method: .paper, scanReference: "") : nil)), by: actor)
        }
    }

    @Sendable func contactSheetGiven(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "contactSheet") { id, actor in
            _ = try await registry.loans.recordContactSheet(id, ContactSheetGiven(), by: actor)
        }
    }

    @Sendable func handOver(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "handedOver") { id, actor in
            _ = try await registry.loans.handOver(id, by: actor)
        }
    }

    @Sendable func cancel(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "cancelled") { id, actor in
            _ = try await registry.loans.cancel(id, reason: page.form.text("reason") ?? "", by: actor)
        }
    }
}
