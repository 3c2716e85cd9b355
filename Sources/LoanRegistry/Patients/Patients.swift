import Foundation
import GRDB

/// Patients: registration, search, correction and audited reads.
public struct Patients: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// Which patients a list returns.
    public struct Filter: Sendable, Equatable {
        /// Exactly this patient number (folded to half-width and trimmed first).
        public var patientNumber: String?
        /// Name or kana starting with this (``PatientSearchKey``: width, kana, case and spaces ignored).
        public var name: String?

        public init(patientNumber: String? = nil, name: String? = nil) {
            self.patientNumber = patientNumber
            self.name = name
        }
    }

    /// Registers a patient.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``, ``RegistryError/duplicate(field:)`` (`patientNumber`).
    public func register(_ input: NewPatient, by actor: AuditActor) async throws -> Patient {
        try actor.authorize(.registerPatient)
        var normalized = try TextNormalization.nfc(input)
        normalized.patientNumber = Identifier.folded(normalized.patientNumber)
        let input = normalized
        try input.validate()
        let now = registry.clock.now()
        let id = RecordID.make()
        let searchName = PatientSearchKey.of(input.name), searchKana = PatientSearchKey.of(input.nameKana ?? "")
        return try await writer.write { db in
            if try db.cachedRow(sql: "SELECT 1 FROM patients WHERE patient_number = ?",
                                arguments: [input.patientNumber]) != nil {
                throw RegistryError.duplicate(field: "patientNumber")
            }
            let stamp = Timestamp.string(now)
            let patient = Patient(id: id, patientNumber: input.patientNumber, name: input.name,
                                  nameKana: input.nameKana ?? "", phone: input.phone ?? "",
                                  language: input.language ?? .ja, createdAt: Timestamp.date(stamp) ?? .distantPast)
            try db.cachedExecute(
                sql: """
                    INSERT INTO patients (id, patient_number, name, name_kana, phone, language, created_at, updated_at,
                                          search_name, search_kana)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [patient.id, patient.patientNumber, patient.name, patient.nameKana, patient.phone,
                            patient.language.rawValue, stamp, stamp, searchName, searchKana])
            try AuditLog.append(.patientRegistered, entityType: "patient", entityId: id,
                                by: actor, at: now, in: db)
            // The answer is the row as written, as a read would build it (PatientRegistrationTests).
            return patient
        }
    }

    /// Corrects a patient record: the changed fields' old values go to its correction history
    /// (``corrections(of:by:)``), and the audit log names the fields changed, never their values.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``, ``RegistryError/duplicate(field:)``,
    ///   ``RegistryError/editConflict(entity:id:)`` when `precondition` names an older revision.
    public func correct(_ id: String, _ changes: PatientChanges, precondition: EditPrecondition = .none,
                        by actor: AuditActor) async throws -> Patient {
        try actor.authorize(.correctPatient)
        var normalized = try TextNormalization.nfc(changes)
        normalized.patientNumber = normalized.patientNumber.map(Identifier.folded)
        let changes = normalized
        let now = registry.clock.now()
        return try await writer.write { db in
            let patient = try Patient.fetch(db, id: id)
            try precondition.check(patient, entity: "patient", id: patient.id)
            let corrected = try changes.applied(to: patient)
            var previous: [String: String] = [:]
            if corrected.patientNumber != patient.patientNumber { previous["patientNumber"] = patient.patientNumber }
            if corrected.name != patient.name { previous["name"] = patient.name }
            if corrected.nameKana != patient.nameKana { previous["nameKana"] = patient.nameKana }
            if corrected.phone != patient.phone { previous["phone"] = patient.phone }
            if corrected.language != patient.language { previous["language"] = patient.language.rawValue }
            guard !previous.isEmpty else {
                // Nothing to change, but the record goes back to the caller: a read.
                try AuditLog.append(.patientRead, entityType: "patient", entityId: patient.id,
                                    details: ["via": "correction_unchanged"], by: actor, at: now, in: db)
                return patient
            }
            if previous["patientNumber"] != nil,
               try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM patients WHERE patient_number = ? AND id <> ?)",
                                 arguments: [corrected.patientNumber, patient.id]) == true {
                throw RegistryError.duplicate(field: "patientNumber")
            }
            let stamp = Timestamp.string(now)
            let kana = corrected.nameKana ?? ""
            try db.execute(
                sql: """
                    UPDATE patients SET patient_number = ?, name = ?, name_kana = ?, phone = ?, language = ?,
                           updated_at = ?, search_name = ?, search_kana = ?
                    WHERE id = ?
                    """,
                arguments: [corrected.patientNumber, corrected.name, kana, corrected.phone ?? "",
                            (corrected.language ?? .ja).rawValue, stamp, PatientSearchKey.of(corrected.name),
                            PatientSearchKey.of(kana), patient.id])
            try db.execute(
                sql: """
                    INSERT INTO patient_corrections (patient_id, corrected_at, corrected_by, reason, previous)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [patient.id, stamp, actor.id, changes.reason, try JSONColumn.text(previous)])
            try AuditLog.append(.patientCorrected, entityType: "patient", entityId: patient.id,
                                details: ["fields": previous.keys.sorted().joined(separator: ",")], by: actor, at: now, in: db)
            return try Patient.fetch(db, id: patient.id)
        }
    }

    /// A patient's corrections, oldest first, with the values they replaced; audited as a read.
    public func corrections(of id: String, by actor: AuditActor) async throws -> [PatientCorrection] {
        try actor.authorize(.readPatients)
        let now = registry.clock.now()
        return try await writer.write { db in
            let patient = try Patient.fetch(db, id: id)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM patient_corrections WHERE patient_id = ? ORDER BY id",
                                        arguments: [patient.id])
            try AuditLog.append(.patientRead, entityType: "patient", entityId: patient.id, details: ["via": "corrections"],
                                by: actor, at: now, in: db)
            return rows.map { row in
                PatientCorrection(correctedAt: Timestamp.date(row["corrected_at"]) ?? .distantPast,
                                  correctedBy: row["corrected_by"], reason: row["reason"],
                                  previous: (try? JSONDecoder().decode([String: String].self,
                                                                       from: Data((row["previous"] as String).utf8))) ?? [:])
            }
        }
    }

    /// The patient with `id`; the read is audited.
    public func patient(_ id: String, by actor: AuditActor) async throws -> Patient {
        try actor.authorize(.readPatients)
        let now = registry.clock.now()
        return try await registry.auditedRead { db in
            try Patient.fetch(db, id: id)
        } audit: { patient, db in
            try AuditLog.append(.patientRead, entityType: "patient", entityId: patient.id, by: actor, at: now, in: db)
        }
    }

    /// Patients in registration order that match `filter`; every patient returned is audited as read.
    public func list(_ filter: Filter = Filter(), _ page: PageRequest = .first, by actor: AuditActor) async throws -> Page<Patient> {
        try actor.authorize(.readPatients)
        let after = try page.keys(count: 1).flatMap { Int64($0[0]) } ?? 0
        let number = filter.patientNumber.map(Identifier.folded)
        let key = filter.name.map(PatientSearchKey.of)
        if key == "" {
            throw RegistryError.validationFailed([FieldError("name", "must contain a letter, digit or kana to search for")])
        }
        let now = registry.clock.now()
        return try await writer.write { db in
            let rows = try db.cachedRows(
                sql: """
                    SELECT rowid AS position, * FROM patients
                    WHERE rowid > ? AND (? IS NULL OR patient_number = ?)
                      AND (? IS NULL OR (search_name >= ? AND search_name < ?) OR (search_kana >= ? AND search_kana < ?))
                    ORDER BY rowid LIMIT ?
                    """,
                arguments: [after, number, number, key, key, key.map(PatientSearchKey.upperBound),
                            key, key.map(PatientSearchKey.upperBound), page.limit + 1])
            let page = try Page.from(rows, limit: page.limit, Patient.init(row:))
            for patient in page.items {
                try AuditLog.append(.patientRead, entityType: "patient", entityId: patient.id,
                                    details: ["via": "list"], by: actor, at: now, in: db)
            }
            return page
        }
    }

    /// Fills the search keys of patients registered before they existed (run when the database opens).
    static func fillSearchKeys(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, name, name_kana FROM patients WHERE search_name = '' AND name <> ''")
        for row in rows {
            try db.execute(sql: "UPDATE patients SET search_name = ?, search_kana = ? WHERE id = ?",
                           arguments: [PatientSearchKey.of(row["name"]), PatientSearchKey.of(row["name_kana"]),
                                       row["id"] as String])
        }
    }
}
