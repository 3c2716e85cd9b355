public import Foundation
import GRDB

/// One physical device in the ledger (guideline ⑦), identified by its asset tag.
public struct Device: Sendable, Equatable, Codable, Identifiable {
    public let id: String
    /// The clinic's label on the device, e.g. `HOL-0001`. Unique.
    public var assetTag: String
    /// The maker's serial number. Unique per model.
    public var serialNumber: String
    public var modelId: String
    public var status: DeviceStatus
    /// Free text: shelf, room, courier … (never patient data).
    public var whereabouts: String
    public var firmwareVersion: String?
    public let createdAt: Date
    public var updatedAt: Date
    /// The model, for display.
    public var model: ModelSummary
    /// For a device that holds patient data: whether its data was deleted since it last came back
    /// from a patient, was lost or went to a vendor (`nil` for a device that holds none, or was never out).
    public var dataDeletion: DataDeletion?

    /// The model fields shown with a device.
    public struct ModelSummary: Sendable, Equatable, Codable {
        public var manufacturer: String
        public var name: String
        public var category: DeviceCategory
        public var storesPatientData: Bool
    }

    init(row: Row) throws {
        id = row["id"]
        assetTag = row["asset_tag"]
        serialNumber = row["serial_number"]
        modelId = row["model_id"]
        guard let status = DeviceStatus(rawValue: row["status"]),
              let category = DeviceCategory(rawValue: row["model_category"])
        else { throw StorageError.unavailable(reason: "unknown status or category in devices") }
        self.status = status
        whereabouts = row["whereabouts"]
        firmwareVersion = row["firmware_version"]
        createdAt = Timestamp.date(row["created_at"]) ?? .distantPast
        updatedAt = Timestamp.date(row["updated_at"]) ?? .distantPast
        let profile = try JSONColumn.decode(SecurityProfile.self, row["model_profile"])
        model = ModelSummary(manufacturer: row["model_manufacturer"], name: row["model_name"], category: category,
                             storesPatientData: profile.storesPatientData)
        if profile.storesPatientData {
            // Confirmed only by a wipe after the last time the device came back, was lost or went
            // to a vendor; pending from then until such a wipe.
            let exposed: String? = row["last_exposure"]
            let wipedAt: String? = row["w_recorded_at"]
            if let exposed, (wipedAt ?? "") < exposed {
                dataDeletion = .pending
            } else {
                dataDeletion = DataDeletion(wipeIn: row, prefix: "w_")
            }
        }
    }

    static let selectSQL = """
        SELECT d.*, m.manufacturer AS model_manufacturer, m.name AS model_name, m.category AS model_category,
               m.security_profile AS model_profile, \(DataDeletion.joinedColumns("w", prefix: "w_")),
               (SELECT max(occurred_at) FROM device_events x WHERE x.device_id = d.id
                AND x.to_status IN ('awaiting_wipe', 'lost', 'in_repair')) AS last_exposure
        FROM devices d JOIN device_models m ON m.id = d.model_id
        LEFT JOIN sanitizations w ON w.rowid = (SELECT max(x.rowid) FROM sanitizations x WHERE x.device_id = d.id)
        """

    /// The device with `reference` as its id or asset tag.
    static func fetch(_ db: Database, reference: String) throws -> Device {
        guard let row = try db.cachedRow(sql: selectSQL + " WHERE d.id = ? OR d.asset_tag = ?",
                                         arguments: [reference, Identifier.folded(reference)])
        else { throw RegistryError.notFound(entity: "device", id: reference) }
        return try Device(row: row)
    }
}

/// What staff give to register a device.
public struct NewDevice: Sendable, Equatable, Codable {
    /// The model's id.
    public var modelId: String
    public var assetTag: String
    public var serialNumber: String
    public var whereabouts: String?
    public var firmwareVersion: String?

    public init(modelId: String, assetTag: String, serialNumber: String, whereabouts: String? = nil,
                firmwareVersion: String? = nil) {
        self.modelId = modelId
        self.assetTag = assetTag
        self.serialNumber = serialNumber
        self.whereabouts = whereabouts
        self.firmwareVersion = firmwareVersion
    }


    func validate(field prefix: String = "") throws {
        var validator = FieldValidator()
        validator.text(modelId, prefix + "modelId", maximum: 100)
        validator.identifier(assetTag, prefix + "assetTag", maximum: 50)
        validator.require(!assetTag.contains(where: \.isWhitespace), prefix + "assetTag", "must not contain spaces")
        validator.identifier(serialNumber, prefix + "serialNumber", maximum: 100)
        if let whereabouts { validator.text(whereabouts, prefix + "whereabouts", maximum: 500, required: false) }
        if let firmwareVersion { validator.text(firmwareVersion, prefix + "firmwareVersion", maximum: 100) }
        try validator.check()
    }
}

/// One line of a device's history: a status or whereabouts change, with who and when.
public struct DeviceHistoryEntry: Sendable, Equatable, Codable {
    public let occurredAt: Date
    public let actor: String
    /// What happened: `registered`, `loan_handed_over`, `loan_returned` …
    public let event: String
    public let fromStatus: DeviceStatus?
    public let toStatus: DeviceStatus
    public let whereabouts: String
    public let loanId: String?
    public let note: String

    init(row: Row) {
        occurredAt = Timestamp.date(row["occurred_at"]) ?? .distantPast
        actor = row["actor"]
        event = row["event"]
        fromStatus = (row["from_status"] as String?).flatMap(DeviceStatus.init(rawValue:))
        toStatus = DeviceStatus(rawValue: row["to_status"]) ?? .available
        whereabouts = row["whereabouts"]
        loanId = row["loan_id"]
        note = row["note"]
    }
}
