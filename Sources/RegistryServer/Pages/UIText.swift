import LoanRegistry

/// The words of the staff pages in Japanese and English, from `Templates/ui-text.tsv`
/// (key, Japanese, English; one line each), and the messages for registry errors.
enum UIText {
    /// `key → (ja, en)`, read once from the compiled-in table.
    static let entries: [String: (ja: String, en: String)] = {
        var entries: [String: (ja: String, en: String)] = [:]
        for line in String(decoding: PackageResources.ui_text_tsv, as: UTF8.self).split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3, !line.hasPrefix("#") else { continue }
            entries[columns[0]] = (columns[1], columns[2])
        }
        return entries
    }()

    /// The text `key` in `language`; the key itself when missing (a test checks none is).
    static func text(_ key: String, _ language: UILanguage) -> String {
        guard let entry = entries[key] else { return key }
        return language == .ja ? entry.ja : entry.en
    }

    /// Who did something, as staff read it: the login (`sato`), or 「システム」.
    static func actorName(_ stored: String, _ language: UILanguage) -> String {
        if stored.hasPrefix("staff:") { return String(stored.dropFirst(6)) }
        return stored == "system" ? text("actor.system", language) : stored
    }

    /// An audit action in words where the table has them (`patient.read` → 「患者情報の閲覧」), else its code.
    static func eventName(_ action: String, _ language: UILanguage) -> String {
        entries["action." + action] == nil ? action : text("action." + action, language)
    }

    /// The role's name.
    static func roleName(_ role: StaffRole?, _ language: UILanguage) -> String {
        text("role." + (role?.rawValue ?? "none"), language)
    }

    /// What went wrong, in words staff can act on: the problem catalogue's message for the
    /// error's code, the fields of a validation problem, every missing step of the hand-over gate.
    static func message(for error: any Error, _ language: UILanguage) -> String {
        if case RegistryError.handoverBlocked(_, let missing) = error {
            return missing.map { guidance($0, language) }.joined(separator: " ")
        }
        let problem = ProblemDetails(error)
        var message = ProblemText.text(problem.code, japanese: language == .ja) ?? problem.title
        if let fields = problem.errors, !fields.isEmpty {
            // The registry explains a field in English; a Japanese page names the field and shows
            // only what the pages themselves wrote in Japanese.
            message += " " + fields.map { field in
                let name = (entries["field." + field.field] ?? entries[field.field]).map { language == .ja ? $0.ja : $0.en } ?? field.field
                guard language == .ja else { return "\(name): \(field.message)" }
                return field.message.unicodeScalars.contains { $0.value > 0x2E7F } ? "\(name)（\(field.message)）" : name
            }.joined(separator: language == .ja ? "、" : " / ")
        }
        return message
    }

    /// The hand-over gate's answer as guidance (「同意がまだです」), never a code.
    static func guidance(_ requirement: HandoverRequirement, _ language: UILanguage) -> String {
        ProblemText.text(requirement.rawValue, japanese: language == .ja) ?? requirement.message
    }

    /// A loan status in words.
    static func status(_ status: LoanStatus, _ language: UILanguage) -> String {
        text("loanStatus." + status.rawValue, language)
    }

    /// A device status in words.
    static func status(_ status: DeviceStatus, _ language: UILanguage) -> String {
        text("deviceStatus." + status.rawValue, language)
    }

    /// A device category in words.
    static func category(_ category: DeviceCategory, _ language: UILanguage) -> String {
        text("category." + category.rawValue, language)
    }
}
