import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// Lost and stolen devices (guideline ③) and the reports to the PPC.
    struct IncidentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "incident", abstract: "Lost and stolen devices: list, show, found again, reports to the PPC.",
            subcommands: [List.self, Show.self, Found.self, Report.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List incidents, open ones first, with their report deadlines.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Flag(help: "Only open incidents.") var open = false

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        for incident in try await registry.incidents.list(openOnly: open, by: try await staff.actor(in: registry)) {
                            print(Self.line(incident))
                        }
                    }
                }
            }

            static func line(_ incident: Incident) -> String {
                func report(_ name: String, _ report: Incident.Report) -> String {
                    if let submitted = report.submittedOn { return "\(name) submitted \(submitted)" }
                    guard report.required else { return "\(name) not required" }
                    return "\(name) due \(report.dueOn)\(report.overdue ? " OVERDUE" : "")"
                }
                return [incident.number, incident.open ? "open" : "closed", incident.kind.rawValue, incident.assetTag,
                        incident.loanNumber, "discovered \(incident.discoveredOn)",
                        report("preliminary", incident.preliminaryReport), report("final", incident.finalReport),
                        incident.foundAt == nil ? "not found" : "found"].joined(separator: "\t")
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one incident as JSON.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Incident number (I-YYYY-NNNN) or id.") var incident: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        try printJSON(try await registry.incidents.incident(incident, by: try await staff.actor(in: registry)))
                    }
                }
            }
        }

        struct Found: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The lost device is back: it waits for a wipe if it holds patient data.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Incident number or id.") var incident: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let actor = try await staff.actor(in: registry)
                        let incident = try await registry.incidents.deviceFound(incident, by: actor)
                        let device = try await registry.ledger.device(incident.deviceId, by: actor)
                        print("\(incident.number)\tdevice \(device.assetTag) is \(device.status.rawValue)")
                    }
                }
            }
        }

        struct Report: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that the preliminary (速報) or final (確報) report was submitted to the PPC (manager).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Incident number or id.") var incident: String
            @Option(help: "preliminary or final.") var stage: String
            @Option(help: "The day it was submitted, YYYY-MM-DD.") var submittedOn: String
            @Option(help: "The PPC's receipt number or your file reference.") var reference: String?

            func run() async throws {
                try await reportingFailures {
                    let stage: IncidentReportSubmission.Stage = try ArgumentValue.parse(stage, "--stage")
                    guard let date = try ArgumentValue.date(submittedOn, "--submitted-on") else { return }
                    try await database.withRegistry { registry in
                        let incident = try await registry.incidents.recordReport(
                            incident, IncidentReportSubmission(stage: stage, submittedOn: date, reference: reference),
                            by: try await staff.actor(in: registry))
                        print(List.line(incident))
                    }
                }
            }
        }
    }
}
