public import Foundation
import GRDB

/// A patient who borrows devices. Patients have no accounts; staff act for them.
///
/// Every read of a patient through the registry is audited.
public struct Patient: Sendable, Equatable, Codable, Identifiable {
    /// The language handouts and explanations default to.
    ///
    /// `ja-easy` is やさしい日本語: Japanese in short sentences with few kanji and hospital words
    /// explained, for patients who read Japanese as a second language or with difficulty. It is
    /// chosen per patient like a language and has texts of its own.
    public enum Language: String, Sendable, Codable, CaseIterable {
        /// Japanese.
        case ja
        /// やさしい日本語 (easy Japanese).
        case jaEasy = "ja-easy"
        /// English.
        case en

        /// Whether handouts in this language print the clinic's and the maker's English details
        /// (where given) instead of the Japanese ones.
        public var printsEnglishDetails: Bool { self == .en }

        /// Whether the text is Japanese (`ja` or `ja-easy`): the clinic's Japanese contact details apply.
        public var isJapanese: Bool { self != .en }

        /// The BCP 47 tag of the script and language, for fonts, line breaking and `lang` attributes.
        public var bcp47: String { isJapanese ? "ja" : "en" }
    }

    public let id: String
    /// The clinic's patient number (診察券番号). Unique.
    public var patientNumber: String
    public var name: String
    public var nameKana: String
    public var phone: String
    public var language: Language
    public let createdAt: Date

    init(id: String, patientNumber: String, name: String, nameKana: String, phone: String, language: Language,
         createdAt: Date) {
        self.id = id
        self.patientNumber = patientNumber
        self.name = name
        self.nameKana = nameKana
        self.phone = phone
        self.language = language
        self.createdAt = createdAt
    }

    init(row: Row) {
        id = row["id"]
        patientNumber = row["patient_number"]
        name = row["name"]
        nameKana = row["name_kana"]
        phone = row["phone"]
        language = Language(rawValue: row["language"]) ?? .ja
        createdAt = Timestamp.date(row["created_at"]) ?? .distantPast
    }

    /// The patient whose id or clinic patient number is `id`.
    static func fetch(_ db: Database, id: String) throws -> Patient {
        guard let patient = try db.cachedFirst(sql: "SELECT * FROM patients WHERE id = ? OR patient_number = ?",
                                               arguments: [id, Identifier.folded(id)], { Patient(row: $0) }) else {
            throw RegistryError.notFound(entity: "patient", id: id)
        }
        return patient
    }
}

/// What staff give to register a patient.
public struct NewPatient: Sendable, Equatable, Codable {
    public var patientNumber: String
    public var name: String
    public var nameKana: String?
    public var phone: String?
    public var language: Patient.Language?

    public init(patientNumber: String, name: String, nameKana: String? = nil, phone: String? = nil,
                language: Patient.Language? = nil) {
        self.patientNumber = patientNumber
        self.name = name
        self.nameKana = nameKana
        self.phone = phone
        self.language = language
    }


    func validate() throws {
        var validator = FieldValidator()
        validator.identifier(patientNumber, "patientNumber", maximum: 50)
        validator.text(name, "name", maximum: 100)
        validator.text(nameKana ?? "", "nameKana", maximum: 100, required: false)
        let phone = phone ?? ""
        validator.require(phone.count <= 30 && phone.allSatisfy { $0.isASCII && ($0.isNumber || "-+() ".contains($0)) },
                          "phone", "must be digits, spaces, hyphens, + or parentheses (at most 30)")
        try validator.check()
    }
}
