import Foundation
@testable import LoanRegistry
import Testing

@Suite struct NormalizationQuickCheckTests {
    /// Every scalar up to U+FFFF: the quick check may say "already normal" only for one that
    /// Foundation leaves unchanged, alone and after a kana (a scalar that composes with the one
    /// before it is never "already normal").
    @Test func theQuickCheckNeverCallsTextNormalThatFoundationChanges() {
        var nfcYes = 0, nfkcYes = 0
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "か" + String(scalar), "ｶ" + String(scalar), "A" + String(scalar)] {
                if NormalizationQuickCheck.isNFC(text) {
                    #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars),
                            "U+\(String(value, radix: 16)) is not NFC-stable")
                    nfcYes += 1
                }
                if NormalizationQuickCheck.isNFKC(text) {
                    #expect(text.precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual(text.unicodeScalars),
                            "U+\(String(value, radix: 16)) is not NFKC-stable")
                    nfkcYes += 1
                }
            }
        }
        // The fast path covers what clinic records are written in (ASCII, kana, the CJK block).
        #expect(nfcYes > 4 * 21_000 && nfkcYes > 3 * 21_000)
    }

    @Test func normalFormsAreFoundationsWhateverTheText() {
        let texts = ["山田 太郎", "ヤマダ タロウ", "か\u{3099}", "ｶﾞﾄｳ", "Ｐ－０１２", "e\u{301}", "\u{3000}鈴木", "ﾞ", "Ω", "ﬁle", "03-1234-5678", ""]
        for text in texts {
            #expect(text.nfc.unicodeScalars.elementsEqual(text.precomposedStringWithCanonicalMapping.unicodeScalars), "\(text)")
            #expect(text.nfkc.unicodeScalars.elementsEqual(text.precomposedStringWithCompatibilityMapping.unicodeScalars), "\(text)")
        }
        #expect(Array("か\u{3099}".nfc.unicodeScalars) == ["が"])
        #expect("Ｐ－０１２".nfkc == "P-012")
        #expect(!NormalizationQuickCheck.isNFKC("\u{3000}") && NormalizationQuickCheck.isNFC("\u{3000}"))
    }

    @Test func searchKeysAndIdentifiersAreUnchangedByTheFastPath() {
        // Computed by the fast path (plain kana and kanji) and by Foundation's (a decomposed mark).
        #expect(PatientSearchKey.of("ヤマダ タロウ") == "やまだたろう")
        #expect(PatientSearchKey.of("ﾔﾏﾀﾞ") == "やまだ")
        #expect(PatientSearchKey.of("ヤマタ\u{3099}") == "やまだ")
        #expect(PatientSearchKey.of("Yamada") == "yamada")
        #expect(Identifier.folded("　Ｐ－０００１２３ ") == "P-000123")
        #expect(Identifier.folded("P-1") == "P-1")
    }
}
