import Foundation

/// A name folded for prefix search, so staff find `ヤマダ` by typing `やまだ`, `ﾔﾏﾀﾞ` or `ヤマ ダ`.
///
/// Unicode NFKC (full- and half-width forms become one), katakana becomes hiragana, letters
/// lower-case, and spaces of any width are dropped.
public enum PatientSearchKey {
    /// The search key of `text`.
    public static func of(_ text: String) -> String {
        var key = String.UnicodeScalarView()
        for scalar in text.nfkc.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            // Katakana ァ (U+30A1) … ヶ (U+30F6) sit 0x60 above their hiragana; ヽヾ (U+30FD-E) too.
            if (0x30A1...0x30F6).contains(scalar.value) || (0x30FD...0x30FE).contains(scalar.value),
               let hiragana = Unicode.Scalar(scalar.value - 0x60) {
                key.append(hiragana)
            } else {
                key.append(scalar)
            }
        }
        return String(key).nfc
    }

    /// The smallest text greater than every text starting with `prefix`, for an indexed range scan.
    static func upperBound(_ prefix: String) -> String {
        prefix + "\u{10FFFF}"
    }
}
