import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// Every scope question the model raises is answered, and a "no" the device cannot work with
/// blocks the hand-over.
@Suite struct ConsentScopeTests {
    static let cloudAndSharing = SecurityProfile(storesPatientData: true, bluetooth: true,
                                                 cloudUpload: .init(operator: "Maker Cloud", region: "US"),
                                                 encryptedInTransit: true, sharingFeature: true)

    @Test func aQuestionTheModelRaisesMustBeAnsweredAndOneItDoesNotMustNotBe() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let model = try await test.fixtures.model(category: .patchECG, profile: Self.cloudAndSharing)
        let loan = try await test.fixtures.draftLoan(device: try await test.fixtures.device(model: model))
        let unanswered = await #expect(throws: RegistryError.self) {
            try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: loan), by: test.fixtureActor)
        }
        guard case .validationFailed(let errors)? = unanswered else { Issue.record("\(String(describing: unanswered))"); return }
        #expect(errors.map(\.field) == ["scope.makerCloud", "scope.sharing"])
        #expect(try await test.fixtures.count("consents") == 0)

        let plain = try await test.fixtures.draftLoan()  // the fixture model: no cloud, no sharing
        let asked = await #expect(throws: RegistryError.self) {
            try await test.registry.consents.record(
                loan: plain.id, test.fixtures.consent(to: plain, scope: .init(makerCloud: true)), by: test.fixtureActor)
        }
        guard case .validationFailed(let wrong)? = asked else { Issue.record("\(String(describing: asked))"); return }
        #expect(wrong.map(\.field) == ["scope.makerCloud"])
        // A refusal answers nothing.
        _ = try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: loan, decision: .refused),
                                                    by: test.fixtureActor)
    }

    @Test func noToTheMakersCloudIsRecordedAndBlocksTheHandOverWithWhatToDo() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let model = try await test.fixtures.model(category: .patchECG, profile: Self.cloudAndSharing)
        let loan = try await test.fixtures.draftLoan(device: try await test.fixtures.device(model: model))
        let consent = try await test.registry.consents.record(
            loan: loan.id, test.fixtures.consent(to: loan, scope: .init(makerCloud: false, sharing: false)), by: test.fixtureActor)
        #expect(consent.scope.makerCloud == false && consent.scope.sharing == false && consent.scope.research == false)
        _ = try await test.registry.loans.recordContactSheet(loan.id, ContactSheetGiven(), by: test.fixtureActor)
        let current = try await test.registry.loans.loan(loan.id, by: test.fixtureActor)
        #expect(current.handoverRequirements == [.scope])
        await #expect(throws: RegistryError.handoverBlocked(number: loan.number, missing: [.scope])) {
            try await test.registry.loans.handOver(loan.id, by: test.fixtureActor)
        }
        #expect(RegistryError.handoverBlocked(number: loan.number, missing: [.scope]).code == "scope_refused")
        #expect(HandoverRequirement.scope.message.contains("lend a model"))
        // The database refuses it too, for a writer that bypasses the library.
        let refused = #expect(throws: DatabaseError.self) {
            try test.independentConnection().write { db in
                try db.execute(sql: "UPDATE loans SET status = 'active' WHERE id = ?", arguments: [loan.id])
            }
        }
        #expect(refused?.message?.contains("refuses the maker's cloud") == true, "\(String(describing: refused))")
        #expect(try await test.registry.loans.loan(loan.id, by: test.fixtureActor).status != .active)

        // No to sharing alone does not block: the device works without it.
        let other = try await test.fixtures.draftLoan(device: try await test.fixtures.device(model: model))
        _ = try await test.registry.consents.record(
            loan: other.id, test.fixtures.consent(to: other, scope: .init(makerCloud: true, sharing: false)), by: test.fixtureActor)
        _ = try await test.registry.loans.recordContactSheet(other.id, ContactSheetGiven(), by: test.fixtureActor)
        #expect(try await test.registry.loans.handOver(other.id, by: test.fixtureActor).status == .active)
    }
}
