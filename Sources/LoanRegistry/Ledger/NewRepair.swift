/// A device sent to a vendor for repair: to whom, the vendor's reference, and how the patient data
/// on it was handled before it left the clinic.
public struct NewRepair: Sendable, Equatable, Codable {
    /// How the patient data was handled before the device left.
    public enum DataHandling: String, Sendable, Codable, CaseIterable {
        /// Wiped (and the wipe recorded) since it last came back from a patient.
        case wipedBefore = "wiped_before"
        /// Sent as it is; the vendor's contract and certificate cover the data.
        case vendorCertificate = "vendor_certificate"
        /// The model holds no patient data.
        case notDataBearing = "not_data_bearing"
    }

    /// The vendor or lessor.
    public var vendor: String
    /// The receipt number or file reference.
    public var reference: String
    /// How the patient data was handled before it left.
    public var dataHandling: DataHandling
    /// Notes (no patient data).
    public var notes: String?

    /// Creates the value from its fields.
    public init(vendor: String, reference: String, dataHandling: DataHandling, notes: String? = nil) {
        self.vendor = vendor
        self.reference = reference
        self.dataHandling = dataHandling
        self.notes = notes
    }

    func validate() throws {
        var validator = FieldValidator()
        validator.text(vendor, "vendor", maximum: 200)
        validator.text(reference, "reference", maximum: 100)
        validator.text(notes ?? "", "notes", maximum: 2000, required: false)
        try validator.check()
    }
}
