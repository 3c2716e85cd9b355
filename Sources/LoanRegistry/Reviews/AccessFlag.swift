/// One thing in a period's access log that a reviewer must look at and decide on.
public struct AccessFlag: Sendable, Equatable, Codable {
    /// What kind of thing it is.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// Reads of patient data outside the clinic's working hours (one flag per account and day).
        case offHours = "off_hours"
        /// More reads in a day than 3× the account's own median over the 30 days before.
        case volume
        /// Reads of a patient whose loans the account never had a part in.
        case noCareRelationship = "no_care_relationship"
        /// Failed sign-ins under a login (one flag per login and day).
        case failedSignIns = "failed_sign_ins"
        /// An account locked after repeated failures.
        case lockout
        /// A sign-in from an address the account never signed in from before.
        case newAddress = "new_address"
    }

    /// The flag's stable name within its period, e.g. `off_hours:staff:sato:2026-11-23`;
    /// decisions refer to it.
    public let id: String
    /// What kind of thing it is.
    public let kind: Kind
    /// The account concerned (`staff:<login>`), or the login tried for failed sign-ins.
    public let account: String
    /// The day, when the flag is about one day.
    public let day: LocalDate?
    /// The patient (registry id; never a name), for reads without a care relationship.
    public let patientId: String?
    /// How many events it covers.
    public let count: Int
    /// The audit events it rests on (sequence numbers; the first 20).
    public let events: [Int]
    /// Facts for the reviewer, e.g. `reason: public_holiday`, `holiday: 勤労感謝の日`,
    /// `median: 4`, `threshold: 15`, `address: 192.0.2.10`.
    public let facts: [String: String]
    /// The latest decision on it, if any.
    public var decision: AccessReviewDecision?
}

/// A reviewer's decision on a flag.
public struct AccessReviewDecision: Sendable, Equatable, Codable {
    /// `justified` or `follow-up`.
    public enum Outcome: String, Sendable, Equatable, Codable, CaseIterable {
        case justified
        case followUp = "follow-up"
    }

    /// The flag's id.
    public let item: String
    /// What the reviewer decided.
    public let decision: Outcome
    /// Why, in the reviewer's words.
    public let note: String
    /// When (``Timestamp``).
    public let decidedAt: String
    /// Who (`staff:<login>`).
    public let decidedBy: String
}
