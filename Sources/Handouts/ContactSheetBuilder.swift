import LoanRegistry

/// 連絡先のご案内: every field of catalogue §7 — clinic, after-hours and maker contacts, "not an
/// emergency alarm", the device and where its data goes, dates and how to return, loss and
/// fault instructions, the device's precautions, privacy and withdrawal, document control.
struct ContactSheetBuilder {
    let frame: HandoutFrame

    func build() -> Document {
        let labels = frame.labels
        let facts = frame.facts
        let clinic = facts.clinic
        let support = facts.model.support
        let precautions = (frame.loan.explanation?.precautions ?? []).map { "\($0): " + facts.texts.item("precautions", $0) }
        let risks = (frame.loan.explanation?.risks ?? []).map { "\($0): " + facts.texts.item("risks", $0) }
        let blocks: [Document.Block] = [
            .keyValues([.init(labels["patient"], frame.loan.patient.name)]),
            .paragraph(facts.texts.body("contact-sheet")),
            .heading(labels["section.contacts"]),
            .keyValues([
                .init(labels["clinic"], "\(clinic.name) \(clinic.department)\n\(clinic.phone)（\(clinic.hours)）"),
                .init(labels["afterHours"], "\(clinic.afterHoursPhone)（\(labels["reaches.\(clinic.afterHoursReaches.rawValue)"])）"),
                .init(labels["makerSupport"], "\(facts.model.manufacturer)\n\(support.phone)（\(support.twentyFourHours ? labels["hours24"] : support.hours)）"),
                .init(labels["privacy"], clinic.privacyDesk),
            ]),
            .heading(labels["section.device"]),
            .keyValues(frame.deviceRows + [.init(labels["data"], frame.dataDestination)]),
            .heading(labels["section.return"]),
            .keyValues([
                .init(labels["due"], frame.loan.dueDate.description),
                .init(labels["accessories"], labels["accessories.value"]),
            ]),
            .paragraph(labels["return.how", ["department": clinic.department]]),
            .heading(labels["section.lost"]),
            .paragraph(facts.texts.item("precautions", "P02")),
            .heading(labels["section.fault"]),
            .paragraph(facts.texts.item("precautions", "P17")),
            .heading(labels["section.precautions"]),
            .list(precautions),
            .heading(labels["section.risks"]),
            .list(risks),
            .heading(labels["section.privacy"]),
            .paragraph(labels["privacy.text"] + "\n" + clinic.privacyDesk),
            .heading(labels["section.control"]),
            frame.qrBlock,
        ]
        return frame.document(title: labels["contact.title"], blocks: blocks)
    }
}
