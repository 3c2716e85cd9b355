import LoanRegistry
import Testing

/// The guideline's password rules (6.0 Q&A, System Operations ch. 14), each on its own.
@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy(login: "sato", displayName: "佐藤 花子", clinicName: "見本クリニック", withSecondFactor: false)

    @Test func aLongMixedPasswordPasses() {
        #expect(policy.violations(of: "Quiet#Harbour-71x").isEmpty)
    }

    @Test(arguments: [
        ("Sh0rt#pass", PasswordPolicy.Violation.tooShort),
        ("NoDigitsHere#Ever", .missingDigit),
        ("NoSymbols1234567", .missingSymbol),
        ("1234567890#-!?=+", .missingLetter),
        ("Quiet#Harbour-71sato", .containsLogin),
        ("Quiet#Harbour-71SATO", .containsLogin),
        ("Quiet#Harbour-71花子", .containsName),
        ("Quiet#見本クリニック-71", .containsClinicName),
        ("Password#123456", .common),
        ("Dragon!!2024?##", .common),
        ("Quiet#Harbour-71\u{7}", .controlCharacter),
    ])
    func eachRuleIsNamed(password: String, violation: PasswordPolicy.Violation) {
        #expect(policy.violations(of: password).contains(violation))
    }

    @Test func everyBrokenRuleIsListedAtOnce() {
        #expect(Set(policy.violations(of: "sato")) == [.tooShort, .missingDigit, .missingSymbol, .containsLogin])
    }

    @Test func aSecondFactorAllowsEightCharactersButNotFewer() {
        let withTOTP = PasswordPolicy(login: "sato", displayName: "佐藤 花子", clinicName: nil, withSecondFactor: true)
        #expect(withTOTP.violations(of: "Qz#7mk2v").isEmpty)
        #expect(withTOTP.violations(of: "Qz#7mk2") == [.tooShort])
        #expect(policy.violations(of: "Qz#7mk2v").contains(.tooShort))
    }

    @Test func overlongPasswordsAreRefused() {
        #expect(policy.violations(of: "Aa1#" + String(repeating: "x", count: 200)).contains(.tooLong))
    }
}
