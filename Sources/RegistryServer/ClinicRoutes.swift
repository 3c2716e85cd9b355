import Hummingbird
import LoanRegistry

/// `/api/v1/clinic`: the clinic profile printed on explanations and contact sheets.
struct ClinicRoutes {
    let registry: Registry

    func add(to group: RouterGroup<RegistryRequestContext>) {
        group.get("clinic", use: show)
        group.put("clinic", use: update)
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<ClinicProfile> {
        guard let profile = try await registry.clinic.profile() else { throw RegistryError.clinicProfileMissing }
        return JSONBody(profile)
    }

    /// Replaces the whole profile. (Manager role once roles exist.)
    @Sendable func update(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<ClinicProfile> {
        let input = try await request.decodeStrictly(ClinicProfile.self, schema: .clinic, context: context)
        return JSONBody(try await registry.clinic.update(input, by: context.actor))
    }
}
