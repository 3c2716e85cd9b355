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
        let ticks: [Document.Checkbox] = [.init(labels["tick.understood"]), .init(labels["tick.contact"])]
        // Each question the model raises gets a yes and a no, so an unanswered one shows (the
        // registry records only explicit answers: Consents.checkScope).
        let profile = facts.model.securityProfile
        var scope: [Document.Block] = [.heading(labels["scope"])]
        if profile.asksAboutMakerCloud {
            scope += [.paragraph(labels["scope.cloud", ["destination": frame.dataDestination]]),
                      .checkboxes([.init(labels["yes"]), .init(labels["no.cloud"])])]
        }
        if profile.asksAboutSharing {
            scope += [.paragraph(labels["scope.sharing"]), .checkboxes([.init(labels["yes"]), .init(labels["no"])])]
        }
        scope += [.paragraph(labels["scope.research"]), .checkboxes([.init(labels["yes"]), .init(labels["no"])])]
        let blocks: [Document.Block] = [
            .keyValues(rows),
            .heading(labels["items"]),
            .table(Document.Table(header: ["ID", labels["items"]], rows: itemRows)),
            .heading(labels["ticks"]),
            .checkboxes(ticks),
            // The scope questions on one page, then the statement with every signature line on one page.
            .keepTogether(scope),
            .keepTogether([
                .paragraph(labels["addressee", ["clinic": facts.clinic.name]]),
                .paragraph(facts.texts.body("consent")),
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
