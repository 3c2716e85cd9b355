import Foundation
import Hummingbird
import LoanRegistry

/// `/patients`: search by number, name or kana (posted, so no name is in a URL), add, correct,
/// and a patient's page with their loans and consents.
struct PatientPages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("patients", .operation(.readPatients), searchForm)
            .post("patients/search", .operation(.readPatients), search)
            .get("patients/new", .operation(.registerPatient), newForm)
            .post("patients/new", .operation(.registerPatient), create)
            .get("patients/:id", .operation(.readPatients), show)
            .get("patients/:id/edit", .operation(.correctPatient), editForm)
            .post("patients/:id/edit", .operation(.correctPatient), correct)
    }

    struct PatientRow {
        let id: String
        let patientNumber: String
        let name: String
        let nameKana: String
        let phone: String
        let language: String
    }

    struct SearchContent {
        var query = ""
        var searched = false
        var results: [PatientRow] = []
        /// The loan wizard's device, when searching from there.
        var deviceId: String?
        var canAdd = false
    }

    static func row(_ patient: Patient, _ language: UILanguage) -> PatientRow {
        PatientRow(id: patient.id, patientNumber: patient.patientNumber, name: patient.name, nameKana: patient.nameKana,
                   phone: patient.phone, language: UIText.text("language." + patient.language.rawValue, language))
    }

    /// Patients whose number is `query`, or whose name or kana starts with it.
    static func find(_ query: String, registry: Registry, by actor: AuditActor) async throws -> [Patient] {
        var found = try await registry.patients.list(.init(patientNumber: query), by: actor).items
        if found.isEmpty {
            found = try await registry.patients.list(.init(name: query), by: actor).items
        }
        return found
    }

    @Sendable func searchForm(_ page: PageVisit) async throws -> Response {
        page.render("patients", title: page.t("patientsTitle"), content: SearchContent(canAdd: page.may(.registerPatient)))
    }

    @Sendable func search(_ page: PageVisit) async throws -> Response {
        let query = page.form.text("q") ?? ""
        var content = SearchContent(query: query, searched: true, canAdd: page.may(.registerPatient))
        if !query.isEmpty {
            content.results = try await Self.find(query, registry: registry, by: try page.requireActor()).map { Self.row($0, page.language) }
        }
        return page.render("patients", title: page.t("patientsTitle"), content: content)
    }

    struct FormContent {
        var id: String?
        var patientNumber = ""
        var name = ""
        var nameKana = ""
        var phone = ""
        var languages: [Choice] = []
        var revision = ""
        var next = ""
    }

    /// One option of a `<select>` or a radio group.
    struct Choice: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    static func languageChoices(_ selected: Patient.Language, _ language: UILanguage) -> [Choice] {
        Patient.Language.allCases.map {
            Choice(value: $0.rawValue, label: UIText.text("language." + $0.rawValue, language), selected: $0 == selected)
        }
    }

    @Sendable func newForm(_ page: PageVisit) async throws -> Response {
        let content = FormContent(languages: Self.languageChoices(.ja, page.language), next: page.query("device").map { "/loans/new?device=\($0)" } ?? "")
        return page.render("patient-form", title: page.t("newPatientTitle"), content: content)
    }

    @Sendable func create(_ page: PageVisit) async throws -> Response {
        let form = page.form
        let language = form.text("language").flatMap(Patient.Language.init(rawValue:)) ?? .ja
        let input = NewPatient(patientNumber: form.text("patientNumber") ?? "", name: form.text("name") ?? "",
                               nameKana: form.text("nameKana"), phone: form.text("phone"), language: language)
        do {
            let patient = try await registry.patients.register(input, by: try page.requireActor())
            if let next = form.text("next"), next.hasPrefix("/loans/new?device=") {
                return PageRenderer.redirect(next + "&patient=" + patient.id)
            }
            return PageRenderer.redirect("/patients/\(patient.id)?done=added")
        } catch let error as RegistryError {
            let content = FormContent(patientNumber: input.patientNumber, name: input.name, nameKana: input.nameKana ?? "",
                                      phone: input.phone ?? "", languages: Self.languageChoices(language, page.language),
                                      next: form.text("next") ?? "")
            return page.render("patient-form", title: page.t("newPatientTitle"), content: content,
                               status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    struct LoanRow {
        let id: String
        let number: String
        let assetTag: String
        let status: String
        let period: String
        let consent: String
    }

    struct ShowContent {
        let patient: PatientRow
        let loans: [LoanRow]
        let canEdit: Bool
        let canLend: Bool
    }

    @Sendable func show(_ page: PageVisit) async throws -> Response {
        let actor = try page.requireActor()
        let language = page.language
        let patient = try await registry.patients.patient(try page.parameter("id"), by: actor)
        let loans = try await registry.loans.list(.init(patient: patient.id), by: actor).items.map { loan in
            LoanRow(id: loan.id, number: loan.number, assetTag: loan.device.assetTag, status: UIText.status(loan.status, language),
                    period: DisplayDate.day(loan.startDate, language) + " – " + DisplayDate.day(loan.dueDate, language),
                    consent: loan.consent.map { consent in
                        UIText.text(consent.withdrawn ? "consent.withdrawn" : "consent." + consent.decision.rawValue, language)
                            + " " + DisplayDate.day(LocalDate(consent.decidedAt), language)
                    } ?? UIText.text("consent.none", language))
        }
        let content = ShowContent(patient: Self.row(patient, language), loans: loans, canEdit: page.may(.correctPatient),
                                  canLend: page.may(.registerLoan))
        return page.render("patient", title: page.t("patientTitle"), content: content,
                           notice: page.doneNotice())
    }

    @Sendable func editForm(_ page: PageVisit) async throws -> Response {
        let patient = try await registry.patients.patient(try page.parameter("id"), by: try page.requireActor())
        let content = FormContent(id: patient.id, patientNumber: patient.patientNumber, name: patient.name, nameKana: patient.nameKana,
                                  phone: patient.phone, languages: Self.languageChoices(patient.language, page.language),
                                  revision: try Revision.of(patient))
        return page.render("patient-form", title: page.t("editPatientTitle"), content: content)
    }

    @Sendable func correct(_ page: PageVisit) async throws -> Response {
        let actor = try page.requireActor()
        let id = try page.parameter("id")
        let form = page.form
        let current = try await registry.patients.patient(id, by: actor)
        let language = form.text("language").flatMap(Patient.Language.init(rawValue:))
        // Only the fields staff changed are sent, so the correction history names just those.
        func changed(_ name: String, _ old: String) -> String? {
            let value = form.text(name) ?? ""
            return value == old ? nil : value
        }
        let changes = PatientChanges(
            patientNumber: changed("patientNumber", current.patientNumber), name: changed("name", current.name),
            nameKana: changed("nameKana", current.nameKana), phone: changed("phone", current.phone),
            language: language == current.language ? nil : language, reason: form.text("reason") ?? "")
        do {
            _ = try await registry.patients.correct(id, changes, precondition: .revisions([form["revision"] ?? ""]), by: actor)
            return PageRenderer.redirect("/patients/\(current.id)?done=corrected")
        } catch let error as RegistryError {
            let content = FormContent(id: current.id, patientNumber: form.text("patientNumber") ?? "", name: form.text("name") ?? "",
                                      nameKana: form.text("nameKana") ?? "", phone: form.text("phone") ?? "",
                                      languages: Self.languageChoices(language ?? current.language, page.language),
                                      revision: form["revision"] ?? "")
            return page.render("patient-form", title: page.t("editPatientTitle"), content: content,
                               status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }
}
