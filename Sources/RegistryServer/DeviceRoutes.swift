import Hummingbird
import LoanRegistry

/// `/api/v1/devices`: the device ledger (guideline ⑦) and each device's history.
struct DeviceRoutes {
    let registry: Registry

    func add(to group: RouterGroup<RegistryRequestContext>) {
        group.group("devices")
            .post(use: create)
            .get(use: list)
            .get(":id", use: show)
            .get(":id/history", use: history)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        let input = try await request.decodeStrictly(NewDevice.self, schema: .device, context: context)
        return JSONBody(try await registry.ledger.registerDevice(input, by: context.actor), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Device>> {
        let status = try request.uri.queryParameters["status"].map { value in
            guard let status = DeviceStatus(rawValue: String(value)) else {
                throw ProblemDetails.validation([FieldError("status", "must be one of "
                    + DeviceStatus.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            return status
        }
        return JSONBody(try await registry.ledger.devices(status: status, try request.pageRequest()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Device> {
        JSONBody(try await registry.ledger.device(try context.parameters.require("id")))
    }

    @Sendable func history(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<HistoryBody> {
        JSONBody(HistoryBody(items: try await registry.ledger.history(of: try context.parameters.require("id"))))
    }

    struct HistoryBody: Encodable, Sendable {
        let items: [DeviceHistoryEntry]
    }
}
