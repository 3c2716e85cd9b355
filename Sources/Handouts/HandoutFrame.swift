import LoanRegistry

/// What every handout of a loan shares: header, document-control footer, QR code, device rows.
struct HandoutFrame {
    let facts: HandoutFacts
    let labels: HandoutLabels

    init(_ facts: HandoutFacts) {
        self.facts = facts
        labels = HandoutLabels(language: facts.language)
    }

    var loan: Loan { facts.loan }
    /// SHA-256 of the current explanation.
    var sha256: String { loan.explanation?.sha256 ?? "" }
    /// The first 12 hex digits, as printed.
    var shortHash: String { String(sha256.prefix(12)) }
    /// Printed and encoded in the QR code: derived from the loan number and the explanation hash,
    /// so staff can check a printed sheet against the registry.
    var checkCode: String { HandoutFrame.checkCode(number: loan.number, sha256: sha256) }
    /// ConsentTexts version and frame wording version, e.g. `2.1`.
    var handoutVersion: String { "\(facts.texts.version).\(HandoutLabels.version)" }

    static func checkCode(number: String, sha256: String) -> String {
        HandoutCheckCode.of(loan: number, sha256: sha256)
    }

    func document(title: String, blocks: [Document.Block]) -> Document {
        let explanation = loan.explanation
        let footer = [
            "\(labels["loan"]) \(loan.number)",
            "\(labels["explanationVersion"]) v\(explanation?.textVersion ?? 0) (\(explanation?.language.rawValue ?? "-")) #\(explanation?.sequence ?? 0)",
            "\(labels["hash"]) \(shortHash)",
            "\(labels["handoutVersion"]) v\(handoutVersion)",
            "\(labels["code"]) \(checkCode)",
        ].joined(separator: " · ")
        return Document(language: facts.language.rawValue, title: title,
                        header: "\(facts.clinic.name)　\(facts.clinic.department)　\(facts.clinic.phone)",
                        footer: footer, blocks: blocks)
    }

    var qrBlock: Document.Block {
        .qrCode(payload: "loan-registry:\(loan.number):\(checkCode)",
                caption: labels["qr.caption", ["number": loan.number, "code": checkCode]])
    }

    var deviceRows: [Document.KeyValue] {
        [
            .init(labels["loan"], loan.number),
            .init(labels["device"], "\(facts.model.manufacturer) \(facts.model.name)"),
            .init(labels["asset"], loan.device.assetTag),
            .init(labels["serial"], loan.device.serialNumber),
            .init(labels["period"], "\(loan.startDate) – \(loan.dueDate)"),
        ]
    }

    var dataDestination: String {
        guard let cloud = facts.model.securityProfile.cloudUpload else { return labels["data.none"] }
        return labels["data.cloud", ["operator": cloud.operator, "region": cloud.region]]
    }
}
