import Foundation
import GRDB

extension Loans {
    /// The patient reports the device lost or stolen: the loan and the device become `lost` and an
    /// incident is opened with its report deadlines, all in one write.
    ///
    /// - Throws: ``RegistryError/loanNotActive(number:status:)``, ``RegistryError/validationFailed(_:)``.
    public func reportLoss(_ reference: String, _ input: NewLoss, by actor: AuditActor) async throws -> Incident {
        try actor.authorize(.reportLoss)
        let now = registry.clock.now()
        let today = LocalDate(now)
        let input = try TextNormalization.nfc(input)
        try input.validate(today: today)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: today)
            guard LoanLifecycle.transition(from: loan.status, on: .reportLoss) != nil else {
                throw LoanLifecycle.refusal(.reportLoss, number: loan.number, from: loan.status)
            }
            let device = try Device.fetch(db, reference: loan.device.id)
            let profile = try DeviceModel.fetch(db, id: device.modelId).securityProfile
            let unencrypted = profile.storesPatientData && !profile.encryptedAtRest
            let id = RecordID.make()
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents WHERE number LIKE ?",
                                         arguments: [String(format: "I-%04d-%%", today.year)]) ?? 0
            let number = String(format: "I-%04d-%04d", today.year, count + 1)
            try db.execute(
                sql: """
                    INSERT INTO incidents (id, number, loan_id, device_id, kind, occurred_on, discovered_on, place, police_report,
                        notes, unencrypted_patient_data, reportable, preliminary_due_on, final_due_on, opened_at, opened_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, number, loan.id, device.id, input.kind.rawValue, input.occurredOn.description,
                            input.discoveredOn.description, input.place, input.policeReport, input.notes ?? "",
                            unencrypted, unencrypted,
                            input.discoveredOn.adding(days: Incidents.preliminaryReportDays).description,
                            input.discoveredOn.adding(days: Incidents.finalReportDays).description,
                            Timestamp.string(now), actor.id])
            try LoanLifecycle.apply(.reportLoss, to: loan, columns: ["lost_at": Timestamp.string(now)],
                                    audit: (.loanLost, ["incident": number, "kind": input.kind.rawValue]), by: actor, at: now, in: db)
            try DeviceLifecycle.apply(.lost, to: device, loanId: loan.id, note: number,
                                      whereabouts: "\(input.kind == .stolen ? "盗難" : "紛失")（\(loan.number)・\(number)）",
                                      by: actor, at: now, in: db)
            try AuditLog.append(.incidentOpened, entityType: "incident", entityId: id,
                                details: ["number": number, "loanId": loan.id, "deviceId": device.id, "kind": input.kind.rawValue,
                                          "reportable": String(unencrypted)], by: actor, at: now, in: db)
            return try Incident.fetch(db, reference: id, asOf: today)
        }
    }
}
