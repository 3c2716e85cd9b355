import Hummingbird
import LoanRegistry

/// `GET /api/v1/health`: is the service up and can it use its database?
struct HealthRoutes {
    let registry: Registry

    struct Health: ResponseEncodable {
        let status: String
        let database: String
        let version: String
    }

    func add(to api: APIGroup) {
        api.get("health", .anonymous, .init("Is the service up and its database usable?", answer: .json(.health)), use: health)
    }

    @Sendable func health(_ request: Request, context: RegistryRequestContext) async throws -> Health {
        guard await registry.isHealthy() else {
            throw ProblemDetails(status: .serviceUnavailable, code: "database_unavailable",
                                 title: "Database unavailable", detail: "The database does not answer reads.",
                                 retryAfter: 5)
        }
        return Health(status: "ok", database: "ok", version: RegistryVersion.current)
    }
}
