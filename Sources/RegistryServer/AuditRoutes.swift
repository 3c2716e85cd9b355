import Hummingbird
import LoanRegistry

/// `/api/v1/audit`: the audit log for auditors and managers: its events and its verification.
struct AuditRoutes {
    let registry: Registry
    /// The checkpoint folder the server signs into, checked by `/audit/verify`.
    let checkpoints: CheckpointStore?

    func add(to api: APIGroup) {
        api.get("audit/events", .operation(.readAuditLog),
                .page("Audit events, newest first (reading them is audited)", of: .auditEvent, named: "AuditEventPage", filters: [
                    .init(name: "actor", schema: .string(maxLength: 120, example: "staff:sato"), description: "`staff:<login>`, `cli:<user>` or `system`."),
                    .init(name: "entityType", schema: .string(maxLength: 40, example: "loan"), description: "e.g. patient, loan, consent, device."),
                    .init(name: "entityId", schema: .string(maxLength: 100), description: "A record id."),
                    .init(name: "action", schema: .string(maxLength: 60, example: "patient.read"), description: "e.g. patient.read, loan.handed_over."),
                    .init(name: "from", schema: .date, description: "From this day (Japan), inclusive."),
                    .init(name: "to", schema: .date, description: "To this day (Japan), inclusive."),
                ]), use: events)
            .get("audit/verify", .operation(.readAuditLog),
                 .init("Verify the database, the audit chain, the triggers and the signed checkpoints",
                       description: "With `deep=true`, also compares every covered row with the digest its latest event recorded.",
                       query: [.init(name: "deep", schema: .oneOf(["true", "false"]), description: "true: also check every covered row.")],
                       answer: .json(.verification)), use: verify)
    }

    @Sendable func events(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<AuditEvent>> {
        let filter = AuditTrail.Filter(
            actor: try request.text("actor", maximum: 120), entityType: try request.text("entityType", maximum: 40),
            entityId: try request.text("entityId", maximum: 100), action: try request.text("action", maximum: 60),
            from: try request.date("from"), to: try request.date("to"))
        if let from = filter.from, let to = filter.to, to < from {
            throw ProblemDetails.validation([FieldError("to", "must not be before from")])
        }
        return JSONBody(try await registry.auditTrail.events(filter, try request.pageRequest(), by: try context.requireActor()))
    }

    @Sendable func verify(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<RegistryVerification> {
        let deep = request.queryValue("deep")
        guard deep == nil || deep == "true" || deep == "false" else {
            throw ProblemDetails.validation([FieldError("deep", "must be true or false")])
        }
        return JSONBody(try await registry.auditTrail.verify(deep: deep == "true", checkpoints: checkpoints,
                                                             by: try context.requireActor()))
    }
}
