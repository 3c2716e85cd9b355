import Hummingbird
import LoanRegistry

/// `/api/v1/incidents`: lost and stolen devices (guideline ③) and the reports to the PPC.
struct IncidentRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("incidents", .operation(.readIncidents),
                .init("Every incident, open ones first with their report deadlines (overdue ones flagged)",
                      query: [.init(name: "status", schema: .oneOf(["open", "all"]), description: "open, or all (default).")],
                      answer: .json(.list(of: .incident, "IncidentList"))), use: list)
            .get("incidents/:id", .operation(.readIncidents), .init("One incident (by id or number)", answer: .json(.incident)),
                 use: show)
            .post("incidents/:id/found", .operation(.recordFound),
                  .init("The lost device is back: it waits for a wipe if it holds patient data; the incident stays on record",
                        body: .noFields, answer: .json(.incident)), use: found)
            .post("incidents/:id/reports", .operation(.recordIncidentReport),
                  .init("Record that the preliminary (速報) or final (確報) report was submitted to the PPC",
                        body: .incidentReportSubmission, answer: .json(.incident)), use: report)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Incident>> {
        let status = request.queryValue("status") ?? "all"
        guard ["open", "all"].contains(status) else { throw ProblemDetails.validation([FieldError("status", "must be open or all")]) }
        return JSONBody(Items(items: try await registry.incidents.list(openOnly: status == "open", by: try context.requireActor())))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Incident> {
        JSONBody(try await registry.incidents.incident(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func found(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Incident> {
        // (The body was checked for fields by APIGroup: `.noFields`.)
        return JSONBody(try await registry.incidents.deviceFound(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func report(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Incident> {
        let input = try await request.decodeStrictly(IncidentReportSubmission.self, context: context)
        return JSONBody(try await registry.incidents.recordReport(try context.parameters.require("id"), input,
                                                                  by: try context.requireActor()))
    }
}
