import Foundation
import LoanRegistry

/// The JSON field names an input object accepts, with the schemas of its nested objects.
///
/// Used to reject unknown fields on create, so a typo (`dueData`) is an error, not silently ignored.
struct FieldSchema: Sendable {
    let names: Set<String>
    let nested: [String: FieldSchema]
    /// Fields that must be whole numbers (checked before decoding, because Foundation's decoder
    /// reports `1e30` or `1.5` for an `Int` without naming the field).
    let integers: Set<String>

    init(_ names: Set<String>, integers: Set<String> = [], nested: [String: FieldSchema] = [:]) {
        self.names = names
        self.nested = nested
        self.integers = integers
    }

    /// Paths of integer fields in `object` whose value is a number but not a whole one in range.
    func nonIntegers(in object: [String: Any]) -> [String] {
        integers.sorted().filter { key in
            guard let number = object[key] as? NSNumber, !(object[key] is Bool) else { return false }
            let value = number.doubleValue
            return value.rounded() != value || abs(value) > Double(Int32.max)
        }
    }

    /// Paths of the fields in `object` this schema does not know.
    func unknownFields(in object: [String: Any], path: String = "") -> [String] {
        object.keys.sorted().flatMap { key -> [String] in
            let fieldPath = path.isEmpty ? key : "\(path).\(key)"
            guard names.contains(key) else { return [fieldPath] }
            if let schema = nested[key], let child = object[key] as? [String: Any] {
                return schema.unknownFields(in: child, path: fieldPath)
            }
            return []
        }
    }

    static let deviceModel = FieldSchema(NewDeviceModel.fieldNames, integers: ["defaultLoanDays"], nested: [
        "securityProfile": FieldSchema(SecurityProfile.fieldNames, nested: ["cloudUpload": FieldSchema(["operator", "region"])]),
        "support": FieldSchema(["phone", "hours", "twentyFourHours"]),
    ])
    static let device = FieldSchema(NewDevice.fieldNames)
    static let patient = FieldSchema(NewPatient.fieldNames)
    static let loan = FieldSchema(NewLoan.fieldNames)
    static let loanReturn = FieldSchema(LoanReturn.fieldNames)
    static let cancellation = FieldSchema(["reason"])
    static let loanChanges = FieldSchema(LoanChanges.fieldNames)
    static let clinic = FieldSchema(ClinicProfile.fieldNames)
    static let consent = FieldSchema(NewConsent.fieldNames, nested: [
        "signer": FieldSchema(NewConsent.signerFieldNames),
        "scope": FieldSchema(NewConsent.scopeFieldNames),
        "signature": FieldSchema(NewConsent.signatureFieldNames),
    ])
    static let withdrawal = FieldSchema(NewConsentWithdrawal.fieldNames)
    static let contactSheet = FieldSchema(ContactSheetGiven.fieldNames, integers: ["handoutVersion"])
}
