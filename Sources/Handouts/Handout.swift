public import LoanRegistry

/// Builds the document for one handout of a loan.
public enum Handout {
    /// The explanation sheet was asked for in a language other than the snapshot's: it prints
    /// the snapshot exactly as hashed, so it exists only in that language.
    public struct LanguageMismatch: Error, Equatable, CustomStringConvertible {
        public let number: String
        public let explained: Patient.Language
        public let requested: Patient.Language

        public init(number: String, explained: Patient.Language, requested: Patient.Language) {
            self.number = number
            self.explained = explained
            self.requested = requested
        }

        public var description: String {
            "Loan \(number)'s explanation is in \(explained.rawValue); change the loan's language to print it in \(requested.rawValue)."
        }
    }

    /// A reminder letter was asked for a loan that is not overdue.
    public struct NotOverdue: Error, Equatable, CustomStringConvertible {
        public let number: String
        public let status: LoanStatus
        public var description: String { "Loan \(number) is not overdue (it is \(status.rawValue)): there is nothing to remind the patient of." }
    }

    /// The document of `kind` for the loan described by `facts`, in normal or large print.
    ///
    /// - Throws: ``LanguageMismatch`` for an explanation sheet in another language than the snapshot's,
    ///   ``NotOverdue`` for a reminder letter on a loan that is not overdue.
    public static func document(_ kind: HandoutKind, _ facts: HandoutFacts, size: Document.PrintSize = .normal) throws -> Document {
        if kind == .reminderLetter, !facts.loan.isOverdue {
            throw NotOverdue(number: facts.loan.number, status: facts.loan.status)
        }
        if kind == .explanation, let snapshot = facts.loan.explanation, snapshot.language != facts.language {
            throw LanguageMismatch(number: facts.loan.number, explained: snapshot.language, requested: facts.language)
        }
        let frame = HandoutFrame(facts, size: size)
        return switch kind {
        case .explanation: ExplanationSheetBuilder(frame: frame).build()
        case .consentForm: ConsentFormBuilder(frame: frame).build()
        case .contactSheet: ContactSheetBuilder(frame: frame).build()
        case .reminderLetter: ReminderLetterBuilder(frame: frame).build()
        }
    }

    /// The check code printed on every handout of a loan (and in its QR code).
    public static func checkCode(number: String, sha256: String) -> String {
        HandoutFrame.checkCode(number: number, sha256: sha256)
    }
}
