import Foundation
import GRDB

extension Ledger {
    /// Records the wipe of a device that came back holding patient data (guideline ⑩): the only
    /// way from `awaiting_wipe` back to `available`.
    ///
    /// The method must be the model's; `performedBy` and `verifiedBy` must be two different
    /// active staff accounts. The wipe is tied to the loan the device came back from.
    ///
    /// - Throws: ``RegistryError/wipeNotPending(assetTag:status:)``, ``RegistryError/validationFailed(_:)``,
    ///   ``RegistryError/notFound(entity:id:)``.
    public func recordWipe(_ reference: String, _ input: NewSanitization, by actor: AuditActor) async throws -> Device {
        try actor.authorize(.recordWipe)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let now = registry.clock.now()
        return try await writer.write { db in
            let device = try Device.fetch(db, reference: reference)
            guard DeviceLifecycle.transition(from: device.status, on: .wiped) != nil else {
                throw DeviceLifecycle.refusal(.wiped, device: device)
            }
            let declared = try DeviceModel.fetch(db, id: device.modelId).securityProfile.wipeMethod
            // A model registered before wipe methods were required declares none: the method used is recorded as given.
            var validator = FieldValidator()
            if let declared {
                validator.require(declared == input.method, "method", "must be \(declared.rawValue), the model's wipe method")
            }
            try validator.check()
            let performer = try StaffReference.resolve(input.performedBy, field: "performedBy", mayPerform: .recordWipe, in: db)
            let verifier = try StaffReference.resolve(input.verifiedBy, field: "verifiedBy", mayPerform: .recordWipe, in: db)
            guard performer != verifier else {
                throw RegistryError.validationFailed([FieldError("verifiedBy", "must be a different person from performedBy")])
            }
            let loanId = try String.fetchOne(db, sql: """
                SELECT loan_id FROM device_events WHERE device_id = ? AND to_status = 'awaiting_wipe' ORDER BY seq DESC LIMIT 1
                """, arguments: [device.id])
            let id = RecordID.make()
            try db.execute(
                sql: """
                    INSERT INTO sanitizations (id, device_id, loan_id, method, performed_by, verified_by, data_exported_first,
                        export_reference, notes, recorded_at, recorded_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, device.id, loanId, input.method.rawValue, performer, verifier, input.dataExportedFirst,
                            input.dataExportedFirst ? input.exportReference : nil, input.notes ?? "",
                            Timestamp.string(now), actor.id])
            try DeviceLifecycle.apply(.wiped, to: device, loanId: loanId, note: "\(input.method.rawValue) verified by \(verifier)",
                                      whereabouts: try DeviceLifecycle.shelf(of: device.id, in: db),
                                      audit: (.deviceWiped, ["sanitizationId": id, "method": input.method.rawValue,
                                                             "performedBy": performer, "verifiedBy": verifier,
                                                             "loanId": loanId ?? ""]),
                                      by: actor, at: now, in: db)
            return try Device.fetch(db, reference: device.id)
        }
    }
}
