import ArgumentParser
import Foundation
import Handouts
import LoanRegistry

extension LoanRegistryCommand.UserCommand {
    /// The second factor (TOTP, RFC 6238).
    struct TOTPCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "totp", abstract: "Enrol or reset an account's second factor (TOTP).",
            subcommands: [Enroll.self, Reset.self])

        struct Enroll: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show a QR code for the person's authenticator app, then confirm with one code from it.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let enrolment = try await registry.staff.beginSecondFactorEnrolment(login: login, by: OperatorIdentity.actor)
                        // Written at once (print is buffered when piped): the person reads this before typing a code.
                        var shown = ""
                        if let qr = try? QRCode(enrolment.provisioningURI) { shown += Self.terminalQR(qr) + "\n" }
                        shown += "secret (type it into the app if the QR cannot be scanned): \(enrolment.secret)\n"
                        shown += enrolment.provisioningURI + "\n"
                        FileHandle.standardOutput.write(Data(shown.utf8))
                        FileHandle.standardError.write(Data("6-digit code from the app: ".utf8))
                        guard let code = Swift.readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) else {
                            throw CommandFailure(message: "no code entered; the second factor is not in force", exitCode: 64)
                        }
                        let recovery = try await registry.staff.confirmSecondFactor(login: login, code: code,
                                                                                     by: OperatorIdentity.actor)
                        print("second factor confirmed for \(login). Recovery codes (each works once; keep them safe):")
                        for code in recovery { print("  \(code)") }
                    }
                }
            }

            /// The code in half-block characters, two modules a character row, with a quiet zone.
            static func terminalQR(_ qr: QRCode) -> String {
                let size = qr.size + 4
                func dark(_ row: Int, _ column: Int) -> Bool {
                    let r = row - 2, c = column - 2
                    return r >= 0 && c >= 0 && r < qr.size && c < qr.size && qr.isDark(row: r, column: c)
                }
                var lines: [String] = []
                for row in stride(from: 0, to: size, by: 2) {
                    var line = ""
                    for column in 0..<size {
                        switch (dark(row, column), dark(row + 1, column)) {
                        case (false, false): line += "█"
                        case (true, false): line += "▄"
                        case (false, true): line += "▀"
                        case (true, true): line += " "
                        }
                    }
                    lines.append(line)
                }
                return lines.joined(separator: "\n")
            }
        }

        struct Reset: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove an account's second factor (lost phone) so it can be enrolled again.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The login.") var login: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        _ = try await registry.staff.resetSecondFactor(login: login, by: OperatorIdentity.actor)
                        print("removed the second factor of \(login); enrol a new one with: loan-registry user totp enroll \(login)")
                    }
                }
            }
        }
    }
}
