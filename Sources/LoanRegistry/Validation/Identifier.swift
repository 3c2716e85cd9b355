import Foundation

/// Identifiers staff type and look up — patient numbers, asset tags, serial numbers — in the one
/// form they are stored and compared in.
///
/// A Japanese keyboard in full-width mode types `Ｐ－０００１２３`; a copy from a spreadsheet may
/// bring a trailing space. Both are folded to `P-000123` (Unicode NFKC, spaces trimmed) before the
/// identifier is checked, stored or looked up, so they find, or collide with, the record staff
/// mean. What cannot be folded — an invisible or formatting character inside — is refused by
/// ``FieldValidator/identifier(_:_:maximum:)``.
public enum Identifier {
    /// `text` in NFKC with leading and trailing white space (of any width) removed.
    public static func folded(_ text: String) -> String {
        text.nfkc.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
