import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// Loans: register, hand over, return, cancel, show.
    struct LoanCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loan", abstract: "Register, hand over, return and cancel loans.",
            subcommands: [Register.self, HandOver.self, Return.self, Cancel.self, Show.self])

        struct Register: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register a draft loan; prints its number.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Option(help: "Device asset tag or id.") var device: String
            @Option(help: "Patient number or id.") var patient: String
            @Option(help: "Due date YYYY-MM-DD (default: the model's loan days).") var due: String?

            func validate() throws {
                if let due, LocalDate(due) == nil { throw ValidationError("--due must be a date YYYY-MM-DD.") }
            }

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.register(
                            NewLoan(deviceId: device, patientId: patient, dueDate: due.flatMap(LocalDate.init)), by: staff.actor)
                        print("\(loan.number)\t\(loan.status.rawValue)\tdue \(loan.dueDate)")
                    }
                }
            }
        }

        struct HandOver: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "handover", abstract: "Hand the device over to the patient.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.handOver(loan, by: staff.actor)
                        print("\(loan.number)\t\(loan.status.rawValue)")
                    }
                }
            }
        }

        struct Return: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record the device's return.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "ok, damaged or faulty.") var condition: String = "ok"
            @Flag(help: "Some accessories are missing.") var accessoriesMissing = false
            @Option(help: "Notes (no patient data).") var notes: String?

            func run() async throws {
                try await reportingFailures {
                    guard let condition = LoanReturn.Condition(rawValue: condition) else {
                        throw CommandFailure(message: "--condition must be ok, damaged or faulty", exitCode: 64)
                    }
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.receiveReturn(
                            loan, LoanReturn(condition: condition, accessoriesComplete: !accessoriesMissing, notes: notes),
                            by: staff.actor)
                        let device = try await registry.ledger.device(loan.device.id)
                        print("\(loan.number)\t\(loan.status.rawValue)\tdevice \(device.assetTag) is \(device.status.rawValue)")
                    }
                }
            }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel a loan that was not handed over.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "Why (no patient data).") var reason: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.cancel(loan, reason: reason, by: staff.actor)
                        print("\(loan.number)\t\(loan.status.rawValue)")
                    }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a loan as JSON (the read is audited).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in try printJSON(try await registry.loans.loan(loan, by: staff.actor)) }
                }
            }
        }
    }
}
