import Foundation

/// Assembles the explanation a patient is shown for one loan, as one canonical text.
///
/// Order (DESIGN §5): title and loan facts, the common block, the category block, the risks and
/// precautions the security profile selects (``ExplanationItems``), the profile's notices, the
/// clinic and maker contacts, and document control. The text is NFC-normalised with LF line
/// ends and a final newline, so the same inputs always give the same bytes and the same SHA-256.
public struct ExplanationRenderer: Sendable {
    /// Everything about the loan the text mentions. No patient data: the text names the loan by number.
    public struct Input: Sendable, Equatable {
        public var loanNumber: String
        public var manufacturer: String
        public var modelName: String
        public var assetTag: String
        public var serialNumber: String
        public var category: DeviceCategory
        public var profile: SecurityProfile
        public var support: DeviceModel.Support
        public var startDate: LocalDate
        public var dueDate: LocalDate
        public var clinic: ClinicProfile
        /// The day the explanation is rendered (decides whether support has ended).
        public var today: LocalDate

        public init(loanNumber: String, manufacturer: String, modelName: String, assetTag: String, serialNumber: String,
                    category: DeviceCategory, profile: SecurityProfile, support: DeviceModel.Support,
                    startDate: LocalDate, dueDate: LocalDate, clinic: ClinicProfile, today: LocalDate) {
            self.loanNumber = loanNumber
            self.manufacturer = manufacturer
            self.modelName = modelName
            self.assetTag = assetTag
            self.serialNumber = serialNumber
            self.category = category
            self.profile = profile
            self.support = support
            self.startDate = startDate
            self.dueDate = dueDate
            self.clinic = clinic
            self.today = today
        }
    }

    /// The rendered explanation and what it was made from.
    public struct Output: Sendable, Equatable {
        public let text: String
        public let sha256: String
        public let items: ExplanationItems
        public let textVersion: Int
        public let language: Patient.Language
        public let textFiles: [String: String]
    }

    public let texts: ExplanationTexts

    public init(texts: ExplanationTexts) {
        self.texts = texts
    }

    /// Renders the explanation for `input`.
    public func render(_ input: Input) -> Output {
        let items = ExplanationItems(category: input.category, profile: input.profile, today: input.today)
        let sections = texts.isPatientGrade ? patientGradeSections(input, items) : codedSections(input, items)
        let text = Self.canonical(sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n"))
        return Output(text: text, sha256: ContentHash.sha256(text), items: items, textVersion: texts.version,
                      language: texts.language, textFiles: texts.fileHashes)
    }

    /// Versions 1 and 2, exactly as released: each item with its code (`R01: …`).
    private func codedSections(_ input: Input, _ items: ExplanationItems) -> [[String]] {
        var sections: [[String]] = []
        sections.append([
            label("title"),
            label("loan_number", ["number": input.loanNumber]),
            label("device", ["manufacturer": input.manufacturer, "model": input.modelName,
                             "asset_tag": input.assetTag, "serial_number": input.serialNumber]),
            label("period", ["start": input.startDate.description, "due": input.dueDate.description]),
        ])
        sections.append([texts.body("common")])
        sections.append([label("about_device"), texts.item("categories", input.category.rawValue)])
        sections.append([label("risks")] + items.risks.map { "\($0): " + texts.item("risks", $0) })
        sections.append([label("precautions")] + items.precautions.map { "\($0): " + texts.item("precautions", $0) })
        var notices = input.profile.cloudUpload.map { cloud in
            [texts.item("notices", "cloud_destination", ["operator": cloud.operator, "region": cloud.region])]
        } ?? []
        notices += items.notices.map { texts.item("notices", $0.rawValue) }
        if !notices.isEmpty { sections.append([label("notices")] + notices) }
        let clinic = input.clinic
        let support = input.support
        sections.append([
            label("contacts"),
            texts.body("contact-sheet"),
            label("clinic", ["name": clinic.name, "department": clinic.department, "phone": clinic.phone,
                             "hours": clinic.hours]),
            label("after_hours", ["phone": clinic.afterHoursPhone,
                                  "reaches": label("reaches_\(clinic.afterHoursReaches.rawValue)")]),
            label(support.twentyFourHours ? "maker_support_24h" : "maker_support",
                  ["manufacturer": input.manufacturer, "phone": support.phone, "hours": support.hours]),
            label("privacy_desk", ["desk": clinic.privacyDesk]),
        ])
        sections.append([label("document", ["version": String(texts.version), "language": texts.language.rawValue])])
        return sections
    }

    /// Version 3 on, written for patients: items as a bulleted list without codes (the codes are
    /// in the document-control line for staff), dates and the cloud's country in words, the
    /// clinic's details in the text's language, and each phone number on a line with its hours.
    private func patientGradeSections(_ input: Input, _ items: ExplanationItems) -> [[String]] {
        let bullet = { (text: String) in label("item", ["text": text]) }
        var sections: [[String]] = []
        sections.append([
            label("title"),
            label("loan_number", ["number": input.loanNumber]),
            label("device", ["manufacturer": input.manufacturer, "model": input.modelName]),
            label("device_ids", ["asset_tag": input.assetTag, "serial_number": input.serialNumber]),
            label("period", ["start": date(input.startDate), "due": date(input.dueDate)]),
        ])
        sections.append([texts.body("common")])
        sections.append([label("about_device"), texts.item("categories", input.category.rawValue)])
        sections.append([label("risks")] + items.risks.map { bullet(itemText("risks", $0, profile: input.profile)) })
        sections.append([label("precautions")] + items.precautions.map { bullet(itemText("precautions", $0, profile: input.profile)) })
        var notices = input.profile.cloudUpload == nil ? [] : [itemText("notices", "cloud_destination", profile: input.profile)]
        notices += items.notices.map { texts.item("notices", $0.rawValue) }
        if !notices.isEmpty { sections.append([label("notices")] + notices.map(bullet)) }
        let clinic = input.clinic.printed(in: texts.language)
        let support = input.support
        var contacts = [
            label("contacts"),
            texts.body("contact-sheet"),
            label("clinic", ["name": clinic.name, "department": clinic.department]),
            label("clinic_phone", ["phone": clinic.phone, "hours": clinic.hours]),
            label("after_hours", ["phone": clinic.afterHoursPhone, "reaches": label("reaches_\(clinic.afterHoursReaches.rawValue)")]),
        ]
        if !clinic.afterHoursNote.isEmpty { contacts.append(label("after_hours_note", ["note": clinic.afterHoursNote])) }
        contacts += [
            label("maker_support", ["manufacturer": input.manufacturer]),
            label(support.twentyFourHours ? "maker_phone_24h" : "maker_phone",
                  ["phone": support.phone, "hours": support.hours(in: texts.language)]),
            label("privacy_desk", ["desk": clinic.privacyDesk]),
        ]
        sections.append(contacts)
        sections.append([label("document", ["version": String(texts.version), "language": label("language_name"),
                                            "items": (items.risks + items.precautions).joined(separator: " ")])])
        return sections
    }

    /// The text of item `id` of a keyed file (`risks`, `precautions`, `notices`) without its code,
    /// filled with what the profile says about its cloud (operator, country by name).
    public func itemText(_ file: String, _ id: String, profile: SecurityProfile) -> String {
        let cloud = profile.cloudUpload.map {
            ["operator": $0.operator, "country": country($0.region), "region": country($0.region)]
        } ?? [:]
        return texts.item(file, id, cloud)
    }

    /// What a bulleted line of a patient-grade text starts with (`・`, `• `); empty before version 3.
    public var itemPrefix: String {
        guard texts.isPatientGrade else { return "" }
        return String(label("item", ["text": "\u{0}"]).prefix { $0 != "\u{0}" })
    }

    /// A date in the text's words (`2026年12月1日`, `December 1, 2026`).
    public func date(_ date: LocalDate) -> String {
        let months = texts.has("labels", "months")
            ? label("months").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
        let monthName = months.count == 12 ? months[date.month - 1] : String(date.month)
        return label("date", ["year": String(date.year), "month": String(date.month), "day": String(date.day),
                              "month_name": monthName])
    }

    /// A country or region by name when the texts know its code (`US` → 米国), else as the profile gives it.
    public func country(_ region: String) -> String {
        let key = "country.\(region.trimmingCharacters(in: .whitespaces).uppercased())"
        return texts.has("labels", key) ? label(key) : region
    }

    /// NFC, LF line ends, no trailing spaces on a line, exactly one final newline.
    public static func canonical(_ text: String) -> String {
        let lines = text.precomposedStringWithCanonicalMapping
            .replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                var line = Substring(line)
                while line.last == " " || line.last == "\t" { line.removeLast() }
                return String(line)
            }
        var result = lines.joined(separator: "\n")
        while result.hasSuffix("\n") { result.removeLast() }
        return result + "\n"
    }

    private func label(_ key: String, _ values: [String: String] = [:]) -> String {
        texts.item("labels", key, values)
    }
}
