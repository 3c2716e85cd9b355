/// What the hand-over gate (DESIGN §5) requires before a device leaves the clinic.
public enum HandoverRequirement: String, Sendable, Codable, CaseIterable {
    /// A granted, unwithdrawn consent to the loan's current explanation.
    case consent = "consent_required"
    /// The consent said no to the maker's cloud, which the model cannot work without.
    case scope = "scope_refused"
    /// The contact handout (連絡先のご案内) recorded as given for the current explanation.
    case contactSheet = "contact_sheet_required"

    /// What staff must do, in words.
    public var message: String {
        switch self {
        case .consent: "record the patient's consent to the current explanation"
        case .scope: "the patient did not agree to the maker's cloud this model needs: cancel the loan and lend a model "
            + "that keeps its data on the device"
        case .contactSheet: "give the patient the contact sheet and record it"
        }
    }
}
