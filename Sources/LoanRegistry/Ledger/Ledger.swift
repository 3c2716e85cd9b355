import Foundation
import GRDB

/// The device ledger (guideline ⑦): device models with their security profiles, and devices.
public struct Ledger: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Registers a device model.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``, ``RegistryError/duplicate(field:)`` (`model`).
    public func registerModel(_ input: NewDeviceModel, by actor: AuditActor) async throws -> DeviceModel {
        try actor.authorize(.registerDeviceModel)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let profile = try JSONColumn.text(input.securityProfile)
        let now = registry.clock.now()
        let id = RecordID.make()
        return try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM device_models WHERE manufacturer = ? AND name = ?)",
                                 arguments: [input.manufacturer, input.name]) == true {
                throw RegistryError.duplicate(field: "model")
            }
            try db.execute(
                sql: """
                    INSERT INTO device_models (id, manufacturer, name, category, security_profile, support_phone,
                        support_hours, support_24_hours, support_hours_en, default_loan_days, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, input.manufacturer, input.name, input.category.rawValue, profile, input.support.phone,
                            input.support.hours, input.support.twentyFourHours, input.support.hoursEnglish ?? "",
                            input.defaultLoanDays,
                            Timestamp.string(now), actor.id])
            try AuditLog.append(.deviceModelRegistered, entityType: "device_model", entityId: id,
                                details: ["category": input.category.rawValue], by: actor, at: now, in: db)
            return try DeviceModel.fetch(db, id: id)
        }
    }

    /// The model with `id`.
    public func model(_ id: String, by actor: AuditActor) async throws -> DeviceModel {
        try actor.authorize(.readDeviceModels)
        return try await registry.read { db in try DeviceModel.fetch(db, id: id) }
    }

    /// Models in registration order.
    public func models(_ page: PageRequest = .first, by actor: AuditActor) async throws -> Page<DeviceModel> {
        try actor.authorize(.readDeviceModels)
        let after = try page.keys(count: 1).flatMap { Int64($0[0]) } ?? 0
        return try await registry.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT rowid AS position, * FROM device_models WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                        arguments: [after, page.limit + 1])
            return try Page.from(rows, limit: page.limit, DeviceModel.init(row:))
        }
    }

    /// Registers a device as `available`.
    ///
    /// - Throws: ``RegistryError/notFound(entity:id:)`` for an unknown model,
    ///   ``RegistryError/duplicate(field:)`` (`assetTag`, `serialNumber`).
    public func registerDevice(_ input: NewDevice, by actor: AuditActor) async throws -> Device {
        try actor.authorize(.registerDevice)
        var normalized = try TextNormalization.nfc(input)
        normalized.assetTag = Identifier.folded(normalized.assetTag)
        normalized.serialNumber = Identifier.folded(normalized.serialNumber)
        let input = normalized
        try input.validate()
        let now = registry.clock.now()
        let id = RecordID.make()
        return try await writer.write { db in
            try Self.insert(input, id: id, at: now, by: actor, in: db)
            return try Device.fetch(db, reference: id)
        }
    }

    static func insert(_ input: NewDevice, id: String, at now: Date, by actor: AuditActor, in db: Database) throws {
        _ = try DeviceModel.fetch(db, id: input.modelId)
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM devices WHERE asset_tag = ?)", arguments: [input.assetTag]) == true {
            throw RegistryError.duplicate(field: "assetTag")
        }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM devices WHERE model_id = ? AND serial_number = ?)",
                             arguments: [input.modelId, input.serialNumber]) == true {
            throw RegistryError.duplicate(field: "serialNumber")
        }
        let stamp = Timestamp.string(now)
        try db.execute(
            sql: """
                INSERT INTO devices (id, asset_tag, serial_number, model_id, status, whereabouts, firmware_version, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'available', ?, ?, ?, ?)
                """,
            arguments: [id, input.assetTag, input.serialNumber, input.modelId, input.whereabouts ?? "",
                        input.firmwareVersion, stamp, stamp])
        try db.execute(
            sql: """
                INSERT INTO device_events (device_id, occurred_at, actor, event, from_status, to_status, whereabouts)
                VALUES (?, ?, ?, 'registered', NULL, 'available', ?)
                """,
            arguments: [id, stamp, actor.id, input.whereabouts ?? ""])
        try AuditLog.append(.deviceRegistered, entityType: "device", entityId: id,
                            details: ["assetTag": input.assetTag, "modelId": input.modelId], by: actor, at: now, in: db)
    }

    /// The device whose id or asset tag is `reference`.
    public func device(_ reference: String, by actor: AuditActor) async throws -> Device {
        try actor.authorize(.readDevices)
        return try await registry.read { db in try Device.fetch(db, reference: reference) }
    }

    /// Devices in registration order, optionally only those in `status`.
    public func devices(status: DeviceStatus? = nil, category: DeviceCategory? = nil, model: String? = nil,
                        _ page: PageRequest = .first, by actor: AuditActor) async throws -> Page<Device> {
        try actor.authorize(.readDevices)
        let after = try page.keys(count: 1).flatMap { Int64($0[0]) } ?? 0
        return try await registry.read { db in
            let rows = try db.cachedRows(
                sql: Device.selectSQL.replacingOccurrences(of: "SELECT d.*", with: "SELECT d.rowid AS position, d.*")
                    + """
                     WHERE d.rowid > ? AND (? IS NULL OR d.status = ?) AND (? IS NULL OR d.model_id = ?)
                       AND (? IS NULL OR d.model_id IN (SELECT id FROM device_models WHERE category = ?))
                     ORDER BY d.rowid LIMIT ?
                    """,
                arguments: [after, status?.rawValue, status?.rawValue, model, model, category?.rawValue, category?.rawValue,
                            page.limit + 1])
            return try Page.from(rows, limit: page.limit, Device.init(row:))
        }
    }

    /// The devices a new loan can take now: available, and not held by a loan still being
    /// prepared (a draft or consented loan keeps its device until hand-over or cancellation).
    public func lendableDevices(by actor: AuditActor) async throws -> [Device] {
        try actor.authorize(.readDevices)
        return try await registry.read { db in
            try db.cachedRows(sql: Device.selectSQL + """
                 WHERE d.status = 'available'
                   AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.device_id = d.id AND l.status IN ('draft', 'explained', 'consented', 'active'))
                 ORDER BY d.rowid
                """).map(Device.init(row:))
        }
    }

    /// Every status and whereabouts change of the device, oldest first.
    public func history(of reference: String, by actor: AuditActor) async throws -> [DeviceHistoryEntry] {
        try actor.authorize(.readDevices)
        return try await registry.read { db in
            let device = try Device.fetch(db, reference: reference)
            return try Row.fetchAll(db, sql: "SELECT * FROM device_events WHERE device_id = ? ORDER BY seq",
                                    arguments: [device.id]).map(DeviceHistoryEntry.init(row:))
        }
    }
}
