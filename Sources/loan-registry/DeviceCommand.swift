import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// The device ledger.
    struct DeviceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "device", abstract: "Look at the device ledger; record wipes.",
            subcommands: [List.self, Show.self, History.self, Wipe.self, Repair.self, Retire.self, Dispose.self])

        struct Repair: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Send a device to a vendor for repair, or receive it back.", subcommands: [Send.self, Receive.self])

            struct Send: AsyncParsableCommand {
                static let configuration = CommandConfiguration(abstract: "Send a device to a vendor for repair.")
                @OptionGroup var database: DatabaseOptions
                @OptionGroup var staff: StaffOptions
                @Argument(help: "Asset tag or id.") var device: String
                @Option(help: "The repair vendor.") var vendor: String
                @Option(help: "The vendor's repair reference.") var reference: String
                @Option(help: "wiped_before, vendor_certificate or not_data_bearing.") var dataHandling: String
                @Option(help: "Notes (no patient data).") var notes: String?

                func run() async throws {
                    try await reportingFailures {
                        let handling: NewRepair.DataHandling = try ArgumentValue.parse(dataHandling, "--data-handling")
                        try await database.withRegistry { registry in
                            let device = try await registry.ledger.sendToRepair(
                                device, NewRepair(vendor: vendor, reference: reference, dataHandling: handling, notes: notes),
                                by: try await staff.actor(in: registry))
                            print("\(device.assetTag)\t\(device.status.rawValue)\t\(device.whereabouts)")
                        }
                    }
                }
            }

            struct Receive: AsyncParsableCommand {
                static let configuration = CommandConfiguration(abstract: "Receive a device back from repair.")
                @OptionGroup var database: DatabaseOptions
                @OptionGroup var staff: StaffOptions
                @Argument(help: "Asset tag or id.") var device: String
                @Option(help: "Notes (no patient data).") var notes: String?

                func run() async throws {
                    try await reportingFailures {
                        try await database.withRegistry { registry in
                            let device = try await registry.ledger.receiveFromRepair(device, notes: notes, by: try await staff.actor(in: registry))
                            print("\(device.assetTag)\t\(device.status.rawValue)\t\(device.whereabouts)")
                        }
                    }
                }
            }
        }

        struct Retire: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Take a device out of service (manager; guideline ⑨).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Asset tag or id.") var device: String
            @Option(help: "Why.") var reason: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let device = try await registry.ledger.retire(device, reason: reason, by: try await staff.actor(in: registry))
                        print("\(device.assetTag)\t\(device.status.rawValue)")
                    }
                }
            }
        }

        struct Dispose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record the disposal of a retired device (manager; guideline ⑪).",
                discussion: "A device that held patient data needs a wipe after its last loan or the vendor's certificate.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Asset tag or id.") var device: String
            @Option(help: "vendor_destruction, physical_destruction or returned_to_lessor.") var method: String
            @Option(help: "Who did it.") var performedBy: String
            @Option(help: "The disposal vendor or lessor.") var vendor: String?
            @Option(help: "The vendor's certificate number.") var certificateNumber: String?
            @Option(help: "Where the certificate is kept.") var certificateReference: String?
            @Flag(help: "Confirm that no readable medical data remains (required).") var noReadableDataConfirmed = false

            func run() async throws {
                try await reportingFailures {
                    let method: NewDisposal.Method = try ArgumentValue.parse(method, "--method")
                    try await database.withRegistry { registry in
                        let disposal = try await registry.ledger.dispose(
                            device, NewDisposal(method: method, performedBy: performedBy, vendor: vendor,
                                                certificateNumber: certificateNumber, certificateReference: certificateReference,
                                                noReadableDataConfirmed: noReadableDataConfirmed),
                            by: try await staff.actor(in: registry))
                        print("\(disposal.assetTag)\tdisposed\t\(disposal.method.rawValue)\tevidence \(disposal.evidence.rawValue)")
                    }
                }
            }
        }

        struct Wipe: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record the wipe of a device that came back holding patient data (guideline ⑩).",
                discussion: "The only way from awaiting_wipe back to available. Two different staff members: one wipes, one verifies.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Asset tag or id.") var device: String
            @Option(help: "The model's wipe method: documented_erase, factory_reset, mdm_wipe, vendor_return or physical_destruction.")
            var method: String
            @Option(help: "Login of the staff member who wiped it.") var performedBy: String
            @Option(help: "Login of a different staff member who verified no readable data remains.") var verifiedBy: String
            @Option(help: "Where the measurements were exported before the wipe (if they were).") var exportReference: String?
            @Option(help: "Notes (no patient data).") var notes: String?

            func run() async throws {
                try await reportingFailures {
                    let method: SecurityProfile.WipeMethod = try ArgumentValue.parse(method, "--method")
                    try await database.withRegistry { registry in
                        let device = try await registry.ledger.recordWipe(
                            device, NewSanitization(method: method, performedBy: performedBy, verifiedBy: verifiedBy,
                                                    dataExportedFirst: exportReference != nil, exportReference: exportReference,
                                                    notes: notes),
                            by: try await staff.actor(in: registry))
                        print("\(device.assetTag)\t\(device.status.rawValue)\t\(device.dataDeletion?.summary ?? "")\t\(device.whereabouts)")
                    }
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List devices, optionally by status.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Option(help: "available, on_loan, awaiting_wipe, in_repair, lost, retired or disposed.") var status: String?

            func run() async throws {
                try await reportingFailures {
                    let filter = try status.map { value in
                        guard let status = DeviceStatus(rawValue: value) else {
                            throw CommandFailure(message: "unknown status \(value)", exitCode: 64)
                        }
                        return status
                    }
                    try await database.withRegistry { registry in
                        var cursor: String?
                        repeat {
                            let page = try await registry.ledger.devices(status: filter, try PageRequest(limit: 500, cursor: cursor),
                                                                              by: try await staff.actor(in: registry))
                            for device in page.items {
                                print("\(device.assetTag)\t\(device.status.rawValue)\t\(device.model.manufacturer) \(device.model.name)\t\(device.whereabouts)")
                            }
                            cursor = page.nextCursor
                        } while cursor != nil
                    }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one device as JSON.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Asset tag or id.") var device: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in try printJSON(try await registry.ledger.device(device, by: try await staff.actor(in: registry))) }
                }
            }
        }

        struct History: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every status change of a device, oldest first.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Asset tag or id.") var device: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        for entry in try await registry.ledger.history(of: device, by: try await staff.actor(in: registry)) {
                            let time = entry.occurredAt.formatted(Date.ISO8601FormatStyle(timeZone: LocalDate.timeZone))
                            print("\(time)\t\(entry.event)\t\(entry.fromStatus?.rawValue ?? "-") -> \(entry.toStatus.rawValue)\t\(entry.actor)\t\(entry.note)")
                        }
                    }
                }
            }
        }
    }
}
