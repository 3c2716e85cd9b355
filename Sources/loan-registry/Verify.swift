import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// Full integrity check plus a walk of the audit chain; exit 0 only if both pass.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database file and the audit log's hash chain.",
            discussion: "Exits 0 only when PRAGMA integrity_check is ok and every audit event verifies.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let registry = try database.open()
                defer { try? registry.close() }
                let result = try await registry.verify()
                print("database integrity: \(result.integrity.isEmpty ? "ok" : result.integrity.joined(separator: "; "))")
                print("foreign keys: \(result.foreignKeyViolations == 0 ? "ok" : "\(result.foreignKeyViolations) violations")")
                if let broken = result.auditChain.firstBreak {
                    print("audit chain: BROKEN at event \(broken.seq): \(broken.reason) "
                        + "(\(result.auditChain.eventsChecked) events verified before it)")
                } else {
                    print("audit chain: ok (\(result.auditChain.eventsChecked) events)")
                }
                guard result.passed else {
                    throw CommandFailure(message: "verification failed", exitCode: 1)
                }
            }
        }
    }
}
