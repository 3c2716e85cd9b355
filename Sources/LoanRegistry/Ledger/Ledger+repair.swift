import Foundation
import GRDB

extension Ledger {
    /// Sends a device to a vendor for repair. The data handling must be true of the device: "wiped
    /// before" needs a wipe recorded since it last came back from a patient; "not data-bearing"
    /// only for a model that holds no patient data.
    ///
    /// - Throws: ``RegistryError/invalidDeviceTransition(assetTag:status:event:)``, ``RegistryError/validationFailed(_:)``.
    public func sendToRepair(_ reference: String, _ input: NewRepair, by actor: AuditActor) async throws -> Device {
        try actor.authorize(.manageRepairs)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let now = registry.clock.now()
        return try await writer.write { db in
            let device = try Device.fetch(db, reference: reference)
            guard DeviceLifecycle.transition(from: device.status, on: .sentToRepair) != nil else {
                throw DeviceLifecycle.refusal(.sentToRepair, device: device)
            }
            var validator = FieldValidator()
            switch input.dataHandling {
            case .notDataBearing:
                validator.require(!device.model.storesPatientData, "dataHandling", "this model stores patient data")
            case .wipedBefore:
                validator.require(device.status != .awaitingWipe, "dataHandling",
                                  "the device is still waiting for its wipe: record the wipe first, or send it under the vendor's certificate")
            case .vendorCertificate:
                break
            }
            try validator.check()
            try db.execute(
                sql: """
                    INSERT INTO repairs (id, device_id, vendor, reference, data_handling, notes, sent_at, sent_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [RecordID.make(), device.id, input.vendor, input.reference, input.dataHandling.rawValue,
                            input.notes ?? "", Timestamp.string(now), actor.id])
            try DeviceLifecycle.apply(.sentToRepair, to: device, loanId: nil, note: "\(input.vendor) \(input.reference)",
                                      whereabouts: "修理中（\(input.vendor)・\(input.reference)）",
                                      audit: (.deviceSentToRepair, ["vendor": input.vendor, "reference": input.reference,
                                                                    "dataHandling": input.dataHandling.rawValue]),
                                      by: actor, at: now, in: db)
            return try Device.fetch(db, reference: device.id)
        }
    }

    /// Receives a device back from repair. One that holds patient data waits for a wipe (the
    /// vendor had it); any other is available again, on its shelf.
    ///
    /// - Throws: ``RegistryError/invalidDeviceTransition(assetTag:status:event:)`` unless it is in repair.
    public func receiveFromRepair(_ reference: String, notes: String?, by actor: AuditActor) async throws -> Device {
        try actor.authorize(.manageRepairs)
        let notes = notes?.precomposedStringWithCanonicalMapping
        var validator = FieldValidator()
        validator.text(notes ?? "", "notes", maximum: 2000, required: false)
        try validator.check()
        let now = registry.clock.now()
        return try await writer.write { db in
            let device = try Device.fetch(db, reference: reference)
            let event: DeviceEvent = device.model.storesPatientData ? .repairedWithData : .repairedWithoutData
            guard DeviceLifecycle.transition(from: device.status, on: event) != nil else {
                throw DeviceLifecycle.refusal(event, device: device)
            }
            try db.execute(sql: """
                UPDATE repairs SET received_at = ?, received_by = ?, received_notes = ? WHERE device_id = ? AND received_at IS NULL
                """, arguments: [Timestamp.string(now), actor.id, notes, device.id])
            let shelf = try DeviceLifecycle.shelf(of: device.id, in: db)
            try DeviceLifecycle.apply(event, to: device, loanId: nil, note: notes ?? "",
                                      whereabouts: event == .repairedWithData ? DeviceLifecycle.awaitingWipeAtTheClinic : shelf,
                                      audit: (.deviceRepaired, ["deviceStatus": event == .repairedWithData ? "awaiting_wipe" : "available"]),
                                      by: actor, at: now, in: db)
            return try Device.fetch(db, reference: device.id)
        }
    }
}
