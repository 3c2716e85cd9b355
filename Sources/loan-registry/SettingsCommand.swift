import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// The sign-in settings, kept in the database so the server and the CLI apply the same rules.
    struct SettingsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settings", abstract: "Show or change the sign-in settings.", subcommands: [Show.self, Set.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the sign-in settings as JSON.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in try printJSON(try await registry.staff.settings(by: OperatorIdentity.actor)) }
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Change some sign-in settings; the others stay.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "Roles that must use a second factor, comma-separated (e.g. manager,admin), or 'none'.")
            var requireSecondFactor: String?
            @Option(help: "Days before a password must be changed, or 'off' (the default; see the README).")
            var passwordMaxAgeDays: String?
            @Option(help: "Absolute lifetime of a sign-in, minutes.") var tokenLifetimeMinutes: Int?
            @Option(help: "A sign-in unused this long ends, minutes.") var idleTimeoutMinutes: Int?
            @Option(help: "Failed sign-ins that lock a login.") var lockoutThreshold: Int?
            @Option(help: "Window in which failures count, minutes.") var lockoutWindowMinutes: Int?
            @Option(help: "How long a lock lasts, minutes.") var lockoutMinutes: Int?

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        var settings = try await registry.staff.settings(by: OperatorIdentity.actor)
                        if let requireSecondFactor {
                            settings.requireSecondFactor = try Self.roles(requireSecondFactor)
                        }
                        if let passwordMaxAgeDays {
                            guard passwordMaxAgeDays == "off" || Int(passwordMaxAgeDays) != nil else {
                                throw CommandFailure(message: "--password-max-age-days takes a number of days or 'off'", exitCode: 64)
                            }
                            settings.passwordMaxAgeDays = Int(passwordMaxAgeDays)
                        }
                        if let tokenLifetimeMinutes { settings.tokenLifetimeMinutes = tokenLifetimeMinutes }
                        if let idleTimeoutMinutes { settings.idleTimeoutMinutes = idleTimeoutMinutes }
                        if let lockoutThreshold { settings.lockoutThreshold = lockoutThreshold }
                        if let lockoutWindowMinutes { settings.lockoutWindowMinutes = lockoutWindowMinutes }
                        if let lockoutMinutes { settings.lockoutMinutes = lockoutMinutes }
                        let saved = try await registry.staff.updateSettings(settings, by: OperatorIdentity.actor)
                        try printJSON(saved)
                        let unenrolled = try await registry.staff.list(by: OperatorIdentity.actor)
                            .filter { $0.active && saved.requireSecondFactor.contains($0.role) && !$0.secondFactorEnrolled }
                        if !unenrolled.isEmpty {
                            FileHandle.standardError.write(Data("""
                                warning: these accounts must now use a second factor and have none, so they cannot sign in \
                                until enrolled (loan-registry user totp enroll LOGIN): \(unenrolled.map(\.login).joined(separator: ", "))

                                """.utf8))
                        }
                    }
                }
            }

            static func roles(_ text: String) throws -> Swift.Set<StaffRole> {
                if text == "none" { return [] }
                return Swift.Set(try text.split(separator: ",").map { name in
                    guard let role = StaffRole(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                        throw CommandFailure(message: "unknown role '\(name)': use staff, manager, auditor, admin", exitCode: 64)
                    }
                    return role
                })
            }
        }
    }
}
