import Foundation
import Hummingbird
import LoanRegistry

/// The custody forms of a device's page: send to repair and receive back, retire (manager),
/// and dispose with the certificate and the confirmation that no readable data remains (⑨⑩⑪).
struct CustodyPages: Sendable {
    let registry: Registry
    let devices: DevicePages

    func add(to pages: PageGroup) {
        pages.post("devices/:id/repair", .operation(.manageRepairs), sendToRepair)
            .post("devices/:id/repair-return", .operation(.manageRepairs), receiveFromRepair)
            .post("devices/:id/retire", .operation(.retireDevice), retire)
            .post("devices/:id/dispose", .operation(.disposeDevice), dispose)
    }

    /// Runs `action` for the device and goes back to its page, with a notice or the reason in words.
    func act(_ page: PageVisit, done: String, _ action: (String, AuditActor) async throws -> Void) async throws -> Response {
        let id = try page.parameter("id")
        do {
            try await action(id, try page.requireActor())
            return PageRenderer.redirect("/devices/\(id)?done=\(done)")
        } catch let error as RegistryError {
            return try await devices.devicePage(page, id: id, status: ProblemDetails(error).status,
                                                error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func sendToRepair(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "sentToRepair") { id, actor in
            let form = page.form
            guard let handling = form.text("dataHandling").flatMap(NewRepair.DataHandling.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("dataHandling", page.t("chooseDataHandling"))])
            }
            _ = try await registry.ledger.sendToRepair(id, NewRepair(
                vendor: form.text("vendor") ?? "", reference: form.text("reference") ?? "", dataHandling: handling,
                notes: form.text("notes")), by: actor)
        }
    }

    @Sendable func receiveFromRepair(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "backFromRepair") { id, actor in
            _ = try await registry.ledger.receiveFromRepair(id, notes: page.form.text("notes"), by: actor)
        }
    }

    @Sendable func retire(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "retired") { id, actor in
            _ = try await registry.ledger.retire(id, reason: page.form.text("reason") ?? "", by: actor)
        }
    }

    @Sendable func dispose(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "disposed") { id, actor in
            let form = page.form
            guard let method = form.text("method").flatMap(NewDisposal.Method.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("method", page.t("chooseDisposalMethod"))])
            }
            _ = try await registry.ledger.dispose(id, NewDisposal(
                method: method, performedBy: actor.login ?? "", vendor: form.text("vendor"),
                certificateNumber: form.text("certificateNumber"), certificateReference: form.text("certificateReference"),
                noReadableDataConfirmed: form["noReadableDataConfirmed"] == "yes"), by: actor)
        }
    }
}
