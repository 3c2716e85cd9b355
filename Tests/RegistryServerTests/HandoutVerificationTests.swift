import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// The check code printed on a page says which loan and explanation the paper belongs to.
@Suite struct HandoutVerificationTests {
    @Test func aPrintedCodeVerifiesAgainstItsLoanAndGoesStaleWhenTheExplanationChanges() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        let first = try #require(loan.explanation)
        let code = HandoutCheckCode.of(loan: loan.number, sha256: first.sha256)
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            for role in StaffRole.allCases {
                let api = try await client.signedIn(as: "as-\(role.rawValue)", role: role, in: test)
                let answer = try await api.send(.get, "/api/v1/handouts/verify?loan=\(loan.number)&code=\(code)")
                // Those who print handouts verify them; the administrator sees no loans.
                if role == .admin {
                    #expect(answer.status == .forbidden)
                    continue
                }
                #expect(answer.status == .ok, "\(role) may verify")
                #expect(answer.json["matches"] as? Bool == true && answer.json["current"] as? Bool == true)
                #expect(answer.json["explanationSha256"] as? String == first.sha256)
            }
            let api = try await client.signedIn(as: "clerk", in: test)
            let wrong = try await api.send(.get, "/api/v1/handouts/verify?loan=\(loan.number)&code=0000-0000")
            #expect(wrong.status == .ok && wrong.json["matches"] as? Bool == false)
            let otherLoan = try await test.fixtures.draftLoan()
            let elsewhere = try await api.send(.get, "/api/v1/handouts/verify?loan=\(otherLoan.number)&code=\(code)")
            #expect(elsewhere.json["matches"] as? Bool == false, "a code belongs to one loan")
            let missing = try await api.send(.get, "/api/v1/handouts/verify?loan=\(loan.number)")
            #expect(missing.status == .unprocessableContent && missing.fields == ["code"])
            let garbage = try await api.send(.get, "/api/v1/handouts/verify?loan=\(loan.number)&code=zzzz-zzzz")
            #expect(garbage.status == .unprocessableContent && garbage.fields == ["code"])
            #expect(try await api.send(.get, "/api/v1/handouts/verify?loan=L-2026-999999&code=\(code)").status == .notFound)
        }
        // After the loan changes, the old paper still verifies, as superseded.
        _ = try await test.registry.loans.change(loan.id, LoanChanges(dueDate: LocalDate("2026-12-20")), by: test.fixtureActor)
        let stale = try await test.registry.loans.verifyHandout(loan: loan.number, code: code, by: test.fixtureActor)
        #expect(stale.matches && !stale.current && stale.explanationSequence == 1)
    }
}
