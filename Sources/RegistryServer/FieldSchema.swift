import LoanRegistry

/// The JSON field names an input object accepts, with the schemas of its nested objects.
///
/// Used to reject unknown fields on create, so a typo (`dueData`) is an error, not silently ignored.
struct FieldSchema: Sendable {
    let names: Set<String>
    let nested: [String: FieldSchema]

    init(_ names: Set<String>, nested: [String: FieldSchema] = [:]) {
        self.names = names
        self.nested = nested
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

    static let deviceModel = FieldSchema(NewDeviceModel.fieldNames, nested: [
        "securityProfile": FieldSchema(SecurityProfile.fieldNames, nested: ["cloudUpload": FieldSchema(["operator", "region"])]),
        "support": FieldSchema(["phone", "hours", "twentyFourHours"]),
    ])
    static let device = FieldSchema(NewDevice.fieldNames)
    static let patient = FieldSchema(NewPatient.fieldNames)
    static let loan = FieldSchema(NewLoan.fieldNames)
    static let loanReturn = FieldSchema(LoanReturn.fieldNames)
    static let cancellation = FieldSchema(["reason"])
}
