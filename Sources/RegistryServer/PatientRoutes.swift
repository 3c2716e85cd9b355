import Hummingbird
import LoanRegistry

/// `/api/v1/patients`: register patients; every read is audited.
struct PatientRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("patients", .operation(.registerPatient), use: create)
            .get("patients", .operation(.readPatients), query: pageQuery.union(["patientNumber"]), use: list)
            .get("patients/:id", .operation(.readPatients), use: show)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Patient> {
        let input = try await request.decodeStrictly(NewPatient.self, schema: .patient, context: context)
        return JSONBody(try await registry.patients.register(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Patient>> {
        let number = request.uri.queryParameters["patientNumber"].map(String.init)
        return JSONBody(try await registry.patients.list(patientNumber: number, try request.pageRequest(), by: try context.requireActor()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Patient> {
        JSONBody(try await registry.patients.patient(try context.parameters.require("id"), by: try context.requireActor()))
    }
}
