import Foundation

extension String {
    /// The text in Unicode NFC (`precomposedStringWithCanonicalMapping`), itself when the quick check allows.
    package var nfc: String {
        NormalizationQuickCheck.isNFC(self) ? self : precomposedStringWithCanonicalMapping
    }

    /// The text in Unicode NFKC (`precomposedStringWithCompatibilityMapping`), itself when the quick check allows.
    package var nfkc: String {
        NormalizationQuickCheck.isNFKC(self) ? self : precomposedStringWithCompatibilityMapping
    }
}
