import Foundation
import GRDB

/// What happens to a device; each event is a row of ``DeviceLifecycle/transitions``.
public enum DeviceEvent: String, Sendable, Codable, CaseIterable {
    /// It went home with a patient.
    case handOver = "loan_handed_over"
    /// It came back and holds patient data: it waits for a wipe.
    case returnedWithData = "loan_returned"
    /// It came back and holds no patient data.
    case returnedWithoutData = "loan_returned_no_data"
    /// Its data was deleted and the deletion verified by a second person (guideline ⑩).
    case wiped = "wiped"
    /// It was lost or stolen while out on a loan (guideline ③).
    case lost = "lost"
    /// A lost device that holds patient data was found: it waits for a wipe.
    case foundWithData = "found"
    /// A lost device that holds no patient data was found.
    case foundWithoutData = "found_no_data"
    /// Taken out of service (guideline ⑨).
    case retired = "retired"
    /// Destroyed or returned to its lessor, with the disposal record (guideline ⑪).
    case disposed = "disposed"
    /// Sent to a vendor for repair.
    case sentToRepair = "sent_to_repair"
    /// Back from repair holding patient data (or able to): it waits for a wipe.
    case repairedWithData = "repaired"
    /// Back from repair; the model holds no patient data.
    case repairedWithoutData = "repaired_no_data"
}

/// One allowed move of a device.
public struct DeviceTransition: Sendable, Equatable {
    /// The status it moves from.
    public let from: DeviceStatus
    /// What happens.
    public let event: DeviceEvent
    /// The status it moves to.
    public let to: DeviceStatus
    /// The operation whose roles may make this move (``AccessPolicy``).
    public let operation: RegistryOperation
}

/// The device lifecycle (DESIGN §4) in one table, and the one function that moves a device.
///
/// ```
/// available ──hand over──▶ on_loan ──return (stores data)──▶ awaiting_wipe ──wipe──▶ available
///     ▲                       │  └──loss──▶ lost ──found──▶ awaiting_wipe (stores data) | available
///     └──return (no data)─────┘
/// available | awaiting_wipe ──send to repair──▶ in_repair ──received──▶ awaiting_wipe (stores data) | available
/// available | awaiting_wipe | lost | in_repair ──retire──▶ retired ──dispose──▶ disposed
/// ```
/// The database holds the same pairs (`lifecycle_transitions`) and refuses any other status
/// change; leaving `awaiting_wipe` also needs a wipe record.
public enum DeviceLifecycle {
    /// Every allowed transition.
    public static let transitions: [DeviceTransition] = [
        .init(from: .available, event: .handOver, to: .onLoan, operation: .handOverLoan),
        .init(from: .onLoan, event: .returnedWithData, to: .awaitingWipe, operation: .receiveReturn),
        .init(from: .onLoan, event: .returnedWithoutData, to: .available, operation: .receiveReturn),
        .init(from: .awaitingWipe, event: .wiped, to: .available, operation: .recordWipe),
        .init(from: .onLoan, event: .lost, to: .lost, operation: .reportLoss),
        .init(from: .lost, event: .foundWithData, to: .awaitingWipe, operation: .recordFound),
        .init(from: .lost, event: .foundWithoutData, to: .available, operation: .recordFound),
        .init(from: .available, event: .retired, to: .retired, operation: .retireDevice),
        .init(from: .awaitingWipe, event: .retired, to: .retired, operation: .retireDevice),
        .init(from: .lost, event: .retired, to: .retired, operation: .retireDevice),
        .init(from: .retired, event: .disposed, to: .disposed, operation: .disposeDevice),
        .init(from: .available, event: .sentToRepair, to: .inRepair, operation: .manageRepairs),
        .init(from: .awaitingWipe, event: .sentToRepair, to: .inRepair, operation: .manageRepairs),
        .init(from: .inRepair, event: .repairedWithData, to: .awaitingWipe, operation: .manageRepairs),
        .init(from: .inRepair, event: .repairedWithoutData, to: .available, operation: .manageRepairs),
        .init(from: .inRepair, event: .retired, to: .retired, operation: .retireDevice),
    ]

    /// The transition for `event` from `status`, if the table has one.
    public static func transition(from status: DeviceStatus, on event: DeviceEvent) -> DeviceTransition? {
        transitions.first { $0.from == status && $0.event == event }
    }

    /// Refuses a device that cannot go out on a loan: `wipe_required` while it waits for a wipe,
    /// `device_unavailable` otherwise.
    static func requireLendable(_ device: Device) throws {
        guard transition(from: device.status, on: .handOver) != nil else { throw refusal(.handOver, device: device) }
    }

    /// The whereabouts of a device out on loan `number` (shown in the ledger).
    static func atPatientsHome(_ number: String) -> String { "患者宅（\(number)）" }
    /// The whereabouts of a device back from a patient and waiting for its wipe.
    static let awaitingWipeAtTheClinic = "返却受付（データ消去待ち）"

    /// Where the device was kept before it last left the shelf (a hand-over or a repair), to put
    /// it back there once it is ready to lend again.
    static func shelf(of deviceId: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT whereabouts FROM device_events
            WHERE device_id = ? AND seq < (SELECT max(seq) FROM device_events WHERE device_id = ? AND event IN (?, ?))
            ORDER BY seq DESC LIMIT 1
            """, arguments: [deviceId, deviceId, DeviceEvent.handOver.rawValue, DeviceEvent.sentToRepair.rawValue])
    }

    /// Why `event` cannot happen to a device in `status`.
    static func refusal(_ event: DeviceEvent, device: Device) -> RegistryError {
        switch event {
        case .wiped: .wipeNotPending(assetTag: device.assetTag, status: device.status)
        case .handOver where device.status == .awaitingWipe: .wipeRequired(assetTag: device.assetTag)
        case .handOver: .deviceUnavailable(assetTag: device.assetTag, status: device.status)
        default: .invalidDeviceTransition(assetTag: device.assetTag, status: device.status, event: event.rawValue)
        }
    }

    /// Moves `device` on `event`, in one savepoint: checks the table and the actor's role,
    /// writes the status and whereabouts, the device's history row and, when given, the audit event.
    ///
    /// - Returns: the new status.
    @discardableResult
    static func apply(
        _ event: DeviceEvent, to device: Device, loanId: String?, note: String = "", whereabouts: String? = nil,
        audit: (action: AuditAction, details: [String: String])? = nil, by actor: AuditActor, at date: Date, in db: Database
    ) throws -> DeviceStatus {
        guard let transition = transition(from: device.status, on: event) else { throw refusal(event, device: device) }
        try actor.authorize(transition.operation)
        let now = Timestamp.string(date)
        try db.inSavepoint {
            try db.execute(
                sql: "UPDATE devices SET status = ?, whereabouts = coalesce(?, whereabouts), updated_at = ? WHERE id = ?",
                arguments: [transition.to.rawValue, whereabouts, now, device.id])
            try db.execute(
                sql: """
                    INSERT INTO device_events (device_id, occurred_at, actor, event, from_status, to_status, whereabouts, loan_id, note)
                    VALUES (?, ?, ?, ?, ?, ?, (SELECT whereabouts FROM devices WHERE id = ?), ?, ?)
                    """,
                arguments: [device.id, now, actor.id, event.rawValue, device.status.rawValue, transition.to.rawValue,
                            device.id, loanId, note])
            if let audit {
                try AuditLog.append(audit.action, entityType: "device", entityId: device.id,
                                    details: audit.details.merging(["assetTag": device.assetTag], uniquingKeysWith: { first, _ in first }),
                                    by: actor, at: date, in: db)
            }
            return .commit
        }
        return transition.to
    }
}
