public import Foundation
import GRDB

/// A lost or stolen device (guideline ③), with the clock of the report to the Personal
/// Information Protection Commission (PPC).
///
/// A device that held patient data unencrypted leaks 要配慮個人情報 (special-care personal
/// information): that must be reported whatever the number of people — a preliminary report
/// (速報) promptly, due by default 5 days after discovery, and a final report (確報) within 30 days.
public struct Incident: Sendable, Equatable, Codable, Identifiable {
    /// Lost or stolen.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case lost, stolen
    }

    /// One of the two reports to the PPC.
    public struct Report: Sendable, Equatable, Codable {
        /// Whether this incident must be reported at all.
        public let required: Bool
        /// The day the report is due.
        public let dueOn: LocalDate
        /// The day it was submitted, once recorded.
        public let submittedOn: LocalDate?
        /// The receipt number or file reference.
        public let reference: String?
        /// Required, not submitted, and past its due date.
        public let overdue: Bool
    }

    /// The record's id (UUID).
    public let id: String
    /// `I-YYYY-NNNN`.
    public let number: String
    /// The loan's id.
    public let loanId: String
    /// The loan number, `L-YYYY-NNNNNN`.
    public let loanNumber: String
    /// The device's id.
    public let deviceId: String
    /// The device's asset tag.
    public let assetTag: String
    /// Lost or stolen.
    public let kind: Kind
    /// The day it went missing (as far as known).
    public let occurredOn: LocalDate
    /// The day the clinic learned of it: the report deadlines run from here.
    public let discoveredOn: LocalDate
    /// Where (no patient data).
    public let place: String?
    /// The police report number, if any.
    public let policeReport: String?
    /// Notes (no patient data).
    public let notes: String
    /// The model stores patient data without encryption at rest.
    public let unencryptedPatientData: Bool
    /// Must be reported to the PPC (patient data readable on the device).
    public let reportable: Bool
    /// 速報.
    public let preliminaryReport: Report
    /// 確報.
    public let finalReport: Report
    /// When the device was found again (the incident stays on record).
    public let foundAt: Date?
    /// When it was recorded.
    public let openedAt: Date
    /// Who recorded it.
    public let openedBy: String
    /// Still needs something: a report to the PPC, or the device is still lost (not found, not retired).
    public let open: Bool

    init(row: Row, asOf today: LocalDate) throws {
        guard let kind = Kind(rawValue: row["kind"]), let occurred = LocalDate(row["occurred_on"]),
              let discovered = LocalDate(row["discovered_on"]), let preliminaryDue = LocalDate(row["preliminary_due_on"]),
              let finalDue = LocalDate(row["final_due_on"])
        else { throw StorageError.unavailable(reason: "unreadable incident row") }
        id = row["id"]
        number = row["number"]
        loanId = row["loan_id"]
        loanNumber = row["loan_number"]
        deviceId = row["device_id"]
        assetTag = row["asset_tag"]
        self.kind = kind
        occurredOn = occurred
        discoveredOn = discovered
        place = row["place"]
        policeReport = row["police_report"]
        notes = row["notes"]
        unencryptedPatientData = row["unencrypted_patient_data"]
        reportable = row["reportable"]
        let reportable = self.reportable
        func report(_ prefix: String, due: LocalDate) -> Report {
            let submitted = (row["\(prefix)_submitted_on"] as String?).flatMap(LocalDate.init)
            return Report(required: reportable, dueOn: due, submittedOn: submitted, reference: row["\(prefix)_reference"],
                          overdue: reportable && submitted == nil && due < today)
        }
        preliminaryReport = report("preliminary", due: preliminaryDue)
        finalReport = report("final", due: finalDue)
        foundAt = (row["found_at"] as String?).flatMap(Timestamp.date)
        openedAt = Timestamp.date(row["opened_at"]) ?? .distantPast
        openedBy = row["opened_by"]
        open = (reportable && finalReport.submittedOn == nil) || (foundAt == nil && row["device_status"] == DeviceStatus.lost.rawValue)
    }

    static let selectSQL = """
        SELECT i.*, l.number AS loan_number, d.asset_tag, d.status AS device_status FROM incidents i
        JOIN loans l ON l.id = i.loan_id JOIN devices d ON d.id = i.device_id
        """

    static func fetch(_ db: Database, reference: String, asOf today: LocalDate) throws -> Incident {
        guard let row = try Row.fetchOne(db, sql: selectSQL + " WHERE i.id = ? OR i.number = ?", arguments: [reference, reference])
        else { throw RegistryError.notFound(entity: "incident", id: reference) }
        return try Incident(row: row, asOf: today)
    }
}
