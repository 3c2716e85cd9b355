import Foundation
import GRDB

/// Patients: registration and audited reads.
public struct Patients: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Registers a patient.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``, ``RegistryError/duplicate(field:)`` (`patientNumber`).
    public func register(_ input: NewPatient, by actor: AuditActor) async throws -> Patient {
        try actor.authorize(.registerPatient)
        try input.validate()
        let now = registry.clock.now()
        let id = UUID().uuidString.lowercased()
        return try await writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM patients WHERE patient_number = ?)",
                                 arguments: [input.patientNumber]) == true {
                throw RegistryError.duplicate(field: "patientNumber")
            }
            let stamp = Timestamp.string(now)
            try db.execute(
                sql: """
                    INSERT INTO patients (id, patient_number, name, name_kana, phone, language, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, input.patientNumber, input.name, input.nameKana ?? "", input.phone ?? "",
                            (input.language ?? .ja).rawValue, stamp, stamp])
            try AuditLog.append(.patientRegistered, entityType: "patient", entityId: id,
                                by: actor, at: now, in: db)
            return try Patient.fetch(db, id: id)
        }
    }

    /// The patient with `id`; the read is audited.
    public func patient(_ id: String, by actor: AuditActor) async throws -> Patient {
        try actor.authorize(.readPatients)
        let now = registry.clock.now()
        return try await writer.write { db in
            let patient = try Patient.fetch(db, id: id)
            try AuditLog.append(.patientRead, entityType: "patient", entityId: patient.id, by: actor, at: now, in: db)
            return patient
        }
    }

    /// Patients in registration order, optionally only the one with `patientNumber`; every
    /// patient returned is audited as read.
    public func list(patientNumber: String? = nil, _ page: PageRequest = .first, by actor: AuditActor) async throws -> Page<Patient> {
        try actor.authorize(.readPatients)
        let after = try page.keys(count: 1).flatMap { Int64($0[0]) } ?? 0
        let now = registry.clock.now()
        return try await writer.write { db in
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT rowid AS position, * FROM patients
                    WHERE rowid > ? AND (? IS NULL OR patient_number = ?) ORDER BY rowid LIMIT ?
                    """,
                arguments: [after, patientNumber, patientNumber, page.limit + 1])
            let page = try Page.from(rows, limit: page.limit, Patient.init(row:))
            for patient in page.items {
                try AuditLog.append(.patientRead, entityType: "patient", entityId: patient.id,
                                    details: ["via": "list"], by: actor, at: now, in: db)
            }
            return page
        }
    }
}
