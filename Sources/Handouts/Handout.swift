public import LoanRegistry

/// Builds the document for one handout of a loan.
public enum Handout {
    /// The document of `kind` for the loan described by `facts`.
    public static func document(_ kind: HandoutKind, _ facts: HandoutFacts) -> Document {
        let frame = HandoutFrame(facts)
        return switch kind {
        case .explanation: ExplanationSheetBuilder(frame: frame).build()
        case .consentForm: ConsentFormBuilder(frame: frame).build()
        case .contactSheet: ContactSheetBuilder(frame: frame).build()
        }
    }

    /// The check code printed on every handout of a loan (and in its QR code).
    public static func checkCode(number: String, sha256: String) -> String {
        HandoutFrame.checkCode(number: number, sha256: sha256)
    }
}
