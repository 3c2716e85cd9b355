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
    /// When the profile was last changed, and by whom (set by the registry).
    public private(set) var updatedAt: Date?
    public private(set) var updatedBy: String?

    public init(name: String, department: String, phone: String, hours: String, afterHoursPhone: String,
                afterHoursReaches: AfterHoursReaches, privacyDesk: String) {
        self.name = name
        self.department = department
        self.phone = phone
        self.hours = hours
        self.afterHoursPhone = afterHoursPhone
        self.afterHoursReaches = afterHoursReaches
        self.privacyDesk = privacyDesk
    }


    func validate() throws {
        var validator = FieldValidator()
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
