import Foundation
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

    /// How it was done.
    public var method: Method
    /// Who did it (a staff login or the vendor's person).
    public var performedBy: String
    /// The vendor or lessor.
    public var vendor: String?
    /// The vendor's certificate number.
    public var certificateNumber: String?
    /// Where the certificate is kept (scan, file).
    public var certificateReference: String?
    /// The person disposing confirms no readable medical data remains; must be `true`.
    public var noReadableDataConfirmed: Bool

    /// Creates the value from its fields.
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
