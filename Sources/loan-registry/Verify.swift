import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// The database, the audit chain, the triggers, the signed checkpoints and (deep) every covered
    /// row; exit 0 only if all pass.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database file, the audit chain, its triggers and its signed checkpoints.",
            discussion: """
                Exits 0 only when PRAGMA integrity_check is ok, every audit event verifies, the triggers are \
                the released ones, and every checkpoint in the checkpoint log is signed by a trusted key and \
                names an event the chain still holds. With --deep, also compares every patient, device, loan, \
                consent, wipe, disposal, incident and staff account row with the digest its latest audit event \
                recorded, and names each row changed outside the registry. Exits 1 when anything fails.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var audit: AuditOptions
        @Flag(help: "Also compare every covered row with the digest its latest audit event recorded.")
        var deep = false
        @Option(name: .customLong("trusted-key"),
                help: "A checkpoint public key (hex) you kept off this machine; repeatable. Checkpoints signed by any other key fail.")
        var trustedKeys: [String] = []
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let registry = try database.openExisting()  // never "passed" for a database it just created
                defer { try? registry.close() }
                let store = audit.store(forDatabase: database.path)
                let result: RegistryVerification
                do {
                    result = try await registry.verify(deep: deep, checkpoints: store, trustedKeys: trustedKeys)
                } catch let error as CheckpointStoreError {
                    throw CommandFailure(message: error.description, exitCode: 3)
                }
                if json {
                    try printJSON(result)
                } else {
                    print(result.report(checkpointLog: store.logFile.path))
                }
                guard result.passed else {
                    throw CommandFailure(message: "verification failed", exitCode: 1)
                }
            }
        }
    }
}

extension RegistryVerification {
    /// One line per check, naming the first failure of each.
    func report(checkpointLog: String) -> String {
        var lines: [String] = []
        lines.append("database integrity: \(integrity.isEmpty ? "ok" : integrity.joined(separator: "; "))")
        lines.append("foreign keys: \(foreignKeyViolations == 0 ? "ok" : "\(foreignKeyViolations) violations")")
        if let broken = auditChain.firstBreak {
            lines.append("audit chain: BROKEN at event \(broken.seq): \(broken.reason) "
                + "(\(auditChain.eventsChecked) events verified before it)")
        } else {
            lines.append("audit chain: ok (\(auditChain.eventsChecked) events)")
        }
        if triggers.isIntact {
            lines.append("triggers: ok (\(triggers.expected) as released, sha256 \(triggers.actualHash.prefix(16))…)")
        } else {
            lines.append("triggers: CHANGED — "
                + triggers.findings.map { "\($0.name) \($0.problem)" }.joined(separator: ", ")
                + " (released sha256 \(triggers.releasedHash.prefix(16))…, now \(triggers.actualHash.prefix(16))…)")
        }
        if let checkpoints {
            if checkpoints.isIntact {
                if let latest = checkpoints.latest {
                    lines.append("checkpoints: ok (\(checkpoints.checkpointsChecked) in \(checkpointLog); latest \(latest.number) "
                        + "at event \(latest.seq), \(latest.at), key \(AuditCheckpoint.fingerprint(of: latest.publicKey)))")
                } else {
                    lines.append("checkpoints: none yet (\(checkpointLog))")
                }
            } else {
                lines.append("checkpoints: FAILED")
                lines.append(contentsOf: checkpoints.problems.map { "  - \($0)" })
            }
        }
        if let rows {
            if let problem = rows.baselineProblem { lines.append("rows: \(problem)") }
            if rows.isIntact {
                lines.append("rows: ok (\(rows.rowsChecked) rows match their latest audit event)")
            } else if rows.findingCount > 0 {
                lines.append("rows: \(rows.findingCount) of \(rows.rowsChecked) do not match the audit chain")
                for finding in rows.findings.prefix(50) {
                    let problem = switch finding.problem {
                    case .changedOutsideRegistry: "changed outside the registry since event \(finding.lastEventSeq ?? 0)"
                    case .notRecorded: "not recorded by any audit event (inserted outside the registry)"
                    case .deletedOutsideRegistry: "deleted outside the registry (last recorded at event \(finding.lastEventSeq ?? 0))"
                    }
                    lines.append("  - \(finding.table) \(finding.id): \(problem)")
                }
                if rows.findingCount > 50 { lines.append("  … and \(rows.findingCount - 50) more (use --json)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}
