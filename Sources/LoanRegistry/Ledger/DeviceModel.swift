public import Foundation
import GRDB

/// A make and model of device the clinic lends, with its security profile and maker support.
public struct DeviceModel: Sendable, Equatable, Codable, Identifiable {
    /// The maker's or supplier's support line, printed on the contact sheet.
    public struct Support: Sendable, Equatable, Codable {
        public var phone: String
        public var hours: String
        public var twentyFourHours: Bool
        /// The hours in English, for English handouts (`nil`: ``hours`` is printed).
        public var hoursEnglish: String?

        public init(phone: String, hours: String, twentyFourHours: Bool, hoursEnglish: String? = nil) {
            self.phone = phone
            self.hours = hours
            self.twentyFourHours = twentyFourHours
            self.hoursEnglish = hoursEnglish
        }

        /// The hours as printed in `language`.
        public func hours(in language: Patient.Language) -> String {
            guard language.printsEnglishDetails, let hoursEnglish, !hoursEnglish.isEmpty else { return hours }
            return hoursEnglish
        }
    }

    public let id: String
    public var manufacturer: String
    public var name: String
    public var category: DeviceCategory
    public var securityProfile: SecurityProfile
    public var support: Support
    /// Loan length used when a loan gives no due date.
    public var defaultLoanDays: Int
    public let createdAt: Date

    init(row: Row) throws {
        id = row["id"]
        manufacturer = row["manufacturer"]
        name = row["name"]
        guard let category = DeviceCategory(rawValue: row["category"]) else {
            throw StorageError.unavailable(reason: "unknown device category in device_models")
        }
        self.category = category
        securityProfile = try JSONColumn.decode(SecurityProfile.self, row["security_profile"])
        let hoursEnglish: String = row["support_hours_en"] ?? ""
        support = Support(phone: row["support_phone"], hours: row["support_hours"], twentyFourHours: row["support_24_hours"],
                          hoursEnglish: hoursEnglish.isEmpty ? nil : hoursEnglish)
        defaultLoanDays = row["default_loan_days"]
        createdAt = Timestamp.date(row["created_at"]) ?? .distantPast
    }

    static func fetch(_ db: Database, id: String) throws -> DeviceModel {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM device_models WHERE id = ?", arguments: [id]) else {
            throw RegistryError.notFound(entity: "device model", id: id)
        }
        return try DeviceModel(row: row)
    }
}

/// What staff give to register a device model.
public struct NewDeviceModel: Sendable, Equatable, Codable {
    public var manufacturer: String
    public var name: String
    public var category: DeviceCategory
    public var securityProfile: SecurityProfile
    public var support: DeviceModel.Support
    public var defaultLoanDays: Int

    public init(
        manufacturer: String, name: String, category: DeviceCategory, securityProfile: SecurityProfile,
        support: DeviceModel.Support, defaultLoanDays: Int
    ) {
        self.manufacturer = manufacturer
        self.name = name
        self.category = category
        self.securityProfile = securityProfile
        self.support = support
        self.defaultLoanDays = defaultLoanDays
    }


    func validate() throws {
        var validator = FieldValidator()
        validator.text(manufacturer, "manufacturer", maximum: 200)
        validator.text(name, "name", maximum: 200)
        validator.text(support.phone, "support.phone", maximum: 50)
        validator.text(support.hours, "support.hours", maximum: 200)
        validator.text(support.hoursEnglish ?? "", "support.hoursEnglish", maximum: 200, required: false)
        validator.require(!(support.hoursEnglish ?? "").contains("\n"), "support.hoursEnglish", "must be a single line")
        validator.require((1...366).contains(defaultLoanDays), "defaultLoanDays", "must be between 1 and 366")
        securityProfile.validate(into: &validator, at: "securityProfile")
        try validator.check()
    }
}
