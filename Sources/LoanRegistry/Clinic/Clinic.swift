import Foundation
import GRDB

/// The clinic profile: read it, set it. Changes are audited with the names of the fields changed.
public struct Clinic: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// The current profile, or `nil` before one is set.
    public func profile(by actor: AuditActor) async throws -> ClinicProfile? {
        try actor.authorize(.readClinicProfile)
        return try await registry.read { db in try ClinicProfile.fetch(db) }
    }

    /// Sets the whole profile. Explanations already snapshotted keep the contacts they showed;
    /// new and refreshed explanations use the new ones.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)``.
    @discardableResult
    public func update(_ input: ClinicProfile, precondition: EditPrecondition = .none,
                       by actor: AuditActor) async throws -> ClinicProfile {
        try actor.authorize(.updateClinicProfile)
        let input = try TextNormalization.nfc(input)
        try input.validate()
        let now = registry.clock.now()
        return try await writer.write { db in
            let previous = try ClinicProfile.fetch(db)
            // The first profile has no revision to name; a change of an existing one does.
            if let previous { try precondition.check(previous, entity: "clinic profile", id: "") }
            try db.execute(
                sql: """
                    INSERT INTO clinic_profile (id, name, department, phone, hours, after_hours_phone,
                        after_hours_reaches, privacy_desk, name_en, department_en, hours_en, after_hours_note_en,
                        privacy_desk_en, presumed_lost_after_days, updated_at, updated_by)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, department = excluded.department,
                        phone = excluded.phone, hours = excluded.hours, after_hours_phone = excluded.after_hours_phone,
                        after_hours_reaches = excluded.after_hours_reaches, privacy_desk = excluded.privacy_desk,
                        name_en = excluded.name_en, department_en = excluded.department_en, hours_en = excluded.hours_en,
                        after_hours_note_en = excluded.after_hours_note_en, privacy_desk_en = excluded.privacy_desk_en,
                        presumed_lost_after_days = excluded.presumed_lost_after_days,
                        updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """,
                arguments: StatementArguments(
                    [input.name, input.department, input.phone, input.hours, input.afterHoursPhone,
                     input.afterHoursReaches.rawValue, input.privacyDesk]
                    + (input.english?.fields ?? ClinicProfile.English().fields).map { $0.value ?? "" }
                    + [String(input.presumedLostAfterDays ?? Loans.presumedLostAfterDays), Timestamp.string(now), actor.id]))
            let changed = Self.changedFields(from: previous, to: input)
            try AuditLog.append(.clinicUpdated, entityType: "clinic", entityId: "1",
                                details: ["fields": changed.joined(separator: ",")], by: actor, at: now, in: db)
            return try ClinicProfile.require(db)
        }
    }

    static func changedFields(from old: ClinicProfile?, to new: ClinicProfile) -> [String] {
        let pairs: [(String, String?, String)] = [
            ("name", old?.name, new.name), ("department", old?.department, new.department),
            ("phone", old?.phone, new.phone), ("hours", old?.hours, new.hours),
            ("afterHoursPhone", old?.afterHoursPhone, new.afterHoursPhone),
            ("afterHoursReaches", old?.afterHoursReaches.rawValue, new.afterHoursReaches.rawValue),
            ("privacyDesk", old?.privacyDesk, new.privacyDesk),
            ("presumedLostAfterDays", old.map { String($0.presumedLostAfterDays ?? 30) }, String(new.presumedLostAfterDays ?? 30)),
        ] + zip(old?.english?.fields ?? ClinicProfile.English().fields, new.english?.fields ?? ClinicProfile.English().fields)
            .map { ("english.\($0.name)", $0.value ?? "", $1.value ?? "") }
        return pairs.filter { $0.1 != $0.2 }.map(\.0)
    }
}
