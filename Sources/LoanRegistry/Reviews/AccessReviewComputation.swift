import Foundation
import GRDB

/// Works out a period's access review from the audit log, in one read transaction.
///
/// Reads of patient data are the `patient.read`, `loan.read`, `consent.read` and
/// `consent.signature_read` events; the patient of each is found through the loan or consent it
/// names. The registry itself (`system`) is counted but never flagged.
struct AccessReviewComputation {
    /// Actions that read patient data.
    static let readActions: [AuditAction] = [.patientRead, .loanRead, .consentRead, .consentSignatureRead]
    /// Actions by which an account takes part in a patient's care here: registering or correcting
    /// the patient, or registering, explaining, consenting, giving the contact sheet, handing over,
    /// receiving, extending, contacting about, cancelling or reporting the loss of one of their loans.
    static let relationshipActions: [AuditAction] = [
        .patientRegistered, .patientCorrected, .loanCreated, .loanChanged, .explanationSnapshotted, .consentRecorded,
        .consentWithdrawn, .contactSheetGiven, .loanHandedOver, .loanReturned, .loanExtended, .loanContactRecorded,
        .loanCancelled, .loanLost,
    ]
    /// Days before a day that make its volume baseline.
    static let baselineDays = 30
    /// A day is flagged above this many times the baseline median …
    static let volumeFactor = 3
    /// … with the median taken as at least this, so a new or part-time account is not flagged for a handful of reads.
    static let volumeFloor = 5

    /// The patient an event's entity belongs to.
    private static let patientOfEntity = """
        CASE e.entity_type
            WHEN 'patient' THEN e.entity_id
            WHEN 'loan' THEN (SELECT l.patient_id FROM loans l WHERE l.id = e.entity_id)
            WHEN 'consent' THEN (SELECT l.patient_id FROM consents c JOIN loans l ON l.id = c.loan_id WHERE c.id = e.entity_id)
        END
        """

    private struct Read {
        let seq: Int
        let date: Date
        let day: LocalDate
        let actor: String
        let patient: String?
    }

    static func review(_ period: AccessReviewPeriod, in db: Database) throws -> AccessReview {
        let calendar = try ClinicCalendar.fetch(db)
        var holidays = HolidayBook()
        let start = Timestamp.string(period.from.startOfDay)
        let end = Timestamp.string(period.to.adding(days: 1).startOfDay)
        let baselineStart = Timestamp.string(period.from.adding(days: -baselineDays).startOfDay)
        let placeholders = readActions.map { _ in "?" }.joined(separator: ", ")

        var reads: [Read] = []
        var daily: [String: [LocalDate: Int]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.seq, e.occurred_at, e.actor, \(patientOfEntity) AS patient_id
            FROM audit_events e
            WHERE e.occurred_at >= ? AND e.occurred_at < ? AND e.action IN (\(placeholders))
            ORDER BY e.seq
            """, arguments: StatementArguments([baselineStart, end] + readActions.map(\.rawValue)))
        while let row = try rows.next() {
            guard let date = Timestamp.date(row["occurred_at"]) else { continue }
            let read = Read(seq: row["seq"], date: date, day: LocalDate(date), actor: row["actor"], patient: row["patient_id"])
            daily[read.actor, default: [:]][read.day, default: 0] += 1
            if read.day >= period.from { reads.append(read) }
        }

        // Care relationships up to the period's end, from the chain and from who explained each consent.
        var related: [String: Set<String>] = [:]
        let relationshipPlaceholders = relationshipActions.map { _ in "?" }.joined(separator: ", ")
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT e.actor, \(patientOfEntity) AS patient_id FROM audit_events e
            WHERE e.occurred_at < ? AND e.action IN (\(relationshipPlaceholders))
            UNION
            SELECT 'staff:' || c.explained_by, l.patient_id FROM consents c JOIN loans l ON l.id = c.loan_id
            WHERE c.decided_at < ?
            """, arguments: StatementArguments([end] + relationshipActions.map(\.rawValue) + [end])) {
            if let patient = row["patient_id"] as String? { related[row["actor"], default: []].insert(patient) }
        }

        var flags: [AccessFlag] = []
        // Off-hours, per account and day.
        var offHours: [String: (count: Int, events: [Int], reasons: Set<String>)] = [:]
        var offHoursPerAccount: [String: Int] = [:]
        for read in reads {
            guard let reason = calendar.offHoursReason(read.date, holidays: &holidays) else { continue }
            offHoursPerAccount[read.actor, default: 0] += 1
            guard read.actor != AuditActor.system.id else { continue }
            let key = "\(read.actor)|\(read.day)"
            var entry = offHours[key] ?? (0, [], [])
            entry.count += 1
            if entry.events.count < 20 { entry.events.append(read.seq) }
            entry.reasons.insert(reason)
            offHours[key] = entry
        }
        for (key, entry) in offHours {
            let parts = key.split(separator: "|").map(String.init)
            guard let day = LocalDate(parts[1]) else { continue }
            var facts = ["reason": entry.reasons.sorted().joined(separator: ",")]
            if let holiday = holidays.name(of: day) { facts["holiday"] = holiday }
            if let closed = calendar.closedDays.first(where: { $0.day == day }) { facts["closedDay"] = closed.note }
            flags.append(AccessFlag(id: "off_hours:\(parts[0]):\(day)", kind: .offHours, account: parts[0], day: day,
                                    patientId: nil, count: entry.count, events: entry.events, facts: facts))
        }

        // Volume, per account and day, against the account's own working-day median of the 30 days before.
        for (actor, days) in daily where actor != AuditActor.system.id {
            for (day, count) in days where period.contains(day) {
                var history: [Int] = []
                for back in 1...baselineDays {
                    let earlier = day.adding(days: -back)
                    if calendar.isWorkingDay(earlier, holidays: &holidays) { history.append(days[earlier] ?? 0) }
                }
                let median = Self.median(history)
                let threshold = volumeFactor * max(median, volumeFloor)
                guard count > threshold else { continue }
                let events = reads.filter { $0.actor == actor && $0.day == day }.prefix(20).map(\.seq)
                flags.append(AccessFlag(id: "volume:\(actor):\(day)", kind: .volume, account: actor, day: day, patientId: nil,
                                        count: count, events: Array(events),
                                        facts: ["median": String(median), "threshold": String(threshold),
                                                "baselineDays": String(history.count)]))
            }
        }

        // Reads of a patient the account never had a part in.
        var unrelated: [String: (count: Int, events: [Int], first: LocalDate)] = [:]
        for read in reads where read.actor != AuditActor.system.id {
            guard let patient = read.patient, related[read.actor]?.contains(patient) != true else { continue }
            let key = "\(read.actor)|\(patient)"
            var entry = unrelated[key] ?? (0, [], read.day)
            entry.count += 1
            if entry.events.count < 20 { entry.events.append(read.seq) }
            unrelated[key] = entry
        }
        var unrelatedPatients: [String: Int] = [:]
        for (key, entry) in unrelated {
            let parts = key.split(separator: "|").map(String.init)
            unrelatedPatients[parts[0], default: 0] += 1
            flags.append(AccessFlag(id: "no_care_relationship:\(parts[0]):\(parts[1])", kind: .noCareRelationship,
                                    account: parts[0], day: entry.first, patientId: parts[1], count: entry.count,
                                    events: entry.events, facts: [:]))
        }

        flags += try signInFlags(start: start, end: end, in: db)

        // Decisions (the latest per item) and the sign-off.
        var decisions: [String: AccessReviewDecision] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT item, decision, note, decided_at, decided_by FROM access_review_decisions WHERE period = ? ORDER BY seq
            """, arguments: [period.id]) {
            guard let outcome = AccessReviewDecision.Outcome(rawValue: row["decision"]) else { continue }
            decisions[row["item"]] = AccessReviewDecision(item: row["item"], decision: outcome, note: row["note"],
                                                          decidedAt: row["decided_at"], decidedBy: row["decided_by"])
        }
        let order = Dictionary(uniqueKeysWithValues: AccessFlag.Kind.allCases.enumerated().map { ($1, $0) })
        flags.sort { a, b in
            (order[a.kind] ?? 0, a.account, a.day?.description ?? "", a.id) < (order[b.kind] ?? 0, b.account, b.day?.description ?? "", b.id)
        }
        for index in flags.indices { flags[index].decision = decisions[flags[index].id] }
        let signOff = try Row.fetchOne(db, sql: "SELECT signed_at, signed_by, flags, note FROM access_review_sign_offs WHERE period = ?",
                                       arguments: [period.id]).map {
            AccessReview.SignOff(signedAt: $0["signed_at"], signedBy: $0["signed_by"], flags: $0["flags"], note: $0["note"])
        }

        var accounts: [AccessReview.Account] = []
        for (actor, actorReads) in Dictionary(grouping: reads, by: \.actor) {
            let patients = Set(actorReads.compactMap(\.patient))
            accounts.append(AccessReview.Account(
                account: actor, reads: actorReads.count, offHoursReads: offHoursPerAccount[actor] ?? 0, patients: patients.count,
                patientsWithoutRelationship: unrelatedPatients[actor] ?? 0, days: Set(actorReads.map(\.day)).count,
                flags: flags.filter { $0.account == actor }.count))
        }
        accounts.sort { ($0.reads, $1.account) > ($1.reads, $0.account) }
        return AccessReview(period: period, calendar: calendar, reads: reads.count, accounts: accounts, flags: flags, signOff: signOff)
    }

    /// Failed sign-ins (per login and day), lockouts, and sign-ins from an address the account never used before.
    private static func signInFlags(start: String, end: String, in db: Database) throws -> [AccessFlag] {
        var flags: [AccessFlag] = []
        var failed: [String: (count: Int, events: [Int], addresses: Set<String>, reasons: Set<String>)] = [:]
        let decoder = JSONDecoder()
        func details(_ row: Row) -> [String: String] {
            (try? decoder.decode([String: String].self, from: Data((row["details"] as String).utf8))) ?? [:]
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT seq, occurred_at, action, entity_id, details FROM audit_events
            WHERE occurred_at >= ? AND occurred_at < ? AND action IN (?, ?) ORDER BY seq
            """, arguments: [start, end, AuditAction.signInFailed.rawValue, AuditAction.accountLocked.rawValue]) {
            guard let date = Timestamp.date(row["occurred_at"]) else { continue }
            let login: String = row["entity_id"]
            let facts = details(row)
            let seq: Int = row["seq"]
            if row["action"] == AuditAction.accountLocked.rawValue {
                flags.append(AccessFlag(id: "lockout:\(seq)", kind: .lockout, account: "staff:\(login)", day: LocalDate(date),
                                        patientId: nil, count: 1, events: [seq],
                                        facts: ["address": facts["address"] ?? "-", "minutes": facts["minutes"] ?? ""]))
                continue
            }
            let key = "\(login)|\(LocalDate(date))"
            var entry = failed[key] ?? (0, [], [], [])
            entry.count += 1
            if entry.events.count < 20 { entry.events.append(seq) }
            entry.addresses.insert(facts["address"] ?? "-")
            entry.reasons.insert(facts["reason"] ?? "")
            failed[key] = entry
        }
        for (key, entry) in failed {
            let parts = key.split(separator: "|").map(String.init)
            flags.append(AccessFlag(id: "failed_sign_ins:staff:\(parts[0]):\(parts[1])", kind: .failedSignIns,
                                    account: "staff:\(parts[0])", day: LocalDate(parts[1]), patientId: nil, count: entry.count,
                                    events: entry.events,
                                    facts: ["addresses": entry.addresses.sorted().prefix(5).joined(separator: ","),
                                            "reasons": entry.reasons.sorted().joined(separator: ",")]))
        }
        var known: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT seq, occurred_at, entity_id, details FROM audit_events WHERE occurred_at < ? AND action = ? ORDER BY seq
            """, arguments: [end, AuditAction.signedIn.rawValue]) {
            let login: String = row["entity_id"]
            let address = details(row)["address"] ?? "-"
            guard address != "-" else { continue }
            let occurredAt: String = row["occurred_at"]
            let seen = known[login, default: []]
            if occurredAt >= start, !seen.isEmpty, !seen.contains(address), let date = Timestamp.date(occurredAt) {
                let seq: Int = row["seq"]
                flags.append(AccessFlag(id: "new_address:\(seq)", kind: .newAddress, account: "staff:\(login)", day: LocalDate(date),
                                        patientId: nil, count: 1, events: [seq],
                                        facts: ["address": address, "knownAddresses": String(seen.count)]))
            }
            known[login, default: []].insert(address)
        }
        return flags
    }

    static func median(_ values: [Int]) -> Int {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
