public import Foundation
import GRDB
public import LoanRegistry

/// Ready-made records for tests, registered through the real registry operations.
public struct Fixtures: Sendable {
    public let registry: Registry
    /// The account the fixtures act as (a manager, so it may register models too).
    public let actor: AuditActor

    public init(_ registry: Registry, actor: AuditActor) {
        self.registry = registry
        self.actor = actor
    }

    /// Noon in Tokyo on 2026-11-21, the day the fixtures treat as "today".
    public static let noonInTokyo = Date(timeIntervalSince1970: 1_795_230_000)  // 2026-11-21T03:00:00Z

    /// A model; `storesPatientData` decides whether returns need a wipe.
    public func model(
        name: String = "Model \(UUID().uuidString.prefix(8))", category: DeviceCategory = .holterECG,
        profile: SecurityProfile = SecurityProfile(storesPatientData: true), loanDays: Int = 2
    ) async throws -> DeviceModel {
        // A model that stores patient data must say how it is wiped.
        var profile = profile
        if profile.storesPatientData && profile.wipeMethod == nil { profile.wipeMethod = .documentedErase }
        return try await registry.ledger.registerModel(
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

    /// A draft loan with its explanation.
    public func draftLoan(device: Device? = nil, due: LocalDate? = nil, language: Patient.Language? = nil) async throws -> Loan {
        let device = if let device { device } else { try await self.device() }
        let patient = try await patient()
        return try await registry.loans.register(
            NewLoan(deviceId: device.id, patientId: patient.id, dueDate: due, language: language), by: actor)
    }

    /// A consent the patient signs on paper, to the loan's current explanation.
    public func consent(to loan: Loan, decision: NewConsent.Decision = .granted, scope: NewConsent.Scope? = nil) -> NewConsent {
        NewConsent(explanationSha256: loan.explanation?.sha256 ?? "", signer: .init(kind: .self, name: "試験 太郎"),
                   decision: decision, explainedBy: actor.login ?? "", scope: scope,
                   signature: .init(method: .paper, scanReference: "SCAN-\(loan.number)"))
    }

    /// "Yes" to every scope question the loan's model raises (the maker's cloud, sharing), or `nil`.
    public func agreeingScope(for loan: Loan) async throws -> NewConsent.Scope? {
        let device = try await registry.ledger.device(loan.device.id, by: actor)
        let profile = try await registry.ledger.model(device.modelId, by: actor).securityProfile
        let scope = NewConsent.Scope(makerCloud: profile.asksAboutMakerCloud ? true : nil,
                                     sharing: profile.asksAboutSharing ? true : nil)
        return scope == NewConsent.Scope() ? nil : scope
    }

    /// Meets the hand-over gate: a granted paper consent to the current explanation and the contact sheet given.
    @discardableResult
    public func passGate(_ loan: Loan) async throws -> Consent {
        let consent = try await registry.consents.record(loan: loan.id, consent(to: loan, scope: try await agreeingScope(for: loan)),
                                                         by: actor)
        _ = try await registry.loans.recordContactSheet(loan.id, ContactSheetGiven(), by: actor)
        return consent
    }

    /// A loan taken through the whole gate: explanation, granted consent, contact sheet, hand-over.
    public func activeLoan(device: Device? = nil, due: LocalDate? = nil) async throws -> Loan {
        let loan = try await draftLoan(device: device, due: due)
        try await passGate(loan)
        return try await registry.loans.handOver(loan.id, by: actor)
    }

    /// Number of rows in `table`.
    public func count(_ table: String) async throws -> Int {
        try await registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}
