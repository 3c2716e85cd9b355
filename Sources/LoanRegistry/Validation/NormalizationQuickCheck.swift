import Foundation

/// Whether text is already in a Unicode normal form, answered without normalizing it when it is
/// written in the scripts clinic records use: ASCII, kana, the common CJK ideographs and
/// Japanese punctuation.
///
/// Unicode's quick check (UAX #15): text is in NFC (NFKC) when every scalar has
/// `NFC_Quick_Check` (`NFKC_Quick_Check`) = Yes and canonical combining class 0. The ranges below
/// are a conservative subset of those scalars. Text with any other scalar, a combining mark
/// above all, is normalized in full by Foundation, so the answer is always the normal form;
/// only its cost changes. Profiled on the durable create, Foundation's normalization of a
/// Japanese name was most of the cost of checking and storing it.
package enum NormalizationQuickCheck {
    /// Whether `text` is certainly in NFC (`false`: it may or may not be).
    package static func isNFC(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { isNFCStable($0.value) }
    }

    /// Whether `text` is certainly in NFKC (`false`: it may or may not be).
    package static func isNFKC(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { isNFKCStable($0.value) }
    }

    /// Yes in `NFC_Quick_Check` and `NFKC_Quick_Check`, canonical combining class 0.
    private static func isNFKCStable(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x7F,      // ASCII
             0x3001...0x3003,  // 、。〃 (not U+3000: NFKC makes the ideographic space a space)
             0x3005...0x3007,  // 々〆〇
             0x300C...0x300F,  // 「」『』
             0x3041...0x3096,  // hiragana, voiced ones precomposed
             0x30A1...0x30FA,  // katakana, voiced ones precomposed
             0x30FC,           // ー
             0x4E00...0x9FFF:  // CJK unified ideographs
            true
        default:
            false
        }
    }

    /// Yes in `NFC_Quick_Check`, canonical combining class 0.
    private static func isNFCStable(_ value: UInt32) -> Bool {
        switch value {
        case 0x3000,           // ideographic space
             0xFF01...0xFF9F:  // full-width ASCII and half-width katakana (compatibility forms only)
            true
        default:
            isNFKCStable(value)
        }
    }
}
