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
    /// When the writer connection tracks row changes (``RowChanges``), the event also carries,
    /// under `rowDigests`, the ``RowDigest`` of every covered row changed since the previous
    /// event, as `table/id=digest` separated by spaces.
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
        var details = details
        let tracker = RowChanges.on(db)
        tracker?.lastEvent = .init(action: action, entityType: entityType, entityId: entityId, actor: actor, date: date)
        if let changes = tracker?.take(), !changes.isEmpty {
            details[Self.rowDigestsKey] = try changes.map { change in
                if let row = try RowDigest.of(change.table, rowID: change.rowID, in: db) {
                    return "\(change.table.rawValue)/\(row.id)=\(row.digest)"
                }
                return "\(change.table.rawValue)/#\(change.rowID)=\(RowDigest.deleted)"
            }.joined(separator: " ")
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

    /// Covers rows an operation changed after its last event (e.g. the device a hand-over moves
    /// after the loan's event): one `audit.rows_recorded` event by the same actor about the same
    /// record carries their digests. The group-commit writer calls it at the end of every
    /// operation, inside the operation's savepoint.
    ///
    /// Rows changed by an operation that appended no event at all stay uncovered, so `verify --deep`
    /// names them: a change without an audit event is a defect, not something to paper over.
    package static func recordRemainingRows(in db: Database) throws {
        guard let tracker = RowChanges.on(db), tracker.hasPending else { return }
        guard let last = tracker.lastEvent else {
            // A registry operation wrote a covered row and appended no event: a defect that
            // `verify --deep` would report as an edit outside the registry. Caught in tests.
            assertionFailure("an operation changed \(tracker.pendingTables) without an audit event")
            return
        }
        try append(.rowsRecorded, entityType: last.entityType, entityId: last.entityId,
                   details: ["after": last.action.rawValue], by: last.actor, at: last.date, in: db)
    }

    /// The details key under which an event lists the digests of the rows it wrote.
    package static let rowDigestsKey = "rowDigests"

    /// JSON with sorted keys and no insignificant white space: byte for byte what `JSONEncoder`
    /// with `.sortedKeys` and `.withoutEscapingSlashes` writes (a test compares them), without an
    /// encoder per event — every audited read writes one.
    static func canonicalJSON(_ details: [String: String]) -> String {
        var out = "{"
        var first = true
        for key in details.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if !first { out.append(",") }
            first = false
            appendQuoted(key, to: &out)
            out.append(":")
            appendQuoted(details[key] ?? "", to: &out)
        }
        out.append("}")
        return out
    }

    private static func appendQuoted(_ text: String, to out: inout String) {
        out.append("\"")
        // Most values (ids, digests, actions) need no escape: copied whole, not scalar by scalar.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(text)
            out.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}
