import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct DemoClinicTests {
    @Test func demoAddsOneModelPerCategoryOnlyToAnEmptyDatabase() async throws {
        let test = try await TestRegistry()
        #expect(try await DemoClinic.seed(test.registry))
        let models = try await test.registry.ledger.models(try PageRequest(limit: 100, cursor: nil), by: test.fixtureActor).items
        #expect(Set(models.map(\.category)) == Set(DeviceCategory.allCases).subtracting([.other]))
        #expect(models.count == 10)
        #expect(try await test.fixtures.count("devices") == 20)
        #expect(try await DemoClinic.seed(test.registry) == false)
        #expect(try await test.fixtures.count("device_models") == 10)
        #expect(try await test.registry.verify().passed)
    }

    @Test func aProductionDatabaseStartsEmpty() async throws {
        let test = try await TestRegistry()
        #expect(try await test.fixtures.count("device_models") == 0)
        #expect(try await test.fixtures.count("patients") == 0)
    }
}
