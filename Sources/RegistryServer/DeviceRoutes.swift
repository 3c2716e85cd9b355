import Hummingbird
import LoanRegistry

/// `/api/v1/devices`: the device ledger (guideline ⑦) and each device's history.
struct DeviceRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("devices", .operation(.registerDevice),
                 .init("Add a device to the ledger", body: .newDevice, status: .created, answer: .json(.device))
                    .linking(OperationDoc.Link.each([(.get, "devices/{id}"), (.get, "devices/{id}/history")])), use: create)
            .get("devices", .operation(.readDevices),
                 .page("List the ledger", of: .device, named: "DevicePage", filters: [
                     .init(name: "status", schema: .oneOf(DeviceStatus.self), description: "Only devices in this status."),
                     .init(name: "category", schema: .oneOf(DeviceCategory.self), description: "Only devices of this category."),
                     .init(name: "modelId", schema: .id, description: "Only devices of this model."),
                 ]), use: list)
            .get("devices/:id", .operation(.readDevices), .init("Read a device (by id or asset tag)", answer: .json(.device)),
                 use: show)
            .post("devices/:id/sanitizations", .operation(.recordWipe),
                  .init("Record the wipe of a device that came back holding patient data: the only way back to available",
                        body: .sanitization, status: .created, answer: .json(.device)), use: wipe)
            .post("devices/:id/repair", .operation(.manageRepairs),
                  .init("Send a device to a vendor for repair", body: .newRepair, answer: .json(.device)), use: sendToRepair)
            .post("devices/:id/repair/return", .operation(.manageRepairs),
                  .init("Receive a device back from repair (one that holds patient data then waits for a wipe)",
                        body: .repairReceipt, answer: .json(.device)), use: receiveFromRepair)
            .post("devices/:id/retirement", .operation(.retireDevice),
                  .init("Take a device out of service (guideline ⑨)", body: .retirement, answer: .json(.device)), use: retire)
            .post("devices/:id/disposal", .operation(.disposeDevice),
                  .init("Record the disposal of a retired device, with the evidence that no patient data left with it (⑪)",
                        body: .newDisposal, status: .created, answer: .json(.disposal)), use: dispose)
            .get("devices/:id/history", .operation(.readDevices),
                 .init("A device's history: every status and whereabouts change",
                       answer: .json(.list(of: .deviceHistoryEntry, "DeviceHistory"))), use: history)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(NewDevice.self, context: context)
        return JSONBody(try await registry.ledger.registerDevice(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Device>> {
        let status: DeviceStatus? = try request.choice("status")
        let category: DeviceCategory? = try request.choice("category")
        let model = try request.text("modelId", maximum: 100)
        return JSONBody(try await registry.ledger.devices(status: status, category: category, model: model,
                                                          try request.pageRequest(), by: try context.requireActor()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        JSONBody(try await registry.ledger.device(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func wipe(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(NewSanitization.self, context: context)
        return JSONBody(try await registry.ledger.recordWipe(try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }

    @Sendable func sendToRepair(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(NewRepair.self, context: context)
        return JSONBody(try await registry.ledger.sendToRepair(try context.parameters.require("id"), input, by: try context.requireActor()))
    }

    @Sendable func receiveFromRepair(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(RepairReceipt.self, context: context)
        return JSONBody(try await registry.ledger.receiveFromRepair(try context.parameters.require("id"), notes: input.notes,
                                                                    by: try context.requireActor()))
    }

    struct RepairReceipt: Decodable {
        let notes: String?
    }

    @Sendable func retire(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(Retirement.self, context: context)
        return JSONBody(try await registry.ledger.retire(try context.parameters.require("id"), reason: input.reason,
                                                         by: try context.requireActor()))
    }

    struct Retirement: Decodable {
        let reason: String
    }

    @Sendable func dispose(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Disposal> {
        let input = try await request.decodeStrictly(NewDisposal.self, context: context)
        return JSONBody(try await registry.ledger.dispose(try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }

    @Sendable func history(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<HistoryBody> {
        JSONBody(HistoryBody(items: try await registry.ledger.history(of: try context.parameters.require("id"), by: try context.requireActor())))
    }

    struct HistoryBody: Encodable, Sendable {
        let items: [DeviceHistoryEntry]
    }
}
