import Foundation
import Crypto
public import GRDB

/// One row of the append-only, hash-chained audit log.
///
/// `details` holds identifiers and state names as JSON — never patient data values.
public struct AuditEvent: Sendable, Equatable, Codable {
    /// Position in the chain: 1, 2, 3 … without gaps.
    public var seq: Int
    /// When it happened, UTC, as stored (``Timestamp``).
    public var occurredAt: String
    /// Who did it (``AuditActor/id``).
    public var actor: String
    /// What was done, e.g. `loan.created`, `patient.read`.
    public var action: String
    /// The kind of record it concerns, e.g. `loan`.
    public var entityType: String
    /// The record's id.
    public var entityId: String
    /// Canonical JSON (sorted keys) with identifiers and state names.
    public var details: String
    /// The hash of the event before this one (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 over `previousHash` and ``canonicalForm``, lower-case hex.
    public var hash: String

    /// An event with every field given (``hash`` is not computed; see ``expectedHash``).
    public init(
        seq: Int, occurredAt: String, actor: String, action: String, entityType: String, entityId: String,
        details: String, previousHash: String, hash: String
    ) {
        self.seq = seq
        self.occurredAt = occurredAt
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityId = entityId
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash the first event chains from.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The exact bytes that are hashed: every field but the hashes, each as
    /// `<UTF-8 byte count>:<text>` followed by a line feed, in column order.
    ///
    /// Length prefixes make the form unambiguous whatever the fields contain.
    public var canonicalForm: String {
        [String(seq), occurredAt, actor, action, entityType, entityId, details]
            .map { "\($0.utf8.count):\($0)\n" }
            .joined()
    }

    /// The hash this event must carry given its fields and `previousHash`.
    public var expectedHash: String {
        SHA256.hash(data: Data((previousHash + canonicalForm).utf8)).hexString
    }
}

extension AuditEvent: FetchableRecord {
    public init(row: Row) throws {
        seq = row["seq"]
        occurredAt = row["occurred_at"]
        actor = row["actor"]
        action = row["action"]
        entityType = row["entity_type"]
        entityId = row["entity_id"]
        details = row["details"]
        previousHash = row["prev_hash"]
        hash = row["hash"]
    }
}
