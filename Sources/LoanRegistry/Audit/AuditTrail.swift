import Foundation
import GRDB

/// Browsing and verifying the audit log (auditors and managers). Reading it is itself audited:
/// the log names which patients each account read.
public struct AuditTrail: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Which events to list; every field given narrows the list.
    public struct Filter: Sendable, Equatable {
        /// `staff:<login>`, `cli:<user>` or `system`.
        public var actor: String?
        /// e.g. `loan`.
        public var entityType: String?
        /// A record id.
        public var entityId: String?
        /// e.g. `patient.read`.
        public var action: String?
        /// From this day (Asia/Tokyo), inclusive.
        public var from: LocalDate?
        /// To this day (Asia/Tokyo), inclusive.
        public var to: LocalDate?

        /// A filter with the fields given.
        public init(actor: String? = nil, entityType: String? = nil, entityId: String? = nil, action: String? = nil,
                    from: LocalDate? = nil, to: LocalDate? = nil) {
            self.actor = actor
            self.entityType = entityType
            self.entityId = entityId
            self.action = action
            self.from = from
            self.to = to
        }
    }

    /// Events matching `filter`, newest first, one page at a time.
    public func events(_ filter: Filter, _ page: PageRequest, by actor: AuditActor) async throws -> Page<AuditEvent> {
        try actor.authorize(.readAuditLog)
        let before = try page.keys(count: 1).map { keys -> Int64 in
            guard let seq = Int64(keys[0]) else {
                throw RegistryError.validationFailed([FieldError("cursor", "is not a cursor this server issued")])
            }
            return seq
        }
        var conditions: [String] = []
        var values: [DatabaseValue] = []
        func add(_ condition: String, _ value: some DatabaseValueConvertible) {
            conditions.append(condition)
            values.append(value.databaseValue)
        }
        if let value = filter.actor { add("actor = ?", value) }
        if let value = filter.entityType { add("entity_type = ?", value) }
        if let value = filter.entityId { add("entity_id = ?", value) }
        if let value = filter.action { add("action = ?", value) }
        if let value = filter.from { add("occurred_at >= ?", Timestamp.string(value.startOfDay)) }
        if let value = filter.to { add("occurred_at < ?", Timestamp.string(value.adding(days: 1).startOfDay)) }
        if let before { add("seq < ?", before) }
        let sql = "SELECT *, seq AS position FROM audit_events"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY seq DESC LIMIT ?"
        let limit = page.limit
        let arguments = values
        let result = try await registry.read { db in
            try Page.from(try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments + [limit + 1].map(\.databaseValue))), limit: limit) {
                try AuditEvent(row: $0)
            }
        }
        let now = registry.clock.now()
        var details = ["events": String(result.items.count)]
        for (key, value) in [("actor", filter.actor), ("entityType", filter.entityType), ("action", filter.action),
                             ("from", filter.from?.description), ("to", filter.to?.description)] {
            if let value { details[key] = value }
        }
        let recorded = details
        _ = try await writer.write { db in
            try AuditLog.append(.auditEventsRead, entityType: "audit_log", entityId: filter.entityId ?? "*",
                                details: recorded, by: actor, at: now, in: db)
        }
        return result
    }

    /// ``Registry/verify(deep:checkpoints:trustedKeys:)`` for an auditor or manager.
    public func verify(deep: Bool, checkpoints: CheckpointStore?, by actor: AuditActor) async throws -> RegistryVerification {
        try actor.authorize(.readAuditLog)
        return try await registry.verify(deep: deep, checkpoints: checkpoints)
    }
}
