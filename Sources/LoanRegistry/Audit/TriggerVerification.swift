import Foundation
public import GRDB

/// Whether the database's triggers (append-only logs, lifecycle and hand-over gates) are the
/// ones its migrations released, compared by the SHA-256 of each trigger's SQL.
///
/// Someone with the file can drop a trigger, edit rows, and put it back; or leave it dropped.
/// The expected set is not a list kept by hand: it is what this binary's migrations create in a
/// fresh in-memory database.
public struct TriggerVerification: Sendable, Equatable, Codable {
    /// One trigger that differs from its released SQL.
    public struct Finding: Sendable, Equatable, Codable {
        /// The trigger's name.
        public let name: String
        /// `missing`, `changed` or `unexpected`.
        public let problem: String
    }

    /// Triggers the released schema has.
    public let expected: Int
    /// SHA-256 over every released trigger's name and SQL, in name order.
    public let releasedHash: String
    /// The same hash over the database's triggers.
    public let actualHash: String
    /// Each difference, in name order.
    public let findings: [Finding]

    /// `true` when the database has exactly the released triggers.
    public var isIntact: Bool { findings.isEmpty }

    /// Compares `db`'s triggers with those `migrator`'s migrations create.
    public static func verify(_ db: Database, migrator: Migrator) throws -> TriggerVerification {
        let fresh = try DatabaseQueue()
        try migrator.migrate(fresh)
        let released = try fresh.read { try triggers($0) }
        let actual = try triggers(db)
        var findings: [Finding] = []
        for name in Set(released.keys).union(actual.keys).sorted() {
            switch (released[name], actual[name]) {
            case (.some, nil): findings.append(Finding(name: name, problem: "missing"))
            case (nil, .some): findings.append(Finding(name: name, problem: "unexpected"))
            case (let a?, let b?) where a != b: findings.append(Finding(name: name, problem: "changed"))
            default: break
            }
        }
        return TriggerVerification(expected: released.count, releasedHash: hash(released), actualHash: hash(actual),
                                   findings: findings)
    }

    private static func triggers(_ db: Database) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'") {
            result[row["name"]] = ContentHash.sha256(row["sql"] as String? ?? "")
        }
        return result
    }

    private static func hash(_ triggers: [String: String]) -> String {
        ContentHash.sha256(triggers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined())
    }
}
