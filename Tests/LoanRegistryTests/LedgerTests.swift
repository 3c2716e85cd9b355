import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct LedgerTests {
    @Test func modelKeepsItsWholeSecurityProfile() async throws {
        let test = try await TestRegistry()
        let profile = SecurityProfile(
            storesPatientData: true, encryptedAtRest: true, bluetooth: true, pairsWithPatientPhone: true, nfc: true,
            cloudUpload: .init(operator: "Maker Cloud", region: "JP"), encryptedInTransit: false, removableMedia: true,
            gps: true, companionAppAccount: true, sharingFeature: true, wipeMethod: .factoryReset,
            supportEndDate: LocalDate("2030-03-31"))
        let model = try await test.fixtures.model(category: .cgmReader, profile: profile, loanDays: 14)
        let read = try await test.registry.ledger.model(model.id, by: test.fixtureActor)
        #expect(read.securityProfile == profile)
        #expect(read.category == .cgmReader)
        #expect(read.defaultLoanDays == 14)
    }

    @Test func duplicateModelAssetTagAndSerialAreRefused() async throws {
        let test = try await TestRegistry()
        let fixtures = test.fixtures
        let model = try await fixtures.model(name: "Same")
        await #expect(throws: RegistryError.duplicate(field: "model")) { try await fixtures.model(name: "Same") }
        _ = try await test.registry.ledger.registerDevice(NewDevice(modelId: model.id, assetTag: "HOL-1", serialNumber: "S1"), by: fixtures.actor)
        await #expect(throws: RegistryError.duplicate(field: "assetTag")) {
            try await test.registry.ledger.registerDevice(NewDevice(modelId: model.id, assetTag: "HOL-1", serialNumber: "S2"), by: fixtures.actor)
        }
        await #expect(throws: RegistryError.duplicate(field: "serialNumber")) {
            try await test.registry.ledger.registerDevice(NewDevice(modelId: model.id, assetTag: "HOL-2", serialNumber: "S1"), by: fixtures.actor)
        }
        // The same serial under another model is a different device.
        let other = try await fixtures.model(name: "Other")
        let device = try await test.registry.ledger.registerDevice(NewDevice(modelId: other.id, assetTag: "HOL-3", serialNumber: "S1"), by: fixtures.actor)
        #expect(device.status == .available)
        #expect(try await fixtures.count("devices") == 2)
    }

    @Test func unknownModelIsNotFound() async throws {
        let test = try await TestRegistry()
        await #expect(throws: RegistryError.notFound(entity: "device model", id: "nope")) {
            try await test.registry.ledger.registerDevice(NewDevice(modelId: "nope", assetTag: "X-1", serialNumber: "S"), by: .system)
        }
    }

    @Test func invalidModelInputNamesEveryField() async throws {
        let test = try await TestRegistry()
        let input = NewDeviceModel(
            manufacturer: "", name: String(repeating: "長", count: 10_000), category: .other,
            securityProfile: SecurityProfile(storesPatientData: false, encryptedAtRest: true),
            support: .init(phone: "", hours: "9-17", twentyFourHours: false), defaultLoanDays: -3)
        await #expect {
            try await test.registry.ledger.registerModel(input, by: .system)
        } throws: { error in
            guard case RegistryError.validationFailed(let errors) = error else { return false }
            return Set(errors.map(\.field)) == ["manufacturer", "name", "support.phone", "defaultLoanDays", "securityProfile.encryptedAtRest"]
        }
        #expect(try await test.fixtures.count("device_models") == 0)
    }

    @Test func deviceHistoryRecordsEveryStatusChangeWithWhoAndWhen() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        let device = try await test.fixtures.device()
        let loan = try await test.fixtures.activeLoan(device: device)
        let suzuki = try await test.account("suzuki", role: .staff)
        clock.advance(by: 3600)
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: suzuki)
        let history = try await test.registry.ledger.history(of: device.assetTag, by: test.fixtureActor)
        #expect(history.map(\.event) == ["registered", "loan_handed_over", "loan_returned"])
        #expect(history.map(\.toStatus) == [.available, .onLoan, .awaitingWipe])
        #expect(history.last?.actor == "staff:suzuki")
        #expect(history.last?.occurredAt == Fixtures.noonInTokyo.addingTimeInterval(3600))
        #expect(history.last?.loanId == loan.id)
    }

    @Test func historyCannotBeRewritten() async throws {
        let test = try await TestRegistry()
        _ = try await test.fixtures.device()
        await #expect(throws: DatabaseError.self) {
            try await test.registry.writer.write { db in try db.execute(sql: "UPDATE device_events SET actor = 'x'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await test.registry.writer.write { db in try db.execute(sql: "DELETE FROM device_events") }
        }
    }

    @Test func devicesPageWithCursorAndFilterByStatus() async throws {
        let test = try await TestRegistry()
        let model = try await test.fixtures.model()
        for i in 1...5 { _ = try await test.fixtures.device(model: model, assetTag: "PG-\(i)") }
        _ = try await test.fixtures.activeLoan(device: try await test.registry.ledger.device("PG-3", by: test.fixtureActor))
        let first = try await test.registry.ledger.devices(try PageRequest(limit: 2, cursor: nil), by: test.fixtureActor)
        let second = try await test.registry.ledger.devices(try PageRequest(limit: 2, cursor: first.nextCursor), by: test.fixtureActor)
        let third = try await test.registry.ledger.devices(try PageRequest(limit: 2, cursor: second.nextCursor), by: test.fixtureActor)
        #expect((first.items + second.items + third.items).map(\.assetTag) == ["PG-1", "PG-2", "PG-3", "PG-4", "PG-5"])
        #expect(third.nextCursor == nil)
        let onLoan = try await test.registry.ledger.devices(status: .onLoan, by: test.fixtureActor)
        #expect(onLoan.items.map(\.assetTag) == ["PG-3"])
        #expect(throws: RegistryError.self) { try PageRequest(limit: 0, cursor: nil) }
        await #expect(throws: RegistryError.self) {
            try await test.registry.ledger.devices(try PageRequest(limit: 2, cursor: "%%%"), by: test.fixtureActor)
        }
    }
}
