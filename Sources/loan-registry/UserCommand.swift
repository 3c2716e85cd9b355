public import ArgumentParser
import Foundation
import Handouts
public import LoanRegistry

extension StaffRole: ExpressibleByArgument {}

extension LoanRegistryCommand {
    /// Staff accounts, run by the operator at the machine (`cli:<os user>` in the audit log).
    struct UserCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Manage staff accounts (passwords are read from standard input or a hidden prompt).",
            subcommands: [Add.self, List.self, Show.self, Disable.self, Enable.self, Role.self, ResetPassword.self,
                          Password.self, Unlock.self, TOTPCommand.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add an account with an initial password, which its owner must change before doing anything.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "2-32 of a-z 0-9 . _ -") var login: String
            @Option(help: "The person's name.") var name: String
            @Option(help: "staff, manager, auditor or admin.") var role: StaffRole

            func run() async throws {
                try await reportingFailures {
                    let password = try PasswordInput.read("Initial password for \(login): ", confirm: true)
                    try await database.withRegistry { registry in
                        let account = try await registry.staff.add(
                            NewStaffAccount(login: login, displayName: name, role: role), initialPassword: password,
                            by: OperatorIdentity.actor)
                        print("added \(account.login) (\(account.role.rawValue)); the password is initial: they must change it first")
                    }
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List every account.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        for account in try await registry.staff.list(by: OperatorIdentity.actor) {
                            print(UserCommand.line(account, now: registry.clock.now()))
                        }
                    }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one account as JSON.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        try printJSON(try await registry.staff.account(login, by: OperatorIdentity.actor))
                    }
                }
            }
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable an account; its sign-ins end at once (a running server stops accepting them within a second).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    try await UserCommand.change(database) { registry in try await registry.staff.setActive(login, false, by: OperatorIdentity.actor) }
                }
            }
        }

        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    try await UserCommand.change(database) { registry in try await registry.staff.setActive(login, true, by: OperatorIdentity.actor) }
                }
            }
        }

        struct Role: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Give an account another role.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String
            @Argument(help: "staff, manager, auditor or admin.") var role: StaffRole

            func run() async throws {
                try await reportingFailures {
                    try await UserCommand.change(database) { registry in try await registry.staff.setRole(login, role, by: OperatorIdentity.actor) }
                }
            }
        }

        struct ResetPassword: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "reset-password",
                abstract: "Set a new initial password (forgotten password); the owner must change it first.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    let password = try PasswordInput.read("New initial password for \(login): ", confirm: true)
                    try await database.withRegistry { registry in
                        let account = try await registry.staff.resetPassword(login, initialPassword: password,
                                                                             by: OperatorIdentity.actor)
                        print("reset \(account.login): the password is initial; their sign-ins have ended")
                    }
                }
            }
        }

        struct Password: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Change your own password (current, then new twice at a terminal; or three lines on standard input).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "Your login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    let current = try PasswordInput.read("Current password: ")
                    let new = try PasswordInput.read("New password: ", confirm: true)
                    if isatty(STDIN_FILENO) != 1 {
                        guard try PasswordInput.read("") == new else {
                            throw CommandFailure(message: "the two new passwords differ; nothing was changed", exitCode: 65)
                        }
                    }
                    try await database.withRegistry { registry in
                        let account = try await registry.staff.changePassword(login: login, currentPassword: current,
                                                                              newPassword: new, by: OperatorIdentity.actor)
                        print("changed the password of \(account.login)")
                    }
                }
            }
        }

        struct Unlock: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Lift a lock after failed sign-ins.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    try await UserCommand.change(database) { registry in try await registry.staff.unlock(login, by: OperatorIdentity.actor) }
                }
            }
        }

        /// Runs one account change as the operator and prints the account's line.
        static func change(_ database: DatabaseOptions, _ body: (Registry) async throws -> StaffAccount) async throws {
            try await database.withRegistry { registry in
                print(line(try await body(registry), now: registry.clock.now()))
            }
        }

        /// One account per line: login, role, state, second factor, name.
        static func line(_ account: StaffAccount, now: Date) -> String {
            let state = !account.active ? "disabled" : account.isLockedNow(now) ? "locked"
                : account.passwordIsInitial ? "initial-password" : "active"
            return [account.login, account.role.rawValue, state, account.secondFactorEnrolled ? "totp" : "-",
                    account.displayName].joined(separator: "\t")
        }
    }
}

extension StaffAccount {
    func isLockedNow(_ now: Date) -> Bool {
        lockedUntil.map { $0 > now } ?? false
    }
}
