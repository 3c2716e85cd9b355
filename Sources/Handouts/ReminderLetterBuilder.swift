import LoanRegistry

/// ご返却のお願い: the letter to a patient whose device is overdue — which device, when it was due,
/// how to return it, what to do if it is lost, and whom to phone — in the loan's language.
struct ReminderLetterBuilder {
    let frame: HandoutFrame

    func build() -> Document {
        let labels = frame.labels
        let facts = frame.facts
        let loan = frame.loan
        let clinic = frame.clinic
        var rows: [Document.KeyValue] = [
            .init(labels["device"], "\(facts.model.manufacturer) \(facts.model.name)"),
            .init(labels["assetSerial"], "\(loan.device.assetTag) / \(loan.device.serialNumber)"),
            .init(labels["loan"], loan.number),
            .init(labels["due"], frame.date(loan.dueDate)),
        ]
        if let days = loan.daysOverdue { rows.append(.init(labels["reminder.overdue"], labels["reminder.days", ["days": String(days)]])) }
        let blocks: [Document.Block] = [
            .paragraph(labels["reminder.to", ["name": loan.patient.name]]),
            .paragraph(labels["reminder.body", ["due": frame.date(loan.dueDate), "department": clinic.department]]),
            .keyValues(rows),
            .paragraph(labels["reminder.data"]),
            .heading(labels["section.contacts"]),
            .keyValues([
                .init(labels["clinic"], "\(clinic.name) \(clinic.department)\n" + frame.phone(clinic.phone, hours: clinic.hours)),
                .init(labels["afterHours"], labels["phoneReaches", ["phone": clinic.afterHoursPhone,
                                                                     "reaches": labels["reaches.\(clinic.afterHoursReaches.rawValue)"]]]),
            ]),
            frame.qrBlock,
        ]
        return frame.document(title: labels["reminder.title"], blocks: blocks)
    }
}
