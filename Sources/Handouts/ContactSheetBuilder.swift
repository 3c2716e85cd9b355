import LoanRegistry

/// 連絡先のご案内, on at most two pages: the contacts first (clinic, nights and holidays, the
/// maker's support, the privacy desk), each phone number on one line with its hours; then what
/// to do when the device is lost, broken or beeps, when someone asks for a password, and how to
/// withdraw consent, who handles the data, and where the device's precautions are; then the
/// device, where its data goes and how to return it; the QR code. The risks and precautions are
/// in the explanation sheet the patient keeps with it and are not listed again, so the sheet
/// stays within two pages whatever the model.
struct ContactSheetBuilder {
    let frame: HandoutFrame

    func build() -> Document {
        let labels = frame.labels
        let facts = frame.facts
        let clinic = frame.clinic
        let support = facts.model.support
        var afterHours = labels["phoneReaches", ["phone": clinic.afterHoursPhone,
                                                  "reaches": labels["reaches.\(clinic.afterHoursReaches.rawValue)"]]]
        if !clinic.afterHoursNote.isEmpty { afterHours += "\n" + clinic.afterHoursNote }
        let supportHours = support.twentyFourHours ? labels["hours24"] : support.hours(in: facts.language)
        let sendsData = facts.model.securityProfile.cloudUpload != nil
        let help = ["lost", "broken", "alarm", "password", "withdraw", "privacy", "precautions"].map { key in
            let text = key == "privacy" && !sendsData ? "help.privacy.text.local" : "help.\(key).text"
            return labels["help.item", ["label": labels["help.\(key)"], "text": labels[text, ["desk": clinic.privacyDesk]]]]
        }
        let blocks: [Document.Block] = [
            .keyValues([.init(labels["patient"], frame.loan.patient.name)]),
            .paragraph(facts.texts.body("contact-sheet")),
            .heading(labels["section.contacts"]),
            .keyValues([
                .init(labels["clinic"], "\(clinic.name) \(clinic.department)\n" + frame.phone(clinic.phone, hours: clinic.hours)),
                .init(labels["afterHours"], afterHours),
                .init(labels["makerSupport"], "\(facts.model.manufacturer)\n" + frame.phone(support.phone, hours: supportHours)),
                .init(labels["privacy"], clinic.privacyDesk),
            ]),
            .heading(labels["section.help"]),
            .list(help),
            .heading(labels["section.device"]),
            .keyValues([
                .init(labels["device"], "\(facts.model.manufacturer) \(facts.model.name)"),
                .init(labels["assetSerial"], "\(frame.loan.device.assetTag) / \(frame.loan.device.serialNumber)"),
                .init(labels["period"], "\(frame.date(frame.loan.startDate)) – \(frame.date(frame.loan.dueDate))"),
                .init(labels["data"], frame.dataDestination),
                .init(labels["section.return"], labels["return.how", ["due": frame.date(frame.loan.dueDate),
                                                                      "department": clinic.department]]),
            ]),
            frame.qrBlock,
        ]
        return frame.document(title: labels["contact.title"], blocks: blocks)
    }
}
