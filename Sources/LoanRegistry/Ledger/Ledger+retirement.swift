import Foundation
import GRDB

extension Ledger {
    /// Takes a device out of service (guideline ⑨): from the shelf, while it waits for a wipe, or
    /// lost for good. A manager's decision, with the reason.
    ///
    /// - Throws: ``RegistryError/invalidDeviceTransition(assetTag:status:event:)``, ``RegistryError/validationFailed(_:)``.
    public func retire(_ reference: String, reason: String, by actor: AuditActor) async throws -> Device {
        try actor.authorize(.retireDevice)
        let reason = reason.precomposedStringWithCanonicalMapping
        var validator = FieldValidator()
        validator.text(reason, "reason", maximum: 500)
        try validator.check()
        let now = registry.clock.now()
        return try await writer.write { db in
            let device = try Device.fetch(db, reference: reference)
            try DeviceLifecycle.apply(.retired, to: device, loanId: nil, note: reason,
                                      audit: (.deviceRetired, ["from": device.status.rawValue]), by: actor, at: now, in: db)
            return try Device.fetch(db, reference: device.id)
        }
    }

    /// Records the disposal of a retired device (guideline ⑪). A device that held patient data
    /// needs evidence that none left with it: a wipe recorded after its last loan, or the vendor's
    /// certificate.
    ///
    /// - Throws: ``RegistryError/disposalEvidenceRequired(assetTag:)``,
    ///   ``RegistryError/invalidDeviceTransition(assetTag:status:event:)`` before retirement,
    ///   ``RegistryError/validationFailed(_:)``.
    public func dispose(_ reference: String, _ input: NewDisposal, by actor: AuditActor) async throws -> Disposal {
        try actor.authorize(.disposeDevice)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let now = registry.clock.now()
        return try await writer.write { db in
            let device = try Device.fetch(db, reference: reference)
            guard DeviceLifecycle.transition(from: device.status, on: .disposed) != nil else {
                throw DeviceLifecycle.refusal(.disposed, device: device)
            }
            let evidence = try Self.disposalEvidence(for: device, certificate: input.hasCertificate, in: db)
            let id = RecordID.make()
            try db.execute(
                sql: """
                    INSERT INTO disposals (id, device_id, method, performed_by, vendor, certificate_number, certificate_reference,
                        no_readable_data_confirmed, evidence, recorded_at, recorded_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                    """,
                arguments: [id, device.id, input.method.rawValue, input.performedBy, input.vendor, input.certificateNumber,
                            input.certificateReference, evidence.rawValue, Timestamp.string(now), actor.id])
            try DeviceLifecycle.apply(.disposed, to: device, loanId: nil, note: input.method.rawValue,
                                      whereabouts: input.vendor.map { "廃棄済み（\($0)）" } ?? "廃棄済み",
                                      audit: (.deviceDisposed, ["disposalId": id, "method": input.method.rawValue,
                                                                "evidence": evidence.rawValue]),
                                      by: actor, at: now, in: db)
            guard let row = try Row.fetchOne(db, sql: Disposal.selectSQL + " WHERE x.id = ?", arguments: [id]) else {
                throw RegistryError.notFound(entity: "disposal", id: id)
            }
            return try Disposal(row: row)
        }
    }

    /// Every disposal, newest first, for the planning manager's report.
    public func disposals(by actor: AuditActor) async throws -> [Disposal] {
        try actor.authorize(.readReports)
        return try await registry.read { db in
            try Row.fetchAll(db, sql: Disposal.selectSQL + " ORDER BY x.recorded_at DESC").map(Disposal.init(row:))
        }
    }

    /// What shows that no patient data leaves with `device`, or why it may not be disposed of yet.
    static func disposalEvidence(for device: Device, certificate: Bool, in db: Database) throws -> Disposal.Evidence {
        // The last time its data left the clinic's hands: back from a patient, lost, or at a vendor.
        let lastExposure = try String.fetchOne(db, sql: """
            SELECT max(occurred_at) FROM device_events WHERE device_id = ? AND to_status IN ('awaiting_wipe', 'lost', 'in_repair')
            """, arguments: [device.id])
        guard device.model.storesPatientData, let lastExposure else { return certificate ? .vendorCertificate : .noPatientData }
        let wiped = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sanitizations WHERE device_id = ? AND recorded_at >= ?)",
                                      arguments: [device.id, lastExposure]) ?? false
        if wiped { return .wipe }
        if certificate { return .vendorCertificate }
        throw RegistryError.disposalEvidenceRequired(assetTag: device.assetTag)
    }
}
