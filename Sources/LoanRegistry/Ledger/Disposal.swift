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

    /// The record's id (UUID).
    public let id: String
    /// The device's id.
    public let deviceId: String
    /// The device's asset tag.
    public let assetTag: String
    /// The maker's serial number.
    public let serialNumber: String
    /// The model, as manufacturer and name.
    public let model: String
    /// How it was done.
    public let method: NewDisposal.Method
    /// Who did it.
    public let performedBy: String
    /// The vendor or lessor.
    public let vendor: String?
    /// The vendor's certificate number.
    public let certificateNumber: String?
    /// Where the certificate is kept.
    public let certificateReference: String?
    /// What shows that no patient data left with the device.
    public let evidence: Evidence
    /// When it was recorded.
    public let recordedAt: Date
    /// Who recorded it.
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
