import ArgumentParser
import LoanRegistry

extension LoanRegistryCommand.ClinicCommand {
    /// `clinic calendar`: the working hours access review uses.
    struct CalendarShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calendar", abstract: "Show the clinic's weekly hours and closed days (access review's working time).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var staff: StaffOptions

        func run() async throws {
            try await reportingFailures {
                try await database.withRegistry { registry in
                    try printJSON(try await registry.clinic.calendar(by: try await staff.actor(in: registry)))
                }
            }
        }
    }

    /// `clinic hours`: set one or more weekdays' hours.
    struct HoursSet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hours", abstract: "Set the opening hours of weekdays (manager).",
            discussion: "Example: loan-registry clinic hours --day sat --opens 08:00 --closes 13:00; --closed closes the day.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var staff: StaffOptions
        @Option(name: .customLong("day"), help: "sun, mon, tue, wed, thu, fri or sat (repeatable).") var days: [String]
        @Option(help: "Opening time HH:MM (Japan).") var opens: String?
        @Option(help: "Closing time HH:MM (Japan).") var closes: String?
        @Flag(help: "The clinic is closed on these days.") var closed = false

        static let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

        func validate() throws {
            guard !days.isEmpty, days.allSatisfy({ Self.names.contains($0) }) else {
                throw ValidationError("--day must be one of sun, mon, tue, wed, thu, fri, sat.")
            }
            guard closed == (opens == nil && closes == nil), closed || (opens != nil && closes != nil) else {
                throw ValidationError("Give --opens and --closes, or --closed.")
            }
        }

        func run() async throws {
            try await reportingFailures {
                try await database.withRegistry { registry in
                    let hours = opens.flatMap { opens in closes.map { ClinicCalendar.Hours(opens: opens, closes: $0) } }
                    let changes = Dictionary(uniqueKeysWithValues: days.compactMap { day in
                        Self.names.firstIndex(of: day).map { ($0, hours) }
                    })
                    try printJSON(try await registry.clinic.setHours(changes, by: try await staff.actor(in: registry)))
                }
            }
        }
    }

    /// `clinic closed-day add|remove`: the clinic's own closed days.
    struct ClosedDay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "closed-day", abstract: "Add or remove a day the clinic is closed (besides Sundays and public holidays).",
            subcommands: [Add.self, Remove.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a closed day (manager).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "The day, YYYY-MM-DD.") var day: String
            @Option(help: "Why, e.g. 年末年始.") var note = ""

            func validate() throws {
                guard LocalDate(day) != nil else { throw ValidationError("The day must be a date YYYY-MM-DD.") }
            }

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        guard let date = LocalDate(day) else { return }
                        try printJSON(try await registry.clinic.addClosedDay(date, note: note, by: try await staff.actor(in: registry)))
                    }
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a closed day (manager).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "The day, YYYY-MM-DD.") var day: String

            func validate() throws {
                guard LocalDate(day) != nil else { throw ValidationError("The day must be a date YYYY-MM-DD.") }
            }

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        guard let date = LocalDate(day) else { return }
                        try printJSON(try await registry.clinic.removeClosedDay(date, by: try await staff.actor(in: registry)))
                    }
                }
            }
        }
    }
}
