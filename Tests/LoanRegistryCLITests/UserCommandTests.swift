import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// `loan-registry user …`, `settings …`, `--staff` and the first start, through the built binary.
@Suite struct UserCommandTests {
    private func run(_ arguments: [String], _ directory: TemporaryDirectory, input: String? = nil) throws -> BuiltBinary.Outcome {
        try BuiltBinary.run(arguments + ["--db", directory.path("registry.sqlite"), "--texts", TestRegistry.repositoryTexts.path],
                            in: directory.url, input: input)
    }

    @Test func accountsFromAddToDisableWithEveryChangeAudited() throws {
        let directory = try TemporaryDirectory()
        let weak = try run(["user", "add", "--login", "ito", "--name", "伊藤 健", "--role", "staff"], directory, input: "ito\n")
        #expect(weak.exitCode == 65)
        #expect(weak.standardError.contains("too short") && weak.standardError.contains("must not contain the login"))
        let added = try run(["user", "add", "--login", "ito", "--name", "伊藤 健", "--role", "staff"], directory,
                            input: "Welcome#Desk-2026\n")
        #expect(added.exitCode == 0, "\(added.standardError)")
        #expect(try run(["user", "list"], directory).standardOutput.contains("ito\tstaff\tinitial-password\t-\t伊藤 健"))

        let patient = ["patient", "add", "--number", "P-1", "--name", "山田 太郎", "--staff", "ito"]
        let initial = try run(patient, directory)
        #expect(initial.exitCode == 77)
        #expect(initial.standardError.contains("must be changed first"))
        let mismatch = try run(["user", "password", "ito"], directory, input: "Welcome#Desk-2026\nSteady#Lantern-84\nOther#Lantern-84\n")
        #expect(mismatch.exitCode == 65)
        let changed = try run(["user", "password", "ito"], directory, input: "Welcome#Desk-2026\nSteady#Lantern-84\nSteady#Lantern-84\n")
        #expect(changed.exitCode == 0, "\(changed.standardError)")
        #expect(try run(patient, directory).exitCode == 0)

        #expect(try run(["user", "role", "ito", "auditor"], directory).exitCode == 0)
        let forbidden = try run(["patient", "add", "--number", "P-2", "--name", "山田 花子", "--staff", "ito"], directory)
        #expect(forbidden.exitCode == 77 && forbidden.standardError.contains("role does not allow"))
        #expect(try run(["user", "disable", "ito"], directory).standardOutput.contains("ito\tauditor\tdisabled"))
        let disabled = try run(["device", "list", "--staff", "ito"], directory)
        #expect(disabled.exitCode == 77 && disabled.standardError.contains("disabled"))
        let nobody = try run(["device", "list", "--staff", "nobody"], directory)
        #expect(nobody.exitCode == 77 && nobody.standardError.contains("no staff account 'nobody'"))
        #expect(try run(["user", "show", "nobody"], directory).exitCode == 2)

        let queue = try DatabaseQueue(path: directory.path("registry.sqlite"))
        let events = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT actor, action FROM audit_events WHERE action LIKE 'staff.%' ORDER BY seq")
                .map { "\($0["actor"] as String) \($0["action"] as String)" }
        }
        let user = String(cString: try #require(getpwuid(geteuid())?.pointee.pw_name))
        #expect(events == ["cli:\(user) staff.added", "staff:ito staff.password_changed", "cli:\(user) staff.role_changed",
                           "cli:\(user) staff.disabled"])
        let patientEvent = try queue.read { db in
            try String.fetchOne(db, sql: "SELECT actor FROM audit_events WHERE action = 'patient.registered'")
        }
        #expect(patientEvent == "staff:ito")
    }

    @Test func settingsAreShownChangedAndChecked() throws {
        let directory = try TemporaryDirectory()
        let set = try run(["settings", "set", "--require-second-factor", "manager,admin", "--password-max-age-days", "90"], directory)
        #expect(set.exitCode == 0, "\(set.standardError)")
        let shown = try run(["settings", "show"], directory).standardOutput
        #expect(shown.contains("\"passwordMaxAgeDays\" : 90") && shown.contains("\"idleTimeoutMinutes\" : 30"))
        #expect(shown.contains("\"admin\"") && shown.contains("\"manager\""))
        #expect(try run(["settings", "set", "--require-second-factor", "nurse"], directory).exitCode == 64)
        let bad = try run(["settings", "set", "--idle-timeout-minutes", "0"], directory)
        #expect(bad.exitCode == 65 && bad.standardError.contains("idleTimeoutMinutes"))
    }

    @Test func theFirstStartPrintsTheAdministratorPasswordOnceAndItMustBeChanged() async throws {
        let directory = try TemporaryDirectory()
        for start in 1...2 {
            let port = Int.random(in: 20_000...40_000)
            let process = try BuiltBinary.start(["serve", "--port", "\(port)", "--db", directory.path("registry.sqlite")],
                                                in: directory.url)
            defer { if process.isRunning { process.terminate() } }
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/health"))
            var up = false
            for _ in 0..<300 where !up {
                if (try? await URLSession.shared.data(from: url)) != nil { up = true } else { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(up)
            process.terminate()
            process.waitUntilExit()
            let output = try String(contentsOfFile: directory.path("stdout.log"), encoding: .utf8)
            let logged = try String(contentsOfFile: directory.path("stderr.log"), encoding: .utf8)
            let password = output.split(separator: "\n").first { $0.contains("password:") }
                .map { String($0.split(separator: " ").last ?? "") }
            if start == 1 {
                let password = try #require(password)
                #expect(password.count == 16)
                #expect(!logged.contains(password), "the password is not logged")
                let list = try run(["user", "list"], directory)
                #expect(list.standardOutput.contains("admin\tadmin\tinitial-password"))
                let change = try run(["user", "password", "admin"], directory,
                                     input: "\(password)\nKeeper#Of-Accounts-1\nKeeper#Of-Accounts-1\n")
                #expect(change.exitCode == 0, "\(change.standardError)")
            } else {
                #expect(password == nil, "the password is shown only on the first start")
            }
        }
    }
}
