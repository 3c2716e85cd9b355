import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// Patients.
    struct PatientCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "patient", abstract: "Register patients.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register a patient; prints the new id.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Option(help: "The clinic's patient number.") var number: String
            @Option(help: "Full name.") var name: String
            @Option(help: "Name in katakana.") var kana: String?
            @Option(help: "Phone number.") var phone: String?
            @Option(help: "ja, ja-easy (やさしい日本語) or en.") var language: String = "ja"

            func run() async throws {
                try await reportingFailures {
                    guard let language = Patient.Language(rawValue: language) else {
                        throw CommandFailure(message: "--language must be ja, ja-easy or en", exitCode: 64)
                    }
                    try await database.withRegistry { registry in
                        let patient = try await registry.patients.register(
                            NewPatient(patientNumber: number, name: name, nameKana: kana, phone: phone, language: language),
                            by: try await staff.actor(in: registry))
                        print(patient.id)
                    }
                }
            }
        }
    }
}
