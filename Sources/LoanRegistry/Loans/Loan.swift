public import Foundation
import GRDB

/// A device lent (or about to be lent) to a patient.
public struct Loan: Sendable, Equatable, Codable, Identifiable {
    public let id: String
    /// Staff- and patient-facing number, `L-YYYY-NNNNNN`.
    public let number: String
    public var status: LoanStatus
    public let startDate: LocalDate
    public var dueDate: LocalDate
    public let createdAt: Date
    public let createdBy: String
    public var handedOverAt: Date?
    public var returnedAt: Date?
    public var returnRecord: LoanReturn.Record?
    public var cancelledAt: Date?
    public var cancelReason: String?
    /// Days past the due date, for an active loan that is overdue on the reference date; else `nil`.
    public var daysOverdue: Int?
    public var patient: PatientSummary
    public var device: DeviceSummary
    /// Language of the explanation and handouts.
    public var language: Patient.Language
    /// The explanation currently in force (its text only in single-loan answers).
    public var explanation: Explanation?
    /// The decision on the current explanation, if any.
    public var consent: ConsentState?
    /// The contact sheet given for the current explanation, if any.
    public var contactSheet: ContactSheetRecord?
    /// What the hand-over gate still needs; empty once the loan can be handed over (or is past it).
    public var handoverRequirements: [HandoverRequirement]
    /// Consent was withdrawn while the device was out: recover the device.
    public var recoveryRequestedAt: Date?
    /// For a returned device that holds patient data: whether its data was deleted after this loan.
    public var dataDeletion: DataDeletion?
    /// Earlier due dates of an active loan that was extended, oldest first.
    public var extensions: [Extension]
    /// Whether a reminder letter may be sent: the device is out and past its due date.
    public var isOverdue: Bool { status == .active && daysOverdue != nil }
    /// The last attempt to reach the patient about this loan (overdue follow-up), if any.
    public var lastContact: LastContact?

    /// The last contact attempt, as the overdue list shows it.
    public struct LastContact: Sendable, Equatable, Codable {
        public let channel: ContactAttempt.Channel
        public let outcome: ContactAttempt.Outcome
        public let contactedAt: Date
        public let nextActionOn: LocalDate?
    }

    /// One extension of the loan.
    public struct Extension: Sendable, Equatable, Codable {
        public let previousDueDate: LocalDate
        public let newDueDate: LocalDate
        public let reason: String
        public let extendedAt: Date
        public let extendedBy: String
    }

    /// The consent decision on the current explanation, as shown with the loan.
    public struct ConsentState: Sendable, Equatable, Codable {
        public let id: String
        public let decision: NewConsent.Decision
        public let decidedAt: Date
        public let withdrawn: Bool
    }

    /// The patient fields shown with a loan (staff need them to call the patient).
    public struct PatientSummary: Sendable, Equatable, Codable {
        public let id: String
        public let patientNumber: String
        public let name: String
        public let phone: String
        public let language: Patient.Language
    }

    /// The device fields shown with a loan.
    public struct DeviceSummary: Sendable, Equatable, Codable {
        public let id: String
        public let assetTag: String
        public let serialNumber: String
        public let manufacturer: String
        public let modelName: String
        public let category: DeviceCategory
    }

    init(row: Row, asOf: LocalDate) throws {
        id = row["id"]
        number = row["number"]
        guard let status = LoanStatus(rawValue: row["status"]),
              let start = LocalDate(row["start_date"]), let due = LocalDate(row["due_date"]),
              let category = DeviceCategory(rawValue: row["model_category"])
        else { throw StorageError.unavailable(reason: "unreadable loan row") }
        self.status = status
        startDate = start
        dueDate = due
        createdAt = Timestamp.date(row["created_at"]) ?? .distantPast
        createdBy = row["created_by"]
        handedOverAt = (row["handed_over_at"] as String?).flatMap(Timestamp.date)
        returnedAt = (row["returned_at"] as String?).flatMap(Timestamp.date)
        if let condition = (row["return_condition"] as String?).flatMap(LoanReturn.Condition.init(rawValue:)) {
            returnRecord = LoanReturn.Record(condition: condition, accessoriesComplete: row["accessories_complete"],
                                             notes: row["return_notes"] ?? "", receivedBy: row["received_by"] ?? "")
        }
        cancelledAt = (row["cancelled_at"] as String?).flatMap(Timestamp.date)
        cancelReason = row["cancel_reason"]
        daysOverdue = status == .active && due < asOf ? due.days(until: asOf) : nil
        patient = PatientSummary(id: row["patient_id"], patientNumber: row["patient_number"], name: row["patient_name"],
                                 phone: row["patient_phone"],
                                 language: Patient.Language(rawValue: row["patient_language"]) ?? .ja)
        device = DeviceSummary(id: row["device_id"], assetTag: row["asset_tag"], serialNumber: row["serial_number"],
                               manufacturer: row["model_manufacturer"], modelName: row["model_name"], category: category)
        language = (row["language"] as String?).flatMap(Patient.Language.init(rawValue:)) ?? patient.language
        explanation = try (row["e_id"] as String?).map { _ in try Explanation(row: row, prefix: "e_", withText: false) }
        consent = (row["c_id"] as String?).map { id in
            ConsentState(id: id, decision: NewConsent.Decision(rawValue: row["c_decision"]) ?? .refused,
                         decidedAt: Timestamp.date(row["c_decided_at"]) ?? .distantPast, withdrawn: row["c_withdrawn"])
        }
        contactSheet = (row["s_id"] as String?).map { _ in ContactSheetRecord(row: row, prefix: "s_") }
        recoveryRequestedAt = (row["recovery_requested_at"] as String?).flatMap(Timestamp.date)
        if status == .returned, row["model_stores_data"] == true {
            dataDeletion = DataDeletion(wipeIn: row, prefix: "w_") ?? .pending
        }
        extensions = []
        if let channel = (row["k_channel"] as String?).flatMap(ContactAttempt.Channel.init(rawValue:)),
           let outcome = (row["k_outcome"] as String?).flatMap(ContactAttempt.Outcome.init(rawValue:)) {
            lastContact = LastContact(channel: channel, outcome: outcome,
                                      contactedAt: Timestamp.date(row["k_contacted_at"]) ?? .distantPast,
                                      nextActionOn: (row["k_next_action_on"] as String?).flatMap(LocalDate.init))
        }
        var missing: [HandoverRequirement] = []
        if LoanLifecycle.isPreparing(status) {
            if consent?.decision != .granted || consent?.withdrawn == true {
                missing.append(.consent)
            } else if row["model_uploads"] == true, row["c_scope_maker_cloud"] == false {
                missing.append(.scope)
            }
            if contactSheet == nil { missing.append(.contactSheet) }
        }
        handoverRequirements = missing
    }

    static let selectSQL = """
        SELECT l.rowid AS position, l.*, p.patient_number, p.name AS patient_name, p.phone AS patient_phone,
               p.language AS patient_language, d.asset_tag, d.serial_number, m.manufacturer AS model_manufacturer,
               m.name AS model_name, m.category AS model_category,
               \(Explanation.joinedColumns("e", prefix: "e_")),
               c.id AS c_id, c.decision AS c_decision, c.decided_at AS c_decided_at, c.scope_maker_cloud AS c_scope_maker_cloud,
               json_extract(m.security_profile, '$.cloudUpload') IS NOT NULL AS model_uploads, -- SecurityProfile.asksAboutMakerCloud
               EXISTS (SELECT 1 FROM consent_withdrawals cw WHERE cw.consent_id = c.id) AS c_withdrawn,
               json_extract(m.security_profile, '$.storesPatientData') = 1 AS model_stores_data,
               \(DataDeletion.joinedColumns("w", prefix: "w_")),
               k.channel AS k_channel, k.outcome AS k_outcome, k.contacted_at AS k_contacted_at, k.next_action_on AS k_next_action_on,
               \(ContactSheetRecord.joinedColumns("s", prefix: "s_"))
        FROM loans l
        JOIN patients p ON p.id = l.patient_id
        JOIN devices d ON d.id = l.device_id
        JOIN device_models m ON m.id = d.model_id
        LEFT JOIN explanations e ON e.id = l.current_explanation_id
        LEFT JOIN consents c ON c.explanation_id = l.current_explanation_id
        LEFT JOIN contact_sheets s ON s.explanation_id = l.current_explanation_id
        LEFT JOIN sanitizations w ON w.rowid = (SELECT max(x.rowid) FROM sanitizations x WHERE x.loan_id = l.id)
        LEFT JOIN loan_contacts k ON k.seq = (SELECT max(y.seq) FROM loan_contacts y WHERE y.loan_id = l.id)
        """

    /// The loan whose id or number is `reference`.
    static func fetch(_ db: Database, reference: String, asOf: LocalDate) throws -> Loan {
        guard var loan = try db.cachedFirst(sql: selectSQL + " WHERE l.id = ? OR l.number = ?",
                                            arguments: [reference, reference], { try Loan(row: $0, asOf: asOf) })
        else { throw RegistryError.notFound(entity: "loan", id: reference) }
        loan.extensions = try Row.fetchAll(db, sql: """
            SELECT previous_due_date, new_due_date, reason, extended_at, extended_by FROM loan_extensions
            WHERE loan_id = ? ORDER BY seq
            """, arguments: [loan.id]).compactMap { row in
            guard let previous = LocalDate(row["previous_due_date"]), let new = LocalDate(row["new_due_date"]) else { return nil }
            return Extension(previousDueDate: previous, newDueDate: new, reason: row["reason"],
                             extendedAt: Timestamp.date(row["extended_at"]) ?? .distantPast, extendedBy: row["extended_by"])
        }
        if let id = loan.explanation?.id {
            loan.explanation?.text = try String.fetchOne(db, sql: "SELECT body FROM explanations WHERE id = ?", arguments: [id])
        }
        return loan
    }
}

/// What staff give to register a loan (a draft until it is handed over).
public struct NewLoan: Sendable, Equatable, Codable {
    public var deviceId: String
    public var patientId: String
    /// Defaults to today plus the model's default loan days.
    public var dueDate: LocalDate?
    /// Defaults to today.
    public var startDate: LocalDate?
    /// Language of the explanation and handouts; defaults to the patient's language.
    public var language: Patient.Language?

    public init(deviceId: String, patientId: String, dueDate: LocalDate? = nil, startDate: LocalDate? = nil,
                language: Patient.Language? = nil) {
        self.deviceId = deviceId
        self.patientId = patientId
        self.dueDate = dueDate
        self.startDate = startDate
        self.language = language
    }

}

/// What staff record when a device comes back.
public struct LoanReturn: Sendable, Equatable, Codable {
    /// The state the device came back in.
    public enum Condition: String, Sendable, Codable, CaseIterable {
        case ok, damaged, faulty
    }

    /// A return as stored with the loan.
    public struct Record: Sendable, Equatable, Codable {
        public let condition: Condition
        public let accessoriesComplete: Bool
        public let notes: String
        public let receivedBy: String
    }

    public var condition: Condition
    public var accessoriesComplete: Bool
    public var notes: String?

    public init(condition: Condition, accessoriesComplete: Bool, notes: String? = nil) {
        self.condition = condition
        self.accessoriesComplete = accessoriesComplete
        self.notes = notes
    }

}
