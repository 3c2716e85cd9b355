import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// Loans: register (with the explanation), change, consent, contact sheet, hand over, return, cancel, show.
    struct LoanCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loan", abstract: "Register, explain, consent, hand over, return and cancel loans.",
            discussion: """
                A loan is handed over only after the patient consented to its current explanation
                (loan consent) and was given the contact sheet (loan contact-sheet).
                """,
            subcommands: [Register.self, Change.self, Explanation.self, Consent.self, ContactSheet.self, HandOver.self, Extend.self, Loss.self, Contact.self,
                          Return.self, Cancel.self, Show.self])

        struct Register: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Register a draft loan with its explanation; prints number, status, due date and explanation hash.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Option(help: "Device asset tag or id.") var device: String
            @Option(help: "Patient number or id.") var patient: String
            @Option(help: "Due date YYYY-MM-DD (default: the model's loan days).") var due: String?
            @Option(help: "Start date YYYY-MM-DD (default: today).") var start: String?
            @Option(help: "Explanation language ja, ja-easy or en (default: the patient's).") var language: String?

            func validate() throws {
                if let due, LocalDate(due) == nil { throw ValidationError("--due must be a date YYYY-MM-DD.") }
                if let start, LocalDate(start) == nil { throw ValidationError("--start must be a date YYYY-MM-DD.") }
            }

            func run() async throws {
                try await reportingFailures {
                    let language: Patient.Language? = try language.map { try ArgumentValue.parse($0, "--language") }
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.register(
                            NewLoan(deviceId: device, patientId: patient, dueDate: due.flatMap(LocalDate.init),
                                    startDate: start.flatMap(LocalDate.init), language: language),
                            by: try await staff.actor(in: registry))
                        print(loan.draftLine)
                    }
                }
            }
        }

        struct Change: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Change device, dates or language of a loan not yet handed over.",
                discussion: "A changed explanation needs a new consent; prints the new explanation hash.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "New device asset tag or id.") var device: String?
            @Option(help: "New start date YYYY-MM-DD.") var start: String?
            @Option(help: "New due date YYYY-MM-DD.") var due: String?
            @Option(help: "New language ja, ja-easy or en.") var language: String?

            func run() async throws {
                try await reportingFailures {
                    let changes = LoanChanges(
                        deviceId: device, startDate: try ArgumentValue.date(start, "--start"),
                        dueDate: try ArgumentValue.date(due, "--due"),
                        language: try language.map { try ArgumentValue.parse($0, "--language") })
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.change(loan, changes, by: try await staff.actor(in: registry))
                        print(loan.draftLine)
                    }
                }
            }
        }

        struct Explanation: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the loan's current explanation text (the read is audited).",
                discussion: "With --refresh, render it again from the newest released texts and the current clinic profile first.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Flag(help: "Render again first; a changed text becomes a new snapshot needing a new consent.") var refresh = false

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        if refresh { _ = try await registry.loans.refreshExplanation(loan, by: try await staff.actor(in: registry)) }
                        let loan = try await registry.loans.loan(loan, by: try await staff.actor(in: registry))
                        guard let explanation = loan.explanation else {
                            throw CommandFailure(message: "loan \(loan.number) has no explanation", exitCode: 4)
                        }
                        FileHandle.standardError.write(Data(
                            "\(loan.number) explanation #\(explanation.sequence) v\(explanation.textVersion) \(explanation.language.rawValue) sha256 \(explanation.sha256)\n".utf8))
                        print(explanation.text ?? "", terminator: "")
                    }
                }
            }
        }

        struct Consent: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record the patient's decision on the current explanation; prints the consent id.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "SHA-256 of the explanation shown (from loan register or loan explanation).") var sha256: String
            @Option(help: "granted or refused.") var decision: String = "granted"
            @Option(help: "self or proxy.") var signer: String = "self"
            @Option(help: "Name of who signs.") var signerName: String
            @Option(help: "Proxy: relationship to the patient.") var relationship: String?
            @Option(help: "Proxy: why the patient does not sign.") var reason: String?
            @Option(help: "Who explained (default: --staff).") var explainedBy: String?
            @Option(help: "Witness, if any.") var witness: String?
            @Option(help: "Tablet signature PNG file.") var signaturePng: String?
            @Option(help: "Reference of the signed paper form's scan.") var paperScan: String?
            @Flag(help: "A copy was given to the patient.") var copyGiven = false
            @Option(help: "yes or no: the patient agrees to the maker's cloud (required when the model uploads to one).")
            var makerCloud: String?
            @Option(help: "yes or no: the patient agrees to the sharing feature (required when the model has one).")
            var sharing: String?
            @Option(help: "yes or no: the patient agrees to research use (default no).") var research: String?

            func run() async throws {
                try await reportingFailures {
                    let decision: NewConsent.Decision = try ArgumentValue.parse(decision, "--decision")
                    let kind: NewConsent.Signer.Kind = try ArgumentValue.parse(signer, "--signer")
                    var evidence: NewConsent.Evidence?
                    if let signaturePng {
                        guard let data = FileManager.default.contents(atPath: signaturePng) else {
                            throw CommandFailure(message: "cannot read \(signaturePng)", exitCode: 66)
                        }
                        evidence = .init(method: .tablet, pngBase64: data.base64EncodedString())
                    } else if let paperScan {
                        evidence = .init(method: .paper, scanReference: paperScan)
                    }
                    func answer(_ value: String?, _ option: String) throws -> Bool? {
                        switch value {
                        case nil: return nil
                        case "yes": return true
                        case "no": return false
                        default: throw CommandFailure(message: "\(option) must be yes or no", exitCode: 64)
                        }
                    }
                    let scope = NewConsent.Scope(makerCloud: try answer(makerCloud, "--maker-cloud"),
                                                 sharing: try answer(sharing, "--sharing"),
                                                 research: try answer(research, "--research"))
                    let input = NewConsent(
                        explanationSha256: sha256,
                        signer: .init(kind: kind, name: signerName, relationship: relationship, reason: reason),
                        decision: decision, explainedBy: explainedBy ?? staff.login, witness: witness,
                        scope: scope == NewConsent.Scope() ? nil : scope, signature: evidence, copyGiven: copyGiven)
                    try await database.withRegistry { registry in
                        let consent = try await registry.consents.record(loan: loan, input, by: try await staff.actor(in: registry))
                        print("\(consent.id)\t\(consent.decision.rawValue)")
                    }
                }
            }
        }

        struct ContactSheet: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "contact-sheet", abstract: "Record that the contact sheet was given to the patient (now).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.recordContactSheet(loan, ContactSheetGiven(), by: try await staff.actor(in: registry))
                        let missing = loan.handoverRequirements.map(\.rawValue).joined(separator: ",")
                        print("\(loan.number)\tcontact sheet given\t" + (missing.isEmpty ? "ready to hand over" : "still needs \(missing)"))
                    }
                }
            }
        }

        struct HandOver: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "handover", abstract: "Hand the device over to the patient.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.handOver(loan, by: try await staff.actor(in: registry))
                        print("\(loan.number)\t\(loan.status.rawValue)")
                    }
                }
            }
        }

        struct Return: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record the device's return.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "ok, damaged or faulty.") var condition: String = "ok"
            @Flag(help: "Some accessories are missing.") var accessoriesMissing = false
            @Option(help: "Notes (no patient data).") var notes: String?

            func run() async throws {
                try await reportingFailures {
                    guard let condition = LoanReturn.Condition(rawValue: condition) else {
                        throw CommandFailure(message: "--condition must be ok, damaged or faulty", exitCode: 64)
                    }
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.receiveReturn(
                            loan, LoanReturn(condition: condition, accessoriesComplete: !accessoriesMissing, notes: notes),
                            by: try await staff.actor(in: registry))
                        let device = try await registry.ledger.device(loan.device.id, by: try await staff.actor(in: registry))
                        print("\(loan.number)\t\(loan.status.rawValue)\tdevice \(device.assetTag) is \(device.status.rawValue)"
                              + (loan.dataDeletion.map { "\t\($0.summary)" } ?? ""))
                    }
                }
            }
        }

        struct Extend: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Move the due date of an active loan; the earlier due dates are kept.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "The new due date, YYYY-MM-DD (today to a year ahead).") var due: String
            @Option(help: "Why (no patient data).") var reason: String

            func run() async throws {
                try await reportingFailures {
                    guard let date = try ArgumentValue.date(due, "--due") else { return }
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.extend(loan, to: date, reason: reason, by: try await staff.actor(in: registry))
                        print("\(loan.number)\t\(loan.status.rawValue)\tdue \(loan.dueDate)\t(was \(loan.extensions.last?.previousDueDate.description ?? "-"))")
                    }
                }
            }
        }

        struct Contact: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record an attempt to reach the patient about an active loan.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "phone, letter, visit or email.") var channel: String
            @Option(help: "reached, no_answer, device_confirmed, will_return or refused.") var outcome: String
            @Option(help: "When to follow up, YYYY-MM-DD.") var next: String?
            @Option(help: "Notes (only what the follow-up needs).") var notes: String?

            func run() async throws {
                try await reportingFailures {
                    let channel: ContactAttempt.Channel = try ArgumentValue.parse(channel, "--channel")
                    let outcome: ContactAttempt.Outcome = try ArgumentValue.parse(outcome, "--outcome")
                    let next = try ArgumentValue.date(next, "--next")
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.recordContact(
                            loan, NewContactAttempt(channel: channel, outcome: outcome, nextActionOn: next, notes: notes),
                            by: try await staff.actor(in: registry))
                        print("\(loan.number)\t\(outcome.rawValue)\tnext \(loan.lastContact?.nextActionOn?.description ?? "-")")
                    }
                }
            }
        }

        struct Loss: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The device was lost or stolen: the loan and the device become lost and an incident opens.",
                discussion: "Prints the incident number and its report deadlines (to the PPC when patient data was readable).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "lost or stolen.") var kind: String
            @Option(help: "The day it went missing, YYYY-MM-DD.") var occurredOn: String
            @Option(help: "The day the clinic learned of it, YYYY-MM-DD (default: today).") var discoveredOn: String?
            @Option(help: "Where (no patient data).") var place: String?
            @Option(help: "The police report number, if any.") var policeReport: String?
            @Option(help: "Notes (no patient data).") var notes: String?

            func run() async throws {
                try await reportingFailures {
                    let kind: Incident.Kind = try ArgumentValue.parse(kind, "--kind")
                    guard let occurred = try ArgumentValue.date(occurredOn, "--occurred-on") else { return }
                    let discovered = try ArgumentValue.date(discoveredOn, "--discovered-on")
                    try await database.withRegistry { registry in
                        let incident = try await registry.loans.reportLoss(
                            loan, NewLoss(kind: kind, occurredOn: occurred, discoveredOn: discovered ?? LocalDate(registry.clock.now()),
                                          place: place, policeReport: policeReport, notes: notes),
                            by: try await staff.actor(in: registry))
                        print(LoanRegistryCommand.IncidentCommand.List.line(incident))
                    }
                }
            }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel a loan that was not handed over.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String
            @Option(help: "Why (no patient data).") var reason: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let loan = try await registry.loans.cancel(loan, reason: reason, by: try await staff.actor(in: registry))
                        print("\(loan.number)\t\(loan.status.rawValue)")
                    }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a loan as JSON (the read is audited).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Loan number or id.") var loan: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in try printJSON(try await registry.loans.loan(loan, by: try await staff.actor(in: registry))) }
                }
            }
        }
    }
}

extension Loan {
    /// `number  status  due DATE  explanation SHA256`: what staff need to take a draft on to consent.
    fileprivate var draftLine: String {
        "\(number)\t\(status.rawValue)\tdue \(dueDate)\texplanation \(explanation?.sha256 ?? "")"
    }
}
