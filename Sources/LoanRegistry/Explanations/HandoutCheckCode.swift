import Foundation

/// The check code printed on every page of a loan's handouts and in their QR code
/// (`loan-registry:<loan number>:<code>:<explanation SHA-256>`): eight hex digits of the SHA-256 of the loan number and
/// the explanation's hash, as `XXXX-XXXX`.
///
/// Anyone holding a page can ask whether it belongs to the loan it names and to which
/// explanation (``Loans/verifyHandout(loan:code:by:)``).
public enum HandoutCheckCode {
    /// The code of the handouts of loan `number` printed from the explanation with `sha256`.
    public static func of(loan number: String, sha256: String) -> String {
        let digits = ContentHash.sha256("\(number)\n\(sha256)").prefix(8).uppercased()
        return "\(digits.prefix(4))-\(digits.suffix(4))"
    }

    /// `code` as printed: upper case, the hyphen in place (`abcd1234` → `ABCD-1234`), or `nil`
    /// when it cannot be a check code.
    static func normalized(_ code: String) -> String? {
        let hex = Identifier.folded(code).uppercased().filter { $0 != "-" && $0 != " " }
        guard hex.count == 8, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return "\(hex.prefix(4))-\(hex.suffix(4))"
    }
}

/// What a check code printed on a page says (``Loans/verifyHandout(loan:code:by:)``).
public struct HandoutVerification: Sendable, Equatable, Codable {
    /// The loan the page names.
    public let loanNumber: String
    /// Whether the code belongs to one of that loan's explanations.
    public let matches: Bool
    /// The explanation the page was printed from, when the code matches.
    public let explanationSequence: Int?
    public let textVersion: Int?
    public let language: Patient.Language?
    public let explanationSha256: String?
    /// Whether that is still the loan's current explanation (a later change makes older paper stale).
    public let current: Bool
}
