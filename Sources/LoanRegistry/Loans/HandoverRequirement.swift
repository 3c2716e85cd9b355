/// What the hand-over gate (DESIGN §5) requires before a device leaves the clinic.
public enum HandoverRequirement: String, Sendable, Codable, CaseIterable {
    /// A granted, unwithdrawn consent to the loan's current explanation.
    case consent = "consent_required"
    /// The contact handout (連絡先のご案内) recorded as given for the current explanation.
    case contactSheet = "contact_sheet_required"

    /// What staff must do, in words.
    public var message: String {
        switch self {
        case .consent: "record the patient's consent to the current explanation"
        case .contactSheet: "give the patient the contact sheet and record it"
        }
    }
}
