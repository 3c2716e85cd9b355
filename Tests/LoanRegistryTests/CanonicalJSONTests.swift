import Foundation
@testable import LoanRegistry
import Testing

/// The audit log's hand-written canonical JSON must stay byte for byte what `JSONEncoder` writes
/// with sorted keys, so events written before and after it hash the same way.
@Suite struct CanonicalJSONTests {
    private func encoder(_ details: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }

    @Test func matchesJSONEncoderOnEveryControlCharacterAndMixedKeys() throws {
        var every = ""
        for value in 0..<0x80 { every.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let cases: [[String: String]] = [
            [:],
            ["patientId": "00000000-0000-4000-8000-000000000001", "via": "overdue"],
            ["b": "x", "B": "y", "a": "", "A": "", "a10": "", "a9": "", "_": "", "é": "", "Z": "", "rowDigests": "loans/1=ab cd"],
            ["text": every, "slash": "a/b\\c", "japanese": "見本 花子\u{2028}\u{2029}\u{7F}", "emoji": "👩‍⚕️"],
        ]
        for details in cases {
            #expect(AuditLog.canonicalJSON(details) == (try encoder(details)))
        }
    }
}
