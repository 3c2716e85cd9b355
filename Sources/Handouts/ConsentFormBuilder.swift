import LoanRegistry

/// 同意書: pre-filled with the patient, the device, the dates, the explanation version and hash and
/// the items explained; tick boxes, then — always on one page — the addressee, the consent statement,
/// the choice to agree or not, how to withdraw, and signature lines for the patient or a proxy, the
/// date, the explaining staff and a witness, with the QR code.
struct ConsentFormBuilder {
    let frame: HandoutFrame

    func build() -> Document {
        let labels = frame.labels
        let facts = frame.facts
        let loan = frame.loan
        let explanation = loan.explanation
        var rows: [Document.KeyValue] = [
            .init(labels["patient"], loan.patient.name),
            .init(labels["patientNumber"], loan.patient.patientNumber),
        ]
        rows += frame.deviceRows
        rows.append(.init(labels["explanationVersion"],
                          "v\(explanation?.textVersion ?? 0) (\(explanation?.language.rawValue ?? "-")) · \(labels["hash"]) \(frame.shortHash)"))
        let itemRows = (explanation?.risks ?? []).map { [$0, facts.texts.item("risks", $0)] }
            + (explanation?.precautions ?? []).map { [$0, facts.texts.item("precautions", $0)] }
        var ticks: [Document.Checkbox] = [.init(labels["tick.understood"]), .init(labels["tick.contact"])]
        if facts.model.securityProfile.cloudUpload != nil {
            ticks.append(.init(labels["tick.cloud", ["destination": frame.dataDestination]]))
        }
        if facts.model.securityProfile.sharingFeature { ticks.append(.init(labels["tick.sharing"])) }
        ticks.append(.init(labels["tick.research"]))
        let blocks: [Document.Block] = [
            .keyValues(rows),
            .heading(labels["items"]),
            .table(Document.Table(header: ["ID", labels["items"]], rows: itemRows)),
            .heading(labels["ticks"]),
            .checkboxes(ticks),
            .keepTogether([
                .paragraph(labels["addressee", ["clinic": facts.clinic.name]]),
                .paragraph(facts.texts.body("consent")),
                .heading(labels["decision"]),
                .checkboxes([.init(labels["decision.agree"]), .init(labels["decision.disagree"])]),
                .paragraph(labels["withdraw", ["desk": facts.clinic.privacyDesk]]),
                .heading(labels["signatures"]),
                .signatureLines([labels["sign.patient"], labels["sign.proxy"], labels["sign.relationship"], labels["sign.date"],
                                 labels["sign.staff"], labels["sign.witness"]]),
                frame.qrBlock,
            ]),
        ]
        return frame.document(title: labels["consent.title"], blocks: blocks)
    }
}
