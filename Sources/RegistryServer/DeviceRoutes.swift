import Hummingbird
import LoanRegistry

/// `/api/v1/devices`: the device ledger (guideline ⑦) and each device's history.
struct DeviceRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("devices", .operation(.registerDevice), use: create)
            .get("devices", .operation(.readDevices), query: pageQuery.union(["status"]), use: list)
            .get("devices/:id", .operation(.readDevices), use: show)
            .get("devices/:id/history", .operation(.readDevices), use: history)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(NewDevice.self, schema: .device, context: context)
        return JSONBody(try await registry.ledger.registerDevice(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Device>> {
        let status = try request.uri.queryParameters["status"].map { value in
            guard let status = DeviceStatus(rawValue: String(value)) else {
                throw ProblemDetails.validation([FieldError("status", "must be one of "
                    + DeviceStatus.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            return status
        }
        return JSONBody(try await registry.ledger.devices(status: status, try request.pageRequest(), by: try context.requireActor()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        JSONBody(try await registry.ledger.device(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func history(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<HistoryBody> {
        JSONBody(HistoryBody(items: try await registry.ledger.history(of: try context.parameters.require("id"), by: try context.requireActor())))
    }

    struct HistoryBody: Encodable, Sendable {
        let items: [DeviceHistoryEntry]
    }
}
