/// Everything a printed handout shows about one loan, read in one audited read.
public struct HandoutFacts: Sendable {
    /// The loan, with its current explanation's text.
    public let loan: Loan
    public let clinic: ClinicProfile
    public let model: DeviceModel
    /// The consent decision on the current explanation, if any.
    public let consent: Consent?
    /// The newest released texts for the handout's language (consent statement, contact-sheet
    /// text, labels). The explanation itself is always the snapshot's exact text.
    public let texts: ExplanationTexts
    /// The handout's language.
    public let language: Patient.Language
}
