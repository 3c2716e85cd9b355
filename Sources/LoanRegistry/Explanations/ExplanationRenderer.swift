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
        let text = Self.canonical(sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n"))
        return Output(text: text, sha256: ContentHash.sha256(text), items: items, textVersion: texts.version,
                      language: texts.language, textFiles: texts.fileHashes)
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
