/// A wipe of a returned device, as staff record it (guideline ⑩): how, who did it, who checked
/// that no readable patient data remains, and whether the data was exported first.
public struct NewSanitization: Sendable, Equatable, Codable {
    /// One of the model's wipe methods.
    public var method: SecurityProfile.WipeMethod
    /// Login of the staff member who wiped it.
    public var performedBy: String
    /// Login of a different staff member who verified it.
    public var verifiedBy: String
    /// Whether the measurements were exported (to the clinic's records) before the wipe.
    public var dataExportedFirst: Bool
    /// Where the export went (required when `dataExportedFirst`).
    public var exportReference: String?
    /// Notes (no patient data).
    public var notes: String?

    /// Creates the value from its fields.
    public init(method: SecurityProfile.WipeMethod, performedBy: String, verifiedBy: String, dataExportedFirst: Bool,
                exportReference: String? = nil, notes: String? = nil) {
        self.method = method
        self.performedBy = performedBy
        self.verifiedBy = verifiedBy
        self.dataExportedFirst = dataExportedFirst
        self.exportReference = exportReference
        self.notes = notes
    }

    func validate() throws {
        var validator = FieldValidator()
        validator.text(performedBy, "performedBy", maximum: 100)
        validator.text(verifiedBy, "verifiedBy", maximum: 100)
        validator.text(exportReference ?? "", "exportReference", maximum: 300, required: dataExportedFirst)
        validator.text(notes ?? "", "notes", maximum: 2000, required: false)
        try validator.check()
    }
}
