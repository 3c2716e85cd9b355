public import Foundation
import GRDB
public import LoanRegistry

/// Ready-made records for tests, registered through the real registry operations.
public struct Fixtures: Sendable {
    public let registry: Registry
    public let actor = AuditActor("staff:fixture")

    public init(_ registry: Registry) {
        self.registry = registry
    }

    /// Noon in Tokyo on 2026-11-21, the day the fixtures treat as "today".
    public static let noonInTokyo = Date(timeIntervalSince1970: 1_795_230_000)  // 2026-11-21T03:00:00Z

    /// A model; `storesPatientData` decides whether returns need a wipe.
    public func model(
        name: String = "Model \(UUID().uuidString.prefix(8))", category: DeviceCategory = .holterECG,
        profile: SecurityProfile = SecurityProfile(storesPatientData: true), loanDays: Int = 2
    ) async throws -> DeviceModel {
        try await registry.ledger.registerModel(
            NewDeviceModel(manufacturer: "Test Medical", name: name, category: category, securityProfile: profile,
                           support: .init(phone: "0120-000-000", hours: "9-17", twentyFourHours: false),
                           defaultLoanDays: loanDays),
            by: actor)
    }

    public func device(model: DeviceModel? = nil, assetTag: String = "T-\(UUID().uuidString.prefix(8))") async throws -> Device {
        let model = if let model { model } else { try await self.model() }
        return try await registry.ledger.registerDevice(
            NewDevice(modelId: model.id, assetTag: assetTag, serialNumber: "SN-\(UUID().uuidString.prefix(8))"), by: actor)
    }

    public func patient(number: String = "P-\(UUID().uuidString.prefix(8))", name: String = "試験 太郎") async throws -> Patient {
        try await registry.patients.register(
            NewPatient(patientNumber: number, name: name, nameKana: "シケン タロウ", phone: "03-1234-5678", language: .ja),
            by: actor)
    }

    /// A handed-over loan due on `due`.
    public func activeLoan(device: Device? = nil, due: LocalDate? = nil) async throws -> Loan {
        let device = if let device { device } else { try await self.device() }
        let patient = try await patient()
        let loan = try await registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id, dueDate: due), by: actor)
        return try await registry.loans.handOver(loan.id, by: actor)
    }

    /// Number of rows in `table`.
    public func count(_ table: String) async throws -> Int {
        try await registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}
