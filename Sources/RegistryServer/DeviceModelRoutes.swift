import Hummingbird
import LoanRegistry

/// `/api/v1/device-models`: register and read device models with their security profiles.
struct DeviceModelRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("device-models", .operation(.registerDeviceModel),
                 .init("Register a device model with its security profile", body: .newDeviceModel, status: .created,
                       answer: .json(.deviceModel)).linking(OperationDoc.Link.each([(.get, "device-models/{id}")])), use: create)
            .get("device-models", .operation(.readDeviceModels),
                 .page("List device models", of: .deviceModel, named: "DeviceModelPage"), use: list)
            .get("device-models/:id", .operation(.readDeviceModels), .init("Read a device model", answer: .json(.deviceModel)),
                 use: show)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<DeviceModel> {
        let input = try await request.decodeStrictly(NewDeviceModel.self, context: context)
        return JSONBody(try await registry.ledger.registerModel(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<DeviceModel>> {
        JSONBody(try await registry.ledger.models(try request.pageRequest(), by: try context.requireActor()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<DeviceModel> {
        JSONBody(try await registry.ledger.model(try context.parameters.require("id"), by: try context.requireActor()))
    }
}
