package import Foundation
package import GRDB

/// Appends events to the audit chain inside the caller's transaction.
///
/// Registry operations call ``append(_:entityType:entityId:details:by:at:in:)`` from inside
/// their write so that the change and its event commit together or not at all. Only the
/// registry (and, with package access, its tests and benchmark) appends.
package enum AuditLog {
    /// Appends one event at the head of the chain.
    ///
    /// - Parameters:
    ///   - details: identifiers and state names only — never patient data values.
    @discardableResult
    package static func append(
        _ action: AuditAction,
        entityType: String,
        entityId: String,
        details: [String: String] = [:],
        by actor: AuditActor,
        at date: Date,
        in db: Database
    ) throws -> AuditEvent {
        guard let head = try db.cachedRow(sql: "SELECT seq, hash FROM audit_chain_head WHERE id = 1") else {
            throw StorageError.unavailable(reason: "audit chain head is missing")
        }
        var event = AuditEvent(
            seq: head["seq"] + 1,
            occurredAt: Timestamp.string(date),
            actor: actor.id,
            action: action.rawValue,
            entityType: entityType,
            entityId: entityId,
            details: canonicalJSON(details),
            previousHash: head["hash"],
            hash: "")
        event.hash = event.expectedHash
        try db.cachedExecute(
            sql: """
                INSERT INTO audit_events
                    (seq, occurred_at, actor, action, entity_type, entity_id, details, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [event.seq, event.occurredAt, event.actor, event.action, event.entityType,
                        event.entityId, event.details, event.previousHash, event.hash])
        return event
    }

    /// JSON with sorted keys and no insignificant white space.
    static func canonicalJSON(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(details), let text = String(data: data, encoding: .utf8) else {
            return "{}"
        }
        return text
    }
}
