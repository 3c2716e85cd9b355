import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

/// The devices a new loan can take: available and not held by a loan still being prepared.
@Suite struct LendableDevicesTests {
    @Test func aDeviceHeldByADraftLoanIsNotOfferedUntilTheLoanIsCancelled() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.draftLoan()
        let device = try await test.registry.ledger.device(loan.device.id, by: actor)
        #expect(device.status == .available, "a draft loan does not move the device")
        #expect(!(try await test.registry.ledger.lendableDevices(by: actor)).map(\.id).contains(device.id))
        _ = try await test.registry.loans.cancel(loan.id, reason: "wrong patient", by: actor)
        #expect((try await test.registry.ledger.lendableDevices(by: actor)).map(\.id).contains(device.id))
    }
}
