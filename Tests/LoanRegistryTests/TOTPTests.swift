import Foundation
import LoanRegistry
import Testing

/// TOTP against the test vectors of RFC 6238 Appendix B (8 digits, 30-second steps).
@Suite struct TOTPTests {
    static let times: [TimeInterval] = [59, 1_111_111_109, 1_111_111_111, 1_234_567_890, 2_000_000_000, 20_000_000_000]

    @Test(arguments: [
        (TOTP.Algorithm.sha1, "12345678901234567890", ["94287082", "07081804", "14050471", "89005924", "69279037", "65353130"]),
        (.sha256, "12345678901234567890123456789012", ["46119246", "68084774", "67062674", "91819424", "90698825", "77737706"]),
        (.sha512, "1234567890123456789012345678901234567890123456789012345678901234",
         ["90693936", "25091201", "99943326", "93441116", "38618901", "47863826"]),
    ])
    func rfc6238Vectors(algorithm: TOTP.Algorithm, seed: String, codes: [String]) {
        let totp = TOTP(secret: Array(seed.utf8), algorithm: algorithm, digits: 8)
        #expect(Self.times.map { totp.code(at: Date(timeIntervalSince1970: $0)) } == codes)
    }

    @Test func aCodeIsAcceptedOneStepEitherSideAndNeverTwice() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now) == step - 1)
        #expect(totp.matchingStep(totp.code(step: step + 1), at: now) == step + 1)
        #expect(totp.matchingStep(totp.code(step: step - 2), at: now) == nil)
        #expect(totp.matchingStep(totp.code(step: step), at: now, after: step) == nil, "a used step is refused")
        #expect(totp.matchingStep("12a456", at: now) == nil)
        #expect(totp.matchingStep("1234567", at: now) == nil)
    }

    @Test func theProvisioningURINamesIssuerAccountAndSecret() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let uri = totp.provisioningURI(account: "sato", issuer: "loan-registry")
        #expect(uri.hasPrefix("otpauth://totp/loan-registry:sato?"))
        #expect(uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        #expect(uri.contains("issuer=loan-registry") && uri.contains("digits=6") && uri.contains("period=30"))
    }
}
