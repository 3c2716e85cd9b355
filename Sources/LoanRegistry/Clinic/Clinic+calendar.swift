import Foundation
import GRDB

extension Clinic {
    /// The clinic's weekly hours and closed days.
    public func calendar(by actor: AuditActor) async throws -> ClinicCalendar {
        try actor.authorize(.readClinicProfile)
        return try await registry.read { db in try ClinicCalendar.fetch(db) }
    }

    /// Sets the hours of the weekdays given (0 Sunday … 6 Saturday; `nil` closes the day).
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` for a time that is not `HH:MM` or hours that
    ///   do not open before they close.
    @discardableResult
    public func setHours(_ hours: [Int: ClinicCalendar.Hours?], by actor: AuditActor) async throws -> ClinicCalendar {
        try actor.authorize(.updateClinicProfile)
        var validator = FieldValidator()
        for (weekday, day) in hours {
            validator.require((0...6).contains(weekday), "weekday", "is 0 (Sunday) to 6 (Saturday)")
            if let day {
                validator.require(Self.isTime(day.opens), "opens", "is a time HH:MM from 00:00 to 23:59")
                validator.require(Self.isTime(day.closes) || day.closes == "24:00", "closes", "is a time HH:MM from 00:01 to 24:00")
                validator.require(day.opens < day.closes, "closes", "is after the opening time")
            }
        }
        try validator.check()
        let now = registry.clock.now()
        return try await writer.write { db in
            for (weekday, day) in hours.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "UPDATE clinic_hours SET opens = ?, closes = ? WHERE weekday = ?",
                               arguments: [day?.opens, day?.closes, weekday])
            }
            let calendar = try ClinicCalendar.fetch(db)
            try AuditLog.append(.clinicHoursChanged, entityType: "clinic", entityId: "1",
                                details: ["weekdays": hours.keys.sorted().map(String.init).joined(separator: ",")],
                                by: actor, at: now, in: db)
            return calendar
        }
    }

    /// Adds a day the clinic is closed (e.g. 年末年始), or changes its note.
    @discardableResult
    public func addClosedDay(_ day: LocalDate, note: String, by actor: AuditActor) async throws -> ClinicCalendar {
        try actor.authorize(.updateClinicProfile)
        let note = note.precomposedStringWithCanonicalMapping
        var validator = FieldValidator()
        validator.text(note, "note", maximum: 200, required: false)
        try validator.check()
        let now = registry.clock.now()
        return try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO clinic_closed_days (day, note, added_at, added_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (day) DO UPDATE SET note = excluded.note, added_at = excluded.added_at, added_by = excluded.added_by
                """, arguments: [day.description, note, Timestamp.string(now), actor.id])
            try AuditLog.append(.clinicClosedDayAdded, entityType: "clinic", entityId: "1", details: ["day": day.description],
                                by: actor, at: now, in: db)
            return try ClinicCalendar.fetch(db)
        }
    }

    /// Removes a closed day.
    ///
    /// - Throws: ``RegistryError/notFound(entity:id:)`` when the day is not a closed day.
    @discardableResult
    public func removeClosedDay(_ day: LocalDate, by actor: AuditActor) async throws -> ClinicCalendar {
        try actor.authorize(.updateClinicProfile)
        let now = registry.clock.now()
        return try await writer.write { db in
            try db.execute(sql: "DELETE FROM clinic_closed_days WHERE day = ?", arguments: [day.description])
            guard db.changesCount == 1 else { throw RegistryError.notFound(entity: "closed day", id: day.description) }
            try AuditLog.append(.clinicClosedDayRemoved, entityType: "clinic", entityId: "1", details: ["day": day.description],
                                by: actor, at: now, in: db)
            return try ClinicCalendar.fetch(db)
        }
    }

    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.count == 5, parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return false }
        return parts[0].count == 2 && parts[1].count == 2 && (0...23).contains(hour) && (0...59).contains(minute)
    }
}
