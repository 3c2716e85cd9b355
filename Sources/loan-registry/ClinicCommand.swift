import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand {
    /// The clinic profile printed on explanations and contact sheets.
    struct ClinicCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clinic", abstract: "Show or set the clinic profile printed on explanations and contact sheets.",
            subcommands: [Show.self, Set.self, CalendarShow.self, HoursSet.self, ClosedDay.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the clinic profile as JSON.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        guard let profile = try await registry.clinic.profile(by: try await staff.actor(in: registry)) else { throw RegistryError.clinicProfileMissing }
                        try printJSON(profile)
                    }
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set the clinic profile.",
                discussion: """
                    Every Japanese field is required: the profile is replaced as a whole. The English fields (--*-en) \
                    are kept as they are unless given; give one as "" to clear it.
                    """)
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Option(help: "Clinic name.") var name: String
            @Option(help: "Department lending the devices.") var department: String
            @Option(help: "Daytime phone number.") var phone: String
            @Option(help: "When the daytime number answers.") var hours: String
            @Option(help: "Number for nights and holidays.") var afterHoursPhone: String
            @Option(help: "Who answers it: clinic, maker or supplier.") var afterHoursReaches: String
            @Option(help: "Privacy desk (where patients ask about their data or withdraw consent).") var privacyDesk: String
            @Option(help: "Clinic name in English (English handouts; left out: printed in Japanese).") var nameEn: String?
            @Option(help: "Department in English.") var departmentEn: String?
            @Option(help: "Daytime hours in English.") var hoursEn: String?
            @Option(help: "A note printed after the after-hours number on English handouts.") var afterHoursNoteEn: String?
            @Option(help: "Privacy desk in English.") var privacyDeskEn: String?
            @Option(help: "Days overdue before a loan is listed to decide: presumed lost (default: kept, else 30).")
            var presumedLostAfterDays: Int?

            func run() async throws {
                try await reportingFailures {
                    let reaches: ClinicProfile.AfterHoursReaches = try ArgumentValue.parse(afterHoursReaches, "--after-hours-reaches")
                    try await database.withRegistry { registry in
                        let actor = try await staff.actor(in: registry)
                        // English fields not given keep their stored values; "" clears one.
                        let current = try await registry.clinic.profile(by: actor)
                        let stored = current?.english ?? ClinicProfile.English()
                        func pick(_ given: String?, _ kept: String?) -> String? {
                            guard let given else { return kept }
                            return given.isEmpty ? nil : given
                        }
                        let english = ClinicProfile.English(
                            name: pick(nameEn, stored.name), department: pick(departmentEn, stored.department),
                            hours: pick(hoursEn, stored.hours), afterHoursNote: pick(afterHoursNoteEn, stored.afterHoursNote),
                            privacyDesk: pick(privacyDeskEn, stored.privacyDesk))
                        var profile = ClinicProfile(name: name, department: department, phone: phone, hours: hours,
                                                    afterHoursPhone: afterHoursPhone, afterHoursReaches: reaches, privacyDesk: privacyDesk,
                                                    english: english == ClinicProfile.English() ? nil : english)
                        profile.presumedLostAfterDays = presumedLostAfterDays ?? current?.presumedLostAfterDays
                        try printJSON(try await registry.clinic.update(profile, by: actor))
                    }
                }
            }
        }
    }
}
