public import Foundation
import GRDB

/// The clinic's own contact details, printed on every explanation and contact sheet (catalogue §7).
public struct ClinicProfile: Sendable, Equatable, Codable {
    /// Who answers the after-hours number.
    public enum AfterHoursReaches: String, Sendable, Codable, CaseIterable {
        case clinic, maker, supplier
    }

    /// Clinic name, e.g. `さくら内科クリニック`.
    public var name: String
    /// Department lending the devices, e.g. `循環器内科`.
    public var department: String
    /// Daytime phone number.
    public var phone: String
    /// When the daytime number answers, e.g. `平日 9:00〜17:00`.
    public var hours: String
    /// The number to call at night and on holidays.
    public var afterHoursPhone: String
    /// Whether the after-hours number reaches the clinic, the maker or the supplier.
    public var afterHoursReaches: AfterHoursReaches
    /// Where patients ask about their personal data and withdraw consent (desk and phone).
    public var privacyDesk: String
    /// The same details in English, for English handouts. A field left out is printed in Japanese
    /// (a name the clinic does not translate stays as it is).
    public var english: English?
    /// Days overdue after which a loan is listed to decide whether the device is presumed lost
    /// (default 30).
    public var presumedLostAfterDays: Int?
    /// When the profile was last changed, and by whom (set by the registry).
    public private(set) var updatedAt: Date?
    public private(set) var updatedBy: String?

    /// The clinic's details in English (phone numbers are the same in every language).
    public struct English: Sendable, Equatable, Codable {
        /// e.g. `Mihon Clinic`.
        public var name: String?
        /// e.g. `Cardiology`.
        public var department: String?
        /// e.g. `Weekdays 9:00–17:00`.
        public var hours: String?
        /// Printed after the after-hours number, e.g. `The on-call doctor answers.`
        public var afterHoursNote: String?
        /// e.g. `Privacy desk, Medical Affairs, 03-0000-1001`.
        public var privacyDesk: String?

        /// English details; leave out any the clinic does not translate.
        public init(name: String? = nil, department: String? = nil, hours: String? = nil, afterHoursNote: String? = nil,
                    privacyDesk: String? = nil) {
            self.name = name
            self.department = department
            self.hours = hours
            self.afterHoursNote = afterHoursNote
            self.privacyDesk = privacyDesk
        }

        /// Every field with its API name.
        var fields: [(name: String, value: String?)] {
            [("name", name), ("department", department), ("hours", hours), ("afterHoursNote", afterHoursNote),
             ("privacyDesk", privacyDesk)]
        }
    }

    /// The details as printed in `language`: English fields where the clinic gave them, else Japanese
    /// (a name the clinic does not translate is printed as it is).
    public func printed(in language: Patient.Language) -> Printed {
        let english = language.printsEnglishDetails ? self.english : nil
        func pick(_ value: String?, _ fallback: String) -> String {
            guard let value, !value.isEmpty else { return fallback }
            return value
        }
        return Printed(name: pick(english?.name, name), department: pick(english?.department, department), phone: phone,
                       hours: pick(english?.hours, hours), afterHoursPhone: afterHoursPhone,
                       afterHoursReaches: afterHoursReaches, afterHoursNote: english?.afterHoursNote ?? "",
                       privacyDesk: pick(english?.privacyDesk, privacyDesk))
    }

    /// The clinic's details in one language, as a handout prints them.
    public struct Printed: Sendable, Equatable {
        /// The clinic's name.
        public let name: String
        /// The department lending the device.
        public let department: String
        /// The daytime number (the same in every language).
        public let phone: String
        /// When the daytime number answers.
        public let hours: String
        /// The number for nights and holidays.
        public let afterHoursPhone: String
        /// Who answers the after-hours number.
        public let afterHoursReaches: AfterHoursReaches
        /// A note printed after the after-hours number; empty when there is none.
        public let afterHoursNote: String
        /// Where patients ask about their data and withdraw consent.
        public let privacyDesk: String
    }

    public init(name: String, department: String, phone: String, hours: String, afterHoursPhone: String,
                afterHoursReaches: AfterHoursReaches, privacyDesk: String, english: English? = nil) {
        self.name = name
        self.department = department
        self.phone = phone
        self.hours = hours
        self.afterHoursPhone = afterHoursPhone
        self.afterHoursReaches = afterHoursReaches
        self.privacyDesk = privacyDesk
        self.english = english
    }


    func validate() throws {
        var validator = FieldValidator()
        validator.require((1...366).contains(presumedLostAfterDays ?? 30), "presumedLostAfterDays", "must be 1 to 366 days")
        validator.text(name, "name", maximum: 200)
        validator.text(department, "department", maximum: 200)
        validator.text(phone, "phone", maximum: 50)
        validator.text(hours, "hours", maximum: 200)
        validator.text(afterHoursPhone, "afterHoursPhone", maximum: 50)
        validator.text(privacyDesk, "privacyDesk", maximum: 200)
        for (value, field) in [(name, "name"), (department, "department"), (phone, "phone"), (hours, "hours"),
                               (afterHoursPhone, "afterHoursPhone"), (privacyDesk, "privacyDesk")] {
            validator.require(!value.contains("\n"), field, "must be a single line")
        }
        for field in english?.fields ?? [] {
            guard let value = field.value else { continue }
            validator.text(value, "english.\(field.name)", maximum: 200, required: false)
            validator.require(!value.contains("\n"), "english.\(field.name)", "must be a single line")
        }
        try validator.check()
    }

    /// The stored profile, or `nil` before one is set.
    static func fetch(_ db: Database) throws -> ClinicProfile? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM clinic_profile WHERE id = 1") else { return nil }
        var profile = ClinicProfile(
            name: row["name"], department: row["department"], phone: row["phone"], hours: row["hours"],
            afterHoursPhone: row["after_hours_phone"],
            afterHoursReaches: AfterHoursReaches(rawValue: row["after_hours_reaches"]) ?? .clinic,
            privacyDesk: row["privacy_desk"])
        let english = English(name: row["name_en"], department: row["department_en"], hours: row["hours_en"],
                              afterHoursNote: row["after_hours_note_en"], privacyDesk: row["privacy_desk_en"])
        let given = english.fields.contains { !($0.value ?? "").isEmpty }
        profile.english = given ? English(
            name: english.name.nonEmpty, department: english.department.nonEmpty, hours: english.hours.nonEmpty,
            afterHoursNote: english.afterHoursNote.nonEmpty, privacyDesk: english.privacyDesk.nonEmpty) : nil
        profile.presumedLostAfterDays = row["presumed_lost_after_days"]
        profile.updatedAt = Timestamp.date(row["updated_at"])
        profile.updatedBy = row["updated_by"]
        return profile
    }

    /// The stored profile, or ``RegistryError/clinicProfileMissing`` (no explanation can be rendered without it).
    static func require(_ db: Database) throws -> ClinicProfile {
        guard let profile = try fetch(db) else { throw RegistryError.clinicProfileMissing }
        return profile
    }
}

private extension Optional<String> {
    /// `nil` for an empty or missing string (an empty column means "not translated").
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
