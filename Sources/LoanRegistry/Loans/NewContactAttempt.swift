/// What staff record after trying to reach a patient.
public struct NewContactAttempt: Sendable, Equatable, Codable {
    /// How the clinic tried to reach the patient.
    public var channel: ContactAttempt.Channel
    /// What came of it.
    public var outcome: ContactAttempt.Outcome
    /// When to try again or check the return.
    public var nextActionOn: LocalDate?
    /// No patient data beyond what the follow-up needs.
    public var notes: String?

    /// Creates the value from its fields.
    public init(channel: ContactAttempt.Channel, outcome: ContactAttempt.Outcome, nextActionOn: LocalDate? = nil, notes: String? = nil) {
        self.channel = channel
        self.outcome = outcome
        self.nextActionOn = nextActionOn
        self.notes = notes
    }
}
