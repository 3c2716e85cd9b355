import Foundation
import Hummingbird
import LoanRegistry

/// `/devices`: the ledger with status and category filters, and each device's whereabouts and history.
struct DevicePages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("devices", .operation(.readDevices), list)
            .get("devices/:id", .operation(.readDevices), show)
            .get("devices/new", .operation(.registerDevice), newForm)
            .post("devices", .operation(.registerDevice), register)
    }

    struct Row {
        let id: String
        let assetTag: String
        let model: String
        let category: String
        let status: String
        let whereabouts: String
    }

    struct Content {
        let rows: [Row]
        let statuses: [PatientPages.Choice]
        let categories: [PatientPages.Choice]
        let canRegister: Bool
    }

    struct NewContent {
        let models: [PatientPages.Choice]
        let values: [String: String]
    }

    @Sendable func newForm(_ page: PageVisit) async throws -> Response {
        try await newPage(page)
    }

    /// The registration form on its own page, so the ledger does not read every model each time.
    func newPage(_ page: PageVisit, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let models = try await registry.ledger.models(try PageRequest(limit: 500, cursor: nil), by: try page.requireActor()).items
        let content = NewContent(
            models: models.map { .init(value: $0.id, label: "\($0.manufacturer) \($0.name)（\(UIText.category($0.category, page.language))）",
                                       selected: $0.id == page.form["modelId"]) },
            values: Dictionary(page.form.pairs.filter { $0.name != "_csrf" }.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        return page.render("device-new", title: page.t("registerDevice"), content: content, status: status, error: error)
    }

    @Sendable func list(_ page: PageVisit) async throws -> Response {
        try await listPage(page)
    }

    /// Registers a device of a model, shelved at the whereabouts given.
    @Sendable func register(_ page: PageVisit) async throws -> Response {
        let form = page.form
        do {
            let device = try await registry.ledger.registerDevice(NewDevice(
                modelId: form.text("modelId") ?? "", assetTag: form.text("assetTag") ?? "",
                serialNumber: form.text("serialNumber") ?? "", whereabouts: form.text("whereabouts"),
                firmwareVersion: form.text("firmwareVersion")), by: try page.requireActor())
            return PageRenderer.redirect("/devices/\(device.id)?done=deviceRegistered")
        } catch let error as RegistryError {
            return try await newPage(page, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    func listPage(_ page: PageVisit, status httpStatus: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let language = page.language
        let status = page.query("status").flatMap(DeviceStatus.init(rawValue:))
        let category = page.query("category").flatMap(DeviceCategory.init(rawValue:))
        let actor = try page.requireActor()
        let devices = try await registry.ledger.devices(status: status, category: category, try PageRequest(limit: 500, cursor: nil),
                                                        by: actor).items

        let content = Content(
            rows: devices.map {
                Row(id: $0.id, assetTag: $0.assetTag, model: "\($0.model.manufacturer) \($0.model.name)",
                    category: UIText.category($0.model.category, language), status: UIText.status($0.status, language),
                    whereabouts: $0.whereabouts)
            },
            statuses: DeviceStatus.allCases.map { .init(value: $0.rawValue, label: UIText.status($0, language), selected: $0 == status) },
            categories: DeviceCategory.allCases.map { .init(value: $0.rawValue, label: UIText.category($0, language), selected: $0 == category) },
            canRegister: page.may(.registerDevice))
        return page.render("devices", title: page.t("devicesTitle"), content: content, status: httpStatus, error: error,
                           notice: page.doneNotice())
    }

    struct HistoryRow {
        let when: String
        let event: String
        let status: String
        let whereabouts: String
        let actor: String
    }

    struct ShowContent {
        let row: Row
        let serial: String
        let storesData: Bool
        let awaitingWipe: Bool
        let history: [HistoryRow]
        let canRepair: Bool
        let canReceiveRepair: Bool
        let canRetire: Bool
        let canDispose: Bool
        let dataHandlings: [PatientPages.Choice]
        let disposalMethods: [PatientPages.Choice]
    }

    @Sendable func show(_ page: PageVisit) async throws -> Response {
        try await devicePage(page, id: try page.parameter("id"))
    }

    func devicePage(_ page: PageVisit, id: String, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let language = page.language
        let device = try await registry.ledger.device(id, by: actor)
        let history = try await registry.ledger.history(of: device.id, by: actor).reversed().map {
            HistoryRow(when: DisplayDate.moment($0.occurredAt, language),
                       event: UIText.entries["event." + $0.event] != nil ? page.t("event." + $0.event) : $0.event,
                       status: UIText.status($0.toStatus, language), whereabouts: $0.whereabouts, actor: UIText.actorName($0.actor, language))
        }
        let content = ShowContent(
            row: Row(id: device.id, assetTag: device.assetTag, model: "\(device.model.manufacturer) \(device.model.name)",
                     category: UIText.category(device.model.category, language), status: UIText.status(device.status, language),
                     whereabouts: device.whereabouts),
            serial: device.serialNumber, storesData: device.model.storesPatientData,
            awaitingWipe: device.status == .awaitingWipe && page.may(.recordWipe), history: history,
            canRepair: DeviceLifecycle.transition(from: device.status, on: .sentToRepair) != nil && page.may(.manageRepairs),
            canReceiveRepair: DeviceLifecycle.transition(from: device.status, on: device.model.storesPatientData ? .repairedWithData : .repairedWithoutData) != nil
                && page.may(.manageRepairs),
            canRetire: DeviceLifecycle.transition(from: device.status, on: .retired) != nil && page.may(.retireDevice),
            canDispose: DeviceLifecycle.transition(from: device.status, on: .disposed) != nil && page.may(.disposeDevice),
            dataHandlings: NewRepair.DataHandling.allCases.map { .init(value: $0.rawValue, label: page.t("repair." + $0.rawValue), selected: false) },
            disposalMethods: NewDisposal.Method.allCases.map { .init(value: $0.rawValue, label: page.t("disposal." + $0.rawValue), selected: false) })
        return page.render("device", title: page.t("deviceTitle") + " " + device.assetTag, content: content, status: status,
                           error: error, notice: page.doneNotice())
    }
}
