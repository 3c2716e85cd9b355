/// A report to the PPC, as submitted.
public struct IncidentReportSubmission: Sendable, Equatable, Codable {
    /// 速報 or 確報.
    public enum Stage: String, Sendable, Codable, CaseIterable {
        case preliminary, final
    }

    /// Preliminary (速報) or final (確報).
    public var stage: Stage
    /// The day it was submitted, once recorded.
    public var submittedOn: LocalDate
    /// The PPC's receipt number or the clinic's file reference.
    public var reference: String?

    /// Creates the value from its fields.
    public init(stage: Stage, submittedOn: LocalDate, reference: String? = nil) {
        self.stage = stage
        self.submittedOn = submittedOn
        self.reference = reference
    }
}
