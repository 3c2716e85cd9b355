import Foundation
import Hummingbird
import LoanRegistry

/// `/models/new`: a device model, with every security fact asked explicitly (yes / no / unknown).
///
/// Nothing defaults: a fact left unanswered is refused, because a missing fact would drop its
/// risks from the explanation. "Unknown" is recorded as the cautious answer — the one that keeps
/// the risk in the explanation (a capability present, storage not encrypted).
struct ModelPages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("models/new", .operation(.registerDeviceModel), form)
            .post("models/new", .operation(.registerDeviceModel), create)
    }

    /// The facts asked, in the order of the form; `cautious` is what "unknown" records.
    static let facts: [(name: String, cautious: Bool)] = [
        ("storesPatientData", true), ("encryptedAtRest", false), ("bluetooth", true), ("pairsWithPatientPhone", true),
        ("wifi", true), ("cellular", true), ("nfc", true), ("removableMedia", true), ("remoteService", true),
        ("camera", true), ("microphone", true), ("gps", true), ("companionAppAccount", true), ("sharingFeature", true),
        ("cloudUploads", true), ("encryptedInTransit", false),
    ]

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
            facts: Self.facts.map { fact in
                Fact(name: fact.name, label: page.t("fact." + fact.name), yes: form[fact.name] == "yes", no: form[fact.name] == "no",
                     unknown: form[fact.name] == "unknown")
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
            var missing: [FieldError] = []
            var answers: [String: Bool] = [:]
            var unknownTransit = false
            for fact in Self.facts {
                switch form[fact.name] {
                case "yes": answers[fact.name] = true
                case "no": answers[fact.name] = false
                case "unknown":
                    answers[fact.name] = fact.cautious
                    if fact.name == "encryptedInTransit" { unknownTransit = true }
                default: missing.append(FieldError("fact." + fact.name, visit.t("answerYesNoUnknown")))
                }
            }
            guard missing.isEmpty else { throw RegistryError.validationFailed(missing) }
            let cloud = answers["cloudUploads"] == true
                ? SecurityProfile.CloudUpload(operator: form.text("cloudOperator") ?? "", region: form.text("cloudRegion") ?? "")
                : nil
            let profile = SecurityProfile(
                storesPatientData: answers["storesPatientData"] ?? true, encryptedAtRest: answers["encryptedAtRest"] ?? false,
                bluetooth: answers["bluetooth"] ?? true, pairsWithPatientPhone: answers["pairsWithPatientPhone"] ?? true,
                wifi: answers["wifi"] ?? true, cellular: answers["cellular"] ?? true, nfc: answers["nfc"] ?? true,
                cloudUpload: cloud, encryptedInTransit: unknownTransit || cloud == nil ? nil : answers["encryptedInTransit"],
                removableMedia: answers["removableMedia"] ?? true, remoteService: answers["remoteService"] ?? true,
                camera: answers["camera"] ?? true, microphone: answers["microphone"] ?? true, gps: answers["gps"] ?? true,
                companionAppAccount: answers["companionAppAccount"] ?? true, sharingFeature: answers["sharingFeature"] ?? true,
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
