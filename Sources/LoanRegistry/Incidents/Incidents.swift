import Foundation
import GRDB

/// Loss and theft (guideline ③): the incident a loss opens, the device found again, the reports
/// to the PPC and their deadlines.
public struct Incidents: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Days from discovery to the preliminary report (速報, "promptly") and to the final one (確報).
    public static let preliminaryReportDays = 5
    /// Days from discovery to the final report (確報).
    public static let finalReportDays = 30

    /// Every incident, open ones first (by discovery), then the closed ones, newest first.
    public func list(openOnly: Bool = false, by actor: AuditActor) async throws -> [Incident] {
        try actor.authorize(.readIncidents)
        let today = LocalDate(registry.clock.now())
        return try await registry.read { db in
            let all = try db.cachedRows(sql: Incident.selectSQL + " ORDER BY i.discovered_on DESC, i.number DESC")
                .map { try Incident(row: $0, asOf: today) }
            let open = all.filter(\.open).sorted { $0.discoveredOn < $1.discoveredOn }
            return openOnly ? open : open + all.filter { !$0.open }
        }
    }

    /// One incident, by id or number.
    public func incident(_ reference: String, by actor: AuditActor) async throws -> Incident {
        try actor.authorize(.readIncidents)
        let today = LocalDate(registry.clock.now())
        return try await registry.read { db in try Incident.fetch(db, reference: reference, asOf: today) }
    }

    /// The lost device is back: it waits for a wipe if it holds patient data (else it is available
    /// again). The incident stays on record, with the day it was found.
    ///
    /// - Throws: ``RegistryError/invalidDeviceTransition(assetTag:status:event:)`` when it is not lost.
    public func deviceFound(_ reference: String, by actor: AuditActor) async throws -> Incident {
        try actor.authorize(.recordFound)
        let now = registry.clock.now()
        let today = LocalDate(now)
        return try await writer.write { db in
            let incident = try Incident.fetch(db, reference: reference, asOf: today)
            let device = try Device.fetch(db, reference: incident.deviceId)
            let event: DeviceEvent = device.model.storesPatientData ? .foundWithData : .foundWithoutData
            // Only the incident that is still waiting for its device moves it.
            guard incident.foundAt == nil else {
                throw RegistryError.invalidDeviceTransition(assetTag: device.assetTag, status: device.status, event: event.rawValue)
            }
            try db.execute(sql: "UPDATE incidents SET found_at = ? WHERE id = ? AND found_at IS NULL",
                           arguments: [Timestamp.string(now), incident.id])
            try DeviceLifecycle.apply(event, to: device, loanId: incident.loanId, note: incident.number,
                                      whereabouts: event == .foundWithData ? DeviceLifecycle.awaitingWipeAtTheClinic
                                          : try DeviceLifecycle.shelf(of: device.id, in: db),
                                      audit: (.incidentDeviceFound, ["incident": incident.number]), by: actor, at: now, in: db)
            return try Incident.fetch(db, reference: incident.id, asOf: today)
        }
    }

    /// Records that the preliminary or final report was submitted to the PPC (manager).
    ///
    /// - Throws: ``RegistryError/incidentReportRecorded(number:stage:)``, ``RegistryError/validationFailed(_:)``.
    public func recordReport(_ reference: String, _ input: IncidentReportSubmission, by actor: AuditActor) async throws -> Incident {
        try actor.authorize(.recordIncidentReport)
        let now = registry.clock.now()
        let today = LocalDate(now)
        let input = try TextNormalization.nfc(input)
        return try await writer.write { db in
            let incident = try Incident.fetch(db, reference: reference, asOf: today)
            let report = input.stage == .preliminary ? incident.preliminaryReport : incident.finalReport
            guard report.submittedOn == nil else {
                throw RegistryError.incidentReportRecorded(number: incident.number, stage: input.stage.rawValue)
            }
            var validator = FieldValidator()
            validator.require(input.submittedOn >= incident.discoveredOn && input.submittedOn <= today, "submittedOn",
                              "must be between the discovery (\(incident.discoveredOn)) and today")
            validator.require(input.stage == .preliminary || incident.preliminaryReport.submittedOn != nil, "stage",
                              "record the preliminary report first")
            validator.text(input.reference ?? "", "reference", maximum: 200, required: false)
            try validator.check()
            try db.execute(sql: "UPDATE incidents SET \(input.stage.rawValue)_submitted_on = ?, \(input.stage.rawValue)_reference = ? WHERE id = ?",
                           arguments: [input.submittedOn.description, input.reference, incident.id])
            try AuditLog.append(.incidentReported, entityType: "incident", entityId: incident.id,
                                details: ["number": incident.number, "stage": input.stage.rawValue,
                                          "submittedOn": input.submittedOn.description], by: actor, at: now, in: db)
            return try Incident.fetch(db, reference: incident.id, asOf: today)
        }
    }
}
