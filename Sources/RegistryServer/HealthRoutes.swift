import Foundation
import Hummingbird
import LoanRegistry

/// `GET /api/v1/health`: is the service up, do reads and writes work, and what did the last
/// integrity check and backup find?
///
/// 200 only when reads and writes work and the last integrity check passed; otherwise 503 with
/// `Retry-After` and a problem naming which part fails and why (`writes`, `writesReason`).
struct HealthRoutes {
    let registry: Registry

    struct Health: Encodable, Sendable {
        struct Integrity: Encodable {
            let check: String
            let checkedAt: String
            let result: String
            let milliseconds: Int
        }
        struct Backup: Encodable {
            let at: String
            let file: String
            let result: String
        }
        let status: String
        let database: String
        let writes: String
        let integrity: Integrity
        let backup: Backup?
        let version: String
    }

    func add(to api: APIGroup) {
        api.get("health", .anonymous, .init("Is the service up, and do reads and writes work?", answer: .json(.health)), use: health)
    }

    @Sendable func health(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Health> {
        guard await registry.isHealthy() else {
            var problem = ProblemDetails(status: .serviceUnavailable, code: "database_unavailable",
                                         title: "Database unavailable", detail: "The database does not answer reads.",
                                         retryAfter: 5)
            problem.members = ["database": "unavailable", "writes": "unavailable"]
            throw problem
        }
        if case .unavailable(let reason) = registry.writeStatus() {
            var problem = ProblemDetails(status: .serviceUnavailable, code: "writes_unavailable", title: "Writes unavailable",
                                         detail: "Reads work, but changes cannot be saved: \(reason).", retryAfter: 5)
            problem.members = ["database": "ok", "writes": "unavailable", "writesReason": reason]
            throw problem
        }
        let integrity = registry.lastIntegrityCheck
        if let problemText = integrity.firstProblem {
            var problem = ProblemDetails(status: .serviceUnavailable, code: "integrity_failed", title: "Integrity check failed",
                                         detail: "The last \(integrity.check.rawValue) found a damaged database file: "
                                            + "restore the latest verified backup.", retryAfter: 60)
            // SQLite's own words stay in the server log: /health answers anyone.
            _ = problemText
            problem.members = ["database": "damaged", "writes": "ok", "integrity": integrity.check.rawValue,
                               "checkedAt": Timestamp.string(integrity.checkedAt)]
            throw problem
        }
        let backup = registry.lastBackup.map {
            Health.Backup(at: Timestamp.string($0.at), file: $0.file, result: $0.problem == nil ? "ok" : "failed")
        }
        return JSONBody(Health(status: backup?.result == "failed" ? "degraded" : "ok", database: "ok", writes: "ok",
                      integrity: .init(check: integrity.check.rawValue, checkedAt: Timestamp.string(integrity.checkedAt),
                                       result: "ok", milliseconds: integrity.milliseconds),
                      backup: backup, version: RegistryVersion.current))
    }
}
