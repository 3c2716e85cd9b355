import Hummingbird
import LoanRegistry

/// `/api/v1/clinic`: the clinic profile printed on explanations and contact sheets.
struct ClinicRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("clinic", .operation(.readClinicProfile),
                .init("The clinic profile (409 until it is set)", answer: .json(.clinic)).tagged, use: show)
            .put("clinic", .operation(.updateClinicProfile),
                 .init("Replace the clinic profile (If-Match required once it is set)", body: .clinicProfile, answer: .json(.clinic)).tagged, use: update)
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<ClinicProfile> {
        guard let profile = try await registry.clinic.profile(by: try context.requireActor()) else { throw RegistryError.clinicProfileMissing }
        return Tagged(profile)
    }

    /// Replaces the whole profile (the manager's).
    @Sendable func update(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<ClinicProfile> {
        let input = try await request.decodeStrictly(ClinicProfile.self, context: context)
        return Tagged(try await registry.clinic.update(input, precondition: request.editPrecondition,
                                                       by: try context.requireActor()))
    }
}
