import Foundation
import Hummingbird
import LoanRegistry

/// `/models/new`: a device model, with every security fact asked explicitly (yes / no / unknown).
///
/// Nothing defaults: the registry refuses a fact left unanswered and records "unknown" as the
/// cautious answer (``SecurityProfile/answered(_:cloud:wipeMethod:)``), because a missing fact
/// would drop its risks from the explanation.
struct ModelPages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("models/new", .operation(.registerDeviceModel), form)
            .post("models/new", .operation(.registerDeviceModel), create)
    }

    struct Fact {
        let name: String
        let label: String
        let yes: Bool
        let no: Bool
        let unknown: Bool
    }

    struct Content {
        let facts: [Fact]
        let categories: [PatientPages.Choice]
        let methods: [PatientPages.Choice]
        let values: [String: String]
    }

    func page(_ page: PageVisit, status: HTTPResponse.Status = .ok, error: String? = nil) -> Response {
        let form = page.form
        let content = Content(
            facts: SecurityProfile.Fact.allCases.map { fact in
                let answer = form[fact.rawValue]
                return Fact(name: fact.rawValue, label: page.t("fact." + fact.rawValue), yes: answer == "yes", no: answer == "no",
                            unknown: answer == "unknown")
            },
            categories: DeviceCategory.allCases.map { .init(value: $0.rawValue, label: UIText.category($0, page.language), selected: form["category"] == $0.rawValue) },
            methods: SecurityProfile.WipeMethod.allCases.map { .init(value: $0.rawValue, label: page.t("wipe." + $0.rawValue), selected: form["wipeMethod"] == $0.rawValue) },
            values: Dictionary(form.pairs.filter { $0.name != "_csrf" }.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        return page.render("model-form", title: page.t("modelTitle"), content: content, status: status, error: error)
    }

    @Sendable func form(_ visit: PageVisit) async throws -> Response {
        page(visit)
    }

    @Sendable func create(_ visit: PageVisit) async throws -> Response {
        let form = visit.form
        do {
            var answers: [SecurityProfile.Fact: SecurityProfile.Answer] = [:]
            for fact in SecurityProfile.Fact.allCases {
                answers[fact] = form[fact.rawValue].flatMap(SecurityProfile.Answer.init(rawValue:))
            }
            let profile = try SecurityProfile.answered(
                answers, cloud: SecurityProfile.CloudUpload(operator: form.text("cloudOperator") ?? "", region: form.text("cloudRegion") ?? ""),
                wipeMethod: form.text("wipeMethod").flatMap(SecurityProfile.WipeMethod.init(rawValue:)))
            guard let category = form.text("category").flatMap(DeviceCategory.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("category", visit.t("chooseCategory"))])
            }
            _ = try await registry.ledger.registerModel(NewDeviceModel(
                manufacturer: form.text("manufacturer") ?? "", name: form.text("name") ?? "", category: category,
                securityProfile: profile,
                support: .init(phone: form.text("supportPhone") ?? "", hours: form.text("supportHours") ?? "",
                               twentyFourHours: form["support24h"] == "yes", hoursEnglish: form.text("supportHoursEnglish")),
                defaultLoanDays: Int(form.text("defaultLoanDays") ?? "") ?? 0), by: try visit.requireActor())
            return PageRenderer.redirect("/devices?done=modelRegistered")
        } catch let error as RegistryError {
            return page(visit, status: ProblemDetails(error).status, error: UIText.message(for: error, visit.language))
        }
    }
}
