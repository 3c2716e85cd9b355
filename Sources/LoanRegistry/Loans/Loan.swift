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
    }

    static let selectSQL = """
        SELECT l.rowid AS position, l.*, p.patient_number, p.name AS patient_name, p.phone AS patient_phone,
               p.language AS patient_language, d.asset_tag, d.serial_number, m.manufacturer AS model_manufacturer,
               m.name AS model_name, m.category AS model_category
        FROM loans l
        JOIN patients p ON p.id = l.patient_id
        JOIN devices d ON d.id = l.device_id
        JOIN device_models m ON m.id = d.model_id
        """

    /// The loan whose id or number is `reference`.
    static func fetch(_ db: Database, reference: String, asOf: LocalDate) throws -> Loan {
        guard let row = try Row.fetchOne(db, sql: selectSQL + " WHERE l.id = ? OR l.number = ?",
                                         arguments: [reference, reference])
        else { throw RegistryError.notFound(entity: "loan", id: reference) }
        return try Loan(row: row, asOf: asOf)
    }
}

/// What staff give to register a loan (a draft until it is handed over).
public struct NewLoan: Sendable, Equatable, Codable {
    public var deviceId: String
    public var patientId: String
    /// Defaults to today plus the model's default loan days.
    public var dueDate: LocalDate?

    public init(deviceId: String, patientId: String, dueDate: LocalDate? = nil) {
        self.deviceId = deviceId
        self.patientId = patientId
        self.dueDate = dueDate
    }

    /// Every JSON field name, for rejecting unknown ones.
    public static let fieldNames: Set<String> = ["deviceId", "patientId", "dueDate"]
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

    /// Every JSON field name, for rejecting unknown ones.
    public static let fieldNames: Set<String> = ["condition", "accessoriesComplete", "notes"]
}
