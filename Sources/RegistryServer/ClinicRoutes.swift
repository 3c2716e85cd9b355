import Hummingbird
import LoanRegistry

/// `/api/v1/clinic`: the clinic profile printed on explanations and contact sheets.
struct ClinicRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("clinic", .operation(.readClinicProfile), use: show)
            .put("clinic", .operation(.updateClinicProfile), use: update)
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<ClinicProfile> {
        guard let profile = try await registry.clinic.profile(by: try context.requireActor()) else { throw RegistryError.clinicProfileMissing }
        return JSONBody(profile)
    }

    /// Replaces the whole profile (the manager's).
    @Sendable func update(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<ClinicProfile> {
        let input = try await request.decodeStrictly(ClinicProfile.self, schema: .clinic, context: context)
        return JSONBody(try await registry.clinic.update(input, by: try context.requireActor()))
    }
}
