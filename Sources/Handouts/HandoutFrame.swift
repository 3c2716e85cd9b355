import LoanRegistry

/// What every handout of a loan shares: header, footer, QR code, device rows, and the texts of
/// the loan's explanation (its language and version) for items and dates.
struct HandoutFrame {
    let facts: HandoutFacts
    let labels: HandoutLabels
    let size: Document.PrintSize
    /// Items, dates and countries in the words of the explanation's texts.
    let words: ExplanationRenderer
    /// The clinic's details in the handout's language.
    let clinic: ClinicProfile.Printed

    init(_ facts: HandoutFacts, size: Document.PrintSize) {
        self.facts = facts
        self.size = size
        labels = HandoutLabels(language: facts.language)
        words = ExplanationRenderer(texts: facts.texts)
        clinic = facts.clinic.printed(in: facts.language)
    }

    var loan: Loan { facts.loan }
    /// Whether the explanation's texts are written for patients (no item codes; version 3 on).
    var patientGrade: Bool { facts.texts.isPatientGrade }
    /// SHA-256 of the current explanation.
    var sha256: String { loan.explanation?.sha256 ?? "" }
    /// The first 12 hex digits.
    var shortHash: String { String(sha256.prefix(12)) }
    /// Printed and encoded in the QR code: derived from the loan number and the explanation hash,
    /// so staff can check a printed sheet against the registry.
    var checkCode: String { HandoutFrame.checkCode(number: loan.number, sha256: sha256) }
    /// ConsentTexts version and frame wording version, e.g. `3.3`.
    var handoutVersion: String { "\(facts.texts.version).\(HandoutLabels.version)" }
    /// `説明書 第3版`, `Explanation version 3`.
    var edition: String { labels["explanationEdition", ["version": String(loan.explanation?.textVersion ?? facts.texts.version)]] }

    static func checkCode(number: String, sha256: String) -> String {
        HandoutCheckCode.of(loan: number, sha256: sha256)
    }

    /// The document with the page header (the clinic) and the one-line footer a patient can read:
    /// loan number · explanation version · check code (the renderer adds "n / N").
    func document(title: String, blocks: [Document.Block]) -> Document {
        let footer = ["\(labels["footer.loan"]) \(loan.number)", edition, "\(labels["code"]) \(checkCode)"].joined(separator: " · ")
        return Document(language: facts.language.bcp47, title: title,
                        header: [clinic.name, clinic.department, clinic.phone].joined(separator: labels["header.separator"]),
                        footer: footer, blocks: blocks, size: size)
    }

    /// The QR code: loan number, check code and the explanation's full SHA-256.
    var qrBlock: Document.Block {
        .qrCode(payload: "loan-registry:\(loan.number):\(checkCode):\(sha256)",
                caption: labels["qr.caption", ["number": loan.number, "code": checkCode, "handout": handoutVersion]])
    }

    /// A date as the explanation's texts write it (`2026年12月1日`; ISO before version 3).
    func date(_ date: LocalDate) -> String {
        patientGrade ? words.date(date) : date.description
    }

    var deviceRows: [Document.KeyValue] {
        [
            .init(labels["loan"], loan.number),
            .init(labels["device"], "\(facts.model.manufacturer) \(facts.model.name)"),
            .init(labels["asset"], loan.device.assetTag),
            .init(labels["serial"], loan.device.serialNumber),
            .init(labels["period"], "\(date(loan.startDate)) – \(date(loan.dueDate))"),
        ]
    }

    var dataDestination: String {
        guard let cloud = facts.model.securityProfile.cloudUpload else { return labels["data.none"] }
        return labels["data.cloud", ["operator": cloud.operator, "country": words.country(cloud.region)]]
    }

    /// An explained item as the patient reads it: without its code from version 3 on.
    func item(_ file: String, _ id: String) -> String {
        let text = words.itemText(file, id, profile: facts.model.securityProfile)
        return patientGrade ? text : "\(id): \(text)"
    }

    /// `電話 03-…（平日 9:00〜17:00）`: a phone number and its hours, on one line.
    func phone(_ number: String, hours: String) -> String {
        labels["phoneHours", ["phone": number, "hours": hours]]
    }
}
