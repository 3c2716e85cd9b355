import Foundation

/// One released version of the texts in one language: everything an explanation is assembled from.
///
/// Loaded by ``ConsentTextLibrary/explanationTexts(language:)``, which only hands out released
/// files whose bytes still match the lock.
public struct ExplanationTexts: Sendable, Equatable {
    /// The text names a version must hold, per language, to render an explanation.
    public static let requiredTexts = ["common", "categories", "risks", "precautions", "notices", "labels",
                                       "consent", "contact-sheet"]

    public let version: Int
    public let language: Patient.Language
    /// Released path → SHA-256 of every file used, as recorded with each snapshot.
    public let fileHashes: [String: String]
    let files: [String: ConsentTextFile]
    let keyed: [String: [String: String]]

    init(version: Int, language: Patient.Language, files: [String: ConsentTextFile], fileHashes: [String: String]) throws {
        self.version = version
        self.language = language
        self.files = files
        self.fileHashes = fileHashes
        var keyed: [String: [String: String]] = [:]
        for name in ["categories", "risks", "precautions", "notices", "labels"] {
            guard let file = files[name] else { continue }
            keyed[name] = Dictionary(try file.items().map { ($0.key, $0.text) }, uniquingKeysWith: { first, _ in first })
        }
        self.keyed = keyed
    }

    /// The body of a whole-text file (`common`, `consent`, `contact-sheet`), without trailing newlines.
    public func body(_ text: String) -> String {
        var body = files[text]?.body ?? ""
        while body.hasSuffix("\n") { body.removeLast() }
        return body
    }

    /// The item `key` of a keyed file (`risks`, `precautions`, `categories`, `notices`, `labels`).
    ///
    /// `values` fill `{placeholder}`s. A missing item renders as its key, so a gap is visible in
    /// review rather than silently dropped; ``ConsentTextLibrary/explanationTexts(language:)``
    /// refuses a set that lacks one of the catalogue's items.
    public func item(_ file: String, _ key: String, _ values: [String: String] = [:]) -> String {
        Self.fill(keyed[file]?[key] ?? key, values)
    }

    /// Replaces each `{name}` in `template` with `values[name]` in one pass, so a value that
    /// itself contains braces is never expanded again. Unknown placeholders stay as written.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let value = values[String(rest[rest.index(after: open)..<close])]
            else {
                result.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Whether the keyed file `file` has an item `key` (optional items: countries, month names).
    public func has(_ file: String, _ key: String) -> Bool {
        keyed[file]?[key] != nil
    }

    /// Whether this version is written for patients (version 3 on): items without their codes,
    /// dates and countries in words, contacts with the phone and its hours on one line. Earlier
    /// released versions render exactly as they were released.
    public var isPatientGrade: Bool { version >= 3 }

    /// Keys a keyed file must hold for every explanation of `version` to render.
    static func requiredKeys(_ file: String, version: Int) -> [String] {
        if version >= 3, file == "labels" {
            return ["title", "loan_number", "device", "device_ids", "period", "about_device", "risks", "precautions",
                    "notices", "contacts", "clinic", "clinic_phone", "after_hours", "after_hours_note", "reaches_clinic",
                    "reaches_maker", "reaches_supplier", "maker_support", "maker_phone", "maker_phone_24h", "privacy_desk",
                    "document", "language_name", "item", "date"]
        }
        return requiredKeys(file)
    }

    /// Keys a keyed file must hold in versions 1 and 2.
    static func requiredKeys(_ file: String) -> [String] {
        switch file {
        case "risks": (1...20).map { String(format: "R%02d", $0) }
        case "precautions": (1...19).map { String(format: "P%02d", $0) }
        case "categories": DeviceCategory.allCases.map(\.rawValue)
        case "notices": ExplanationItems.Notice.allCases.map(\.rawValue) + ["cloud_destination"]
        case "labels": ["title", "loan_number", "device", "period", "about_device", "risks", "precautions", "notices",
                        "contacts", "clinic", "after_hours", "reaches_clinic", "reaches_maker", "reaches_supplier",
                        "maker_support", "maker_support_24h", "privacy_desk", "document"]
        default: []
        }
    }

    /// Required keys absent from the loaded files, as `file: key`.
    var missingKeys: [String] {
        ["categories", "risks", "precautions", "notices", "labels"].flatMap { file in
            Self.requiredKeys(file, version: version).filter { keyed[file]?[$0] == nil }.map { "\(file): \($0)" }
        }
    }
}
