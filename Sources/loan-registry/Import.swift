import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// Bulk imports.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import records from CSV (all or nothing).", subcommands: [Devices.self])

        /// `import devices FILE.csv`.
        struct Devices: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Register devices from a CSV file: asset_tag, serial_number, model [, whereabouts, firmware_version].",
                discussion: "`model` is a model id or name. Every bad row is reported by line and field; nothing is written unless all rows are good.")

            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "The CSV file (UTF-8 or Shift_JIS, as Excel saves it; header row first).") var file: String
            @Flag(help: "Check the file without registering anything.") var dryRun = false

            func run() async throws {
                try await reportingFailures {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw CommandFailure(message: "cannot read \(file)", exitCode: 66)
                    }
                    try await database.withRegistry { registry in
                        let result = try await registry.ledger.importer.run(file: data, dryRun: dryRun, by: try await staff.actor(in: registry))
                        print((dryRun ? "dry run: \(result.devices) devices would be registered"
                                      : "registered \(result.devices) devices") + " (read as \(result.encoding.rawValue))")
                    }
                }
            }
        }
    }
}
