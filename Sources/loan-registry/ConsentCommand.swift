import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// Consents: show one, record a withdrawal, list devices to recover.
    struct ConsentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consent", abstract: "Show consents, record withdrawals, list devices to recover.",
            subcommands: [Show.self, Withdraw.self, Recovery.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a consent as JSON (the read is audited).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Consent id.") var consent: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        try printJSON(try await registry.consents.consent(consent, by: try await staff.actor(in: registry)))
                    }
                }
            }
        }

        struct Withdraw: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that a patient withdrew a granted consent.",
                discussion: "If the device is still with the patient, the loan is marked for device recovery.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Consent id.") var consent: String
            @Option(help: "Why (no patient data beyond what is needed).") var reason: String
            @Option(help: "in_person, phone, letter, email or other.") var channel: String
            @Option(help: "What was done: uploads stopped, device requested back …") var actions: String

            func run() async throws {
                try await reportingFailures {
                    let channel: ConsentWithdrawal.Channel = try ArgumentValue.parse(channel, "--channel")
                    try await database.withRegistry { registry in
                        let withdrawn = try await registry.consents.withdraw(
                            consent, NewConsentWithdrawal(reason: reason, channel: channel, actionsTaken: actions), by: try await staff.actor(in: registry))
                        let recovery = withdrawn.withdrawal?.recoveryRequired == true ? "\tdevice recovery requested" : ""
                        print("\(withdrawn.id)\twithdrawn\(recovery)")
                    }
                }
            }
        }

        struct Recovery: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List active loans whose consent was withdrawn: devices to recover (reads are audited).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        var cursor: String?
                        var count = 0
                        repeat {
                            let page = try await registry.loans.awaitingRecovery(try PageRequest(limit: 500, cursor: cursor),
                                                                                 by: try await staff.actor(in: registry))
                            for loan in page.items {
                                print([loan.number, loan.device.assetTag, loan.patient.patientNumber, loan.patient.name,
                                       loan.patient.phone, loan.recoveryRequestedAt.map { LocalDate($0).description } ?? ""]
                                    .joined(separator: "\t"))
                            }
                            count += page.items.count
                            cursor = page.nextCursor
                        } while cursor != nil
                        print(count == 0 ? "no devices to recover" : "\(count) to recover")
                    }
                }
            }
        }
    }
}
