import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// Creates the database if needed and applies pending `Schema/` migrations.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database and apply pending schema migrations.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let registry = try database.open()
                defer { try? registry.close() }
                let applied = try await registry.read { db in try Migrator.applied(db) }
                print("schema is at version \(applied.last?.version ?? 0) (\(applied.count) migrations applied)")
            }
        }
    }
}
