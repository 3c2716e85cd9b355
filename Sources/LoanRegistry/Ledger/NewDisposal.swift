public import Foundation
import GRDB

/// The disposal of a retired device (guideline ⑪), as a manager records it.
public struct NewDisposal: Sendable, Equatable, Codable {
    /// How the device left the clinic.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// A disposal vendor destroyed it and certified it.
        case vendorDestruction = "vendor_destruction"
        /// The clinic destroyed it (the storage physically broken).
        case physicalDestruction = "physical_destruction"
        /// Returned to the maker or lessor, who certifies the wipe.
        case returnedToLessor = "returned_to_lessor"
    }

    public var method: Method
    /// Who did it (a staff login or the vendor's person).
    public var performedBy: String
    public var vendor: String?
    public var certificateNumber: String?
    /// Where the certificate is kept (scan, file).
    public var certificateReference: String?
    /// The person disposing confirms no readable medical data remains; must be `true`.
    public var noReadableDataConfirmed: Bool

    public init(method: Method, performedBy: String, vendor: String? = nil, certificateNumber: String? = nil,
                certificateReference: String? = nil, noReadableDataConfirmed: Bool) {
        self.method = method
        self.performedBy = performedBy
        self.vendor = vendor
        self.certificateNumber = certificateNumber
        self.certificateReference = certificateReference
        self.noReadableDataConfirmed = noReadableDataConfirmed
    }

    /// Whether a vendor's certificate is named.
    var hasCertificate: Bool { !(certificateNumber ?? "").isEmpty || !(certificateReference ?? "").isEmpty }

    func validate() throws {
        var validator = FieldValidator()
        validator.text(performedBy, "performedBy", maximum: 200)
        validator.text(vendor ?? "", "vendor", maximum: 200, required: method != .physicalDestruction)
        validator.text(certificateNumber ?? "", "certificateNumber", maximum: 100, required: false)
        validator.text(certificateReference ?? "", "certificateReference", maximum: 300, required: false)
        validator.require(noReadableDataConfirmed, "noReadableDataConfirmed", "must be true: confirm that no readable medical data remains")
        try validator.check()
    }
}

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
