import LoanRegistry

/// 同意書: pre-filled with the patient, the device, the dates, the explanation (version, check code,
/// full hash) and the items explained; tick boxes and the scope questions, then — always on one
/// page — the addressee, the statement, the choice to agree or not (from version 3 on, whose
/// statement does not itself agree), how to withdraw, and signature lines for the patient or a
/// proxy, the date, the explaining staff and a witness, with the QR code.
struct ConsentFormBuilder {
    let frame: HandoutFrame

    func build() -> Document {
        let labels = frame.labels
        let facts = frame.facts
        let loan = frame.loan
        var rows: [Document.KeyValue] = [
            .init(labels["patient"], loan.patient.name),
            .init(labels["patientNumber"], loan.patient.patientNumber),
        ]
        rows += frame.deviceRows
        // The clinic keeps the signed form: it names the explanation exactly (the full SHA-256).
        let version = String(loan.explanation?.textVersion ?? facts.texts.version)
        rows.append(.init(labels["explanationVersion"],
                          "\(labels["explanationEditionShort", ["version": version]]) · \(labels["code"]) \(frame.checkCode)"))
        rows.append(.init(labels["hash.full"], frame.sha256))
        let risks = loan.explanation?.risks ?? []
        let precautions = loan.explanation?.precautions ?? []
        let items: Document.Table = frame.patientGrade
            ? Document.Table(header: [labels["itemKind"], labels["itemText"]],
                             rows: risks.map { [labels["kind.risk"], frame.item("risks", $0)] }
                                 + precautions.map { [labels["kind.precaution"], frame.item("precautions", $0)] })
            : Document.Table(header: ["ID", labels["items"]],
                             rows: risks.map { [$0, frame.words.itemText("risks", $0, profile: facts.model.securityProfile)] }
                                 + precautions.map { [$0, frame.words.itemText("precautions", $0, profile: facts.model.securityProfile)] })
        let ticks: [Document.Checkbox] = [.init(labels["tick.understood"]), .init(labels["tick.contact"])]
        // Each question the model raises gets a yes and a no, so an unanswered one shows (the
        // registry records only explicit answers: Consents.checkScope).
        let profile = facts.model.securityProfile
        var scope: [Document.Block] = [.heading(labels["scope"])]
        if let cloud = profile.cloudUpload, profile.asksAboutMakerCloud {
            scope += [.paragraph(labels["scope.cloud", ["operator": cloud.operator, "country": frame.words.country(cloud.region)]]),
                      .checkboxes([.init(labels["yes"]), .init(labels["no.cloud"])])]
        }
        if profile.asksAboutSharing {
            scope += [.paragraph(labels["scope.sharing"]), .checkboxes([.init(labels["yes"]), .init(labels["no"])])]
        }
        scope += [.paragraph(labels["scope.research"]), .checkboxes([.init(labels["yes"]), .init(labels["no"])])]
        var statement: [Document.Block] = [
            .paragraph(labels["addressee", ["clinic": frame.clinic.name]]),
            .paragraph(facts.texts.body("consent")),
        ]
        if frame.patientGrade {
            statement.append(.checkboxes([.init(labels["choice.agree"]), .init(labels["choice.decline"])]))
        }
        statement += [
            .paragraph(labels["withdraw", ["desk": frame.clinic.privacyDesk]]),
            .signatureLines([labels["sign.patient"], labels["sign.proxy"], labels["sign.relationship"], labels["sign.date"],
                             labels["sign.staff"], labels["sign.witness"]]),
            frame.qrBlock,
        ]
        let blocks: [Document.Block] = [
            .keyValues(rows),
            .heading(labels["items"]),
            .table(items),
            // The confirmations and the scope questions on one page, then the statement with every
            // signature line and the QR code on one page.
            .keepTogether([.heading(labels["ticks"]), .checkboxes(ticks)] + scope),
            .keepTogether(statement),
        ]
        return frame.document(title: labels["consent.title"], blocks: blocks)
    }
}
