public import Foundation
import GRDB

/// Bulk registration of devices from CSV, all or nothing.
///
/// Header row (any order, case-insensitive): `asset_tag`, `serial_number`, `model` (a model id,
/// or the model's name), and optionally `whereabouts`, `firmware_version`. Every bad row is
/// reported with its line and field; nothing is written unless every row is good.
public struct DeviceImport: Sendable {
    /// What an import did (or, on a dry run, would do).
    public struct Result: Sendable, Equatable {
        public let devices: Int
        public let dryRun: Bool
        /// The encoding the file was read as (``run(file:dryRun:by:)``); UTF-8 for text given as such.
        public var encoding: CSVEncoding = .utf8
    }

    static let required = ["asset_tag", "serial_number", "model"]
    static let optional = ["whereabouts", "firmware_version"]

    let ledger: Ledger

    /// ``run(csv:dryRun:by:)`` on the bytes of a file in UTF-8 or Shift_JIS (detected; the result
    /// names it).
    ///
    /// - Throws: ``RegistryError/importRejected(_:)`` when the file is in neither encoding.
    public func run(file data: Data, dryRun: Bool, by actor: AuditActor) async throws -> Result {
        try actor.authorize(.importDevices)
        guard let (text, encoding) = CSVEncoding.decode(data) else {
            throw RegistryError.importRejected([FieldError("file", "is neither UTF-8 nor Shift_JIS text")])
        }
        var result = try await run(csv: text, dryRun: dryRun, by: actor)
        result.encoding = encoding
        return result
    }

    /// Checks every row of `csv`, then (unless `dryRun`) registers all devices in one transaction.
    ///
    /// - Throws: ``RegistryError/importRejected(_:)`` listing every problem by line and field.
    public func run(csv: String, dryRun: Bool, by actor: AuditActor) async throws -> Result {
        try actor.authorize(.importDevices)
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(csv)
        } catch let error as CSVReader.SyntaxError {
            throw RegistryError.importRejected([FieldError("line \(error.line)", error.message)])
        }
        guard let header = records.first else {
            throw RegistryError.importRejected([FieldError("line 1", "the file is empty; expected a header row")])
        }
        let columns = header.cells.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = Self.required.filter { !columns.contains($0) }
        let unknown = columns.filter { !(Self.required + Self.optional).contains($0) }
        guard missing.isEmpty, unknown.isEmpty else {
            throw RegistryError.importRejected(
                missing.map { FieldError("line \(header.line)", "missing column \($0)") }
                    + unknown.map { FieldError("line \(header.line)", "unknown column \($0)") })
        }
        let rows = records.dropFirst()
        let now = ledger.registry.clock.now()
        let count = try await ledger.writer.write { db in
            var problems: [FieldError] = []
            var inputs: [NewDevice] = []
            var seenTags: [String: Int] = [:]
            var seenSerials: [String: Int] = [:]
            for record in rows {
                let where_ = "line \(record.line)"
                guard record.cells.count == columns.count else {
                    problems.append(FieldError(where_, "has \(record.cells.count) cells; the header has \(columns.count)"))
                    continue
                }
                let value = { (column: String) -> String in
                    columns.firstIndex(of: column).map { record.cells[$0].trimmingCharacters(in: .whitespaces) } ?? ""
                }
                let modelReference = value("model")
                let modelId = try String.fetchOne(
                    db, sql: "SELECT id FROM device_models WHERE id = ? OR name = ? ORDER BY id LIMIT 1",
                    arguments: [modelReference, modelReference])
                if modelId == nil {
                    problems.append(FieldError("\(where_), model", "no device model with this id or name"))
                }
                let input = try TextNormalization.nfc(NewDevice(
                    modelId: modelId ?? "", assetTag: Identifier.folded(value("asset_tag")),
                    serialNumber: Identifier.folded(value("serial_number")),
                    whereabouts: value("whereabouts").isEmpty ? nil : value("whereabouts"),
                    firmwareVersion: value("firmware_version").isEmpty ? nil : value("firmware_version")))
                do {
                    try input.validate()
                } catch RegistryError.validationFailed(let errors) {
                    problems += errors.filter { $0.field != "modelId" }
                        .map { FieldError("\(where_), \($0.field.snakeCased)", $0.message) }
                }
                if let first = seenTags[input.assetTag] {
                    problems.append(FieldError("\(where_), asset_tag", "repeats line \(first)"))
                } else if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM devices WHERE asset_tag = ?)",
                                            arguments: [input.assetTag]) == true {
                    problems.append(FieldError("\(where_), asset_tag", "is already registered"))
                }
                seenTags[input.assetTag] = seenTags[input.assetTag] ?? record.line
                let serialKey = input.modelId + "\u{1F}" + input.serialNumber
                if let first = seenSerials[serialKey] {
                    problems.append(FieldError("\(where_), serial_number", "repeats line \(first) for the same model"))
                } else if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM devices WHERE model_id = ? AND serial_number = ?)",
                                            arguments: [input.modelId, input.serialNumber]) == true {
                    problems.append(FieldError("\(where_), serial_number", "is already registered for this model"))
                }
                seenSerials[serialKey] = seenSerials[serialKey] ?? record.line
                inputs.append(input)
            }
            guard problems.isEmpty else { throw RegistryError.importRejected(problems) }
            guard !dryRun else { return inputs.count }
            for input in inputs {
                try Ledger.insert(input, id: RecordID.make(), at: now, by: actor, in: db)
            }
            return inputs.count
        }
        return Result(devices: count, dryRun: dryRun)
    }
}

extension Ledger {
    /// Bulk device registration from CSV (see ``DeviceImport``).
    public var importer: DeviceImport { DeviceImport(ledger: self) }
}
