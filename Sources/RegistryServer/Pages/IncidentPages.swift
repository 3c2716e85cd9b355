import Foundation
import Hummingbird
import LoanRegistry

/// `/incidents`: lost and stolen devices with their report deadlines (the PPC's preliminary and
/// final reports), and recording that a device was found.
struct IncidentPages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("incidents", .operation(.readIncidents), list)
            .post("incidents/:id/found", .operation(.recordFound), found)
            .post("incidents/:id/reports", .operation(.recordIncidentReport), report)
    }

    struct Row {
        let id: String
        let number: String
        let kind: String
        let assetTag: String
        let loanId: String
        let loanNumber: String
        let occurred: String
        let preliminary: String
        let final: String
        let late: Bool
        let open: Bool
    }

    @Sendable func list(_ page: PageVisit) async throws -> Response {
        try await listPage(page)
    }

    func listPage(_ page: PageVisit, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let language = page.language
        func report(_ report: Incident.Report) -> String {
            guard report.required else { return page.t("notRequired") }
            if let submitted = report.submittedOn { return page.t("submitted") + " " + DisplayDate.day(submitted, language) }
            return page.t("dueBy") + " " + DisplayDate.day(report.dueOn, language)
        }
        let rows = try await registry.incidents.list(by: try page.requireActor()).map { incident in
            Row(id: incident.id, number: incident.number, kind: page.t("incident." + incident.kind.rawValue), assetTag: incident.assetTag,
                loanId: incident.loanId, loanNumber: incident.loanNumber, occurred: DisplayDate.day(incident.occurredOn, language),
                preliminary: report(incident.preliminaryReport), final: report(incident.finalReport),
                late: incident.preliminaryReport.overdue || incident.finalReport.overdue, open: incident.open)
        }
        struct Content { let rows: [Row]; let canFound: Bool; let canReport: Bool }
        return page.render("incidents", title: page.t("incidentsTitle"),
                           content: Content(rows: rows, canFound: page.may(.recordFound), canReport: page.may(.recordIncidentReport)),
                           status: status, error: error, notice: page.doneNotice())
    }

    @Sendable func found(_ page: PageVisit) async throws -> Response {
        do {
            _ = try await registry.incidents.deviceFound(try page.parameter("id"), by: try page.requireActor())
            return PageRenderer.redirect("/incidents?done=found")
        } catch let error as RegistryError {
            return try await listPage(page, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func report(_ page: PageVisit) async throws -> Response {
        do {
            let form = page.form
            guard let day = form.text("submittedOn").flatMap(LocalDate.init) else {
                throw RegistryError.validationFailed([FieldError("submittedOn", page.t("dateFormat"))])
            }
            guard let stage = form["stage"].flatMap(IncidentReportSubmission.Stage.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("stage", page.t("chooseReportStage"))])
            }
            _ = try await registry.incidents.recordReport(try page.parameter("id"), IncidentReportSubmission(
                stage: stage, submittedOn: day, reference: form.text("reference")),
                by: try page.requireActor())
            return PageRenderer.redirect("/incidents?done=reportRecorded")
        } catch let error as RegistryError {
            return try await listPage(page, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }
}
