public import Foundation
import GRDB

/// A recorded disposal, as listed for the planning manager's report.
public struct Disposal: Sendable, Equatable, Codable {
    /// What shows that no patient data left with the device.
    public enum Evidence: String, Sendable, Codable {
        /// A wipe recorded after its last loan.
        case wipe
        /// The vendor's certificate.
        case vendorCertificate = "vendor_certificate"
        /// The device never held patient data.
        case noPatientData = "no_patient_data"
    }

    public let id: String
    public let deviceId: String
    public let assetTag: String
    public let serialNumber: String
    public let model: String
    public let method: NewDisposal.Method
    public let performedBy: String
    public let vendor: String?
    public let certificateNumber: String?
    public let certificateReference: String?
    public let evidence: Evidence
    public let recordedAt: Date
    public let recordedBy: String

    init(row: Row) throws {
        guard let method = NewDisposal.Method(rawValue: row["method"]), let evidence = Evidence(rawValue: row["evidence"]) else {
            throw StorageError.unavailable(reason: "unreadable disposal row")
        }
        id = row["id"]
        deviceId = row["device_id"]
        assetTag = row["asset_tag"]
        serialNumber = row["serial_number"]
        model = row["model"]
        self.method = method
        performedBy = row["performed_by"]
        vendor = row["vendor"]
        certificateNumber = row["certificate_number"]
        certificateReference = row["certificate_reference"]
        self.evidence = evidence
        recordedAt = Timestamp.date(row["recorded_at"]) ?? .distantPast
        recordedBy = row["recorded_by"]
    }

    static let selectSQL = """
        SELECT x.*, d.asset_tag, d.serial_number, m.manufacturer || ' ' || m.name AS model FROM disposals x
        JOIN devices d ON d.id = x.device_id JOIN device_models m ON m.id = d.model_id
        """
}
