public import Foundation

/// A correction of a patient record: the fields to change (others stay) and why.
///
/// The old values are kept in the patient's correction history, never in the audit log.
public struct PatientChanges: Sendable, Equatable, Codable {
    public var patientNumber: String?
    public var name: String?
    public var nameKana: String?
    public var phone: String?
    public var language: Patient.Language?
    /// Why the record is corrected, e.g. `Name misspelt at registration`.
    public var reason: String

    public init(patientNumber: String? = nil, name: String? = nil, nameKana: String? = nil, phone: String? = nil,
                language: Patient.Language? = nil, reason: String) {
        self.patientNumber = patientNumber
        self.name = name
        self.nameKana = nameKana
        self.phone = phone
        self.language = language
        self.reason = reason
    }

    /// `patient` with these changes applied, as a registration would give it (validated the same way).
    func applied(to patient: Patient) throws -> NewPatient {
        var validator = FieldValidator()
        validator.text(reason, "reason", maximum: 500)
        validator.require([patientNumber, name, nameKana, phone].contains { $0 != nil } || language != nil, "",
                          "name at least one field to correct")
        let corrected = NewPatient(patientNumber: patientNumber ?? patient.patientNumber, name: name ?? patient.name,
                                   nameKana: nameKana ?? patient.nameKana, phone: phone ?? patient.phone,
                                   language: language ?? patient.language)
        do {
            try corrected.validate()
        } catch RegistryError.validationFailed(let errors) {
            for error in errors { validator.require(false, error.field, error.message) }
        }
        try validator.check()  // every problem at once
        return corrected
    }
}

/// One correction of a patient record: the old values of the fields changed, who, when, why.
public struct PatientCorrection: Sendable, Equatable, Codable {
    public let correctedAt: Date
    public let correctedBy: String
    public let reason: String
    /// The changed fields' values before the correction, by field name.
    public let previous: [String: String]
}
