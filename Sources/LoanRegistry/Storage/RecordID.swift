import Foundation

/// New record ids: lower-case UUID text (`018f3c6e-9a1b-7c2d-8e3f-0123456789ab`), version 7.
///
/// Version 7 (RFC 9562) starts with the creation time in milliseconds, then 74 random bits. Two
/// reasons over `UUID()` (version 4):
/// - **Fewer pages per commit.** Every table keyed by id, and the audit log's index by record,
///   gains its new entries at the end of the index instead of on a random page. Profiled on the
///   durable create, random ids made each group commit write a page per index per record.
/// - **No file per id.** Foundation's `UUID()` opens and reads `/dev/urandom` on every call on
///   Linux; this takes its random bits from the system generator (`getrandom`).
///
/// The time in an id is when it was made by the system clock (not the registry's ``Clock``,
/// which tests and benchmarks move), to the millisecond; nothing about the patient. Anyone who
/// sees an id (in a URL, a log line or an export) can read when its record was made: no more
/// than its `createdAt` says to staff, but the README's privacy notes name it. Ids stay opaque to
/// callers: never parse one for its time.
package enum RecordID {
    /// A new id, made now.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(milliseconds: UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded(.down))),
                    random: (generator.next(), generator.next()))
    }

    /// The id for `milliseconds` since 1970 and 128 random bits (of which 74 are used).
    package static func make(milliseconds: UInt64, random: (UInt64, UInt64)) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index)))
        }
        for index in 6..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: random.0 >> (8 * (index - 6)))
        }
        for index in 8..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: random.1 >> (8 * (index - 8)))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10 (RFC 9562)
        return [bytes[0..<4], bytes[4..<6], bytes[6..<8], bytes[8..<10], bytes[10..<16]]
            .map(\.hexString).joined(separator: "-")
    }
}
