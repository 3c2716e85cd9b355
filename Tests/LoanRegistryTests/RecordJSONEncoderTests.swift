import Foundation
@testable import LoanRegistry
import RegistryTestSupport
import Testing

/// ``RecordJSONEncoder`` must write what `JSONEncoder` writes with the API's options, byte for
/// byte: bodies, ETags and the revisions staff send back depend on it. (Debug builds also check
/// every record any test encodes.)
@Suite struct RecordJSONEncoderTests {
    private func foundation<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    private func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try RecordJSONEncoder.encode(value)
        let theirs = try foundation(value)
        #expect(ours == theirs, "\(String(decoding: ours, as: UTF8.self)) != \(String(decoding: theirs, as: UTF8.self))",
                sourceLocation: sourceLocation)
    }

    private struct Mixed: Encodable {
        var text = "a/b \"q\" \\ \n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F} 見本\u{2028}👩‍⚕️"
        var optional: String? = nil
        var present: Int? = 7
        var flags = [true, false]
        var numbers: [Int64] = [Int64.min, -1, 0, Int64.max]
        var unsigned: [UInt8] = [0, 255]
        var nested: [[String]] = [[], ["x"], ["y", "z"]]
        var byKey = ["b": 1, "B": 2, "a": 3, "A": 4, "a10": 5, "a9": 6, "_": 7, "é": 8, "Z": 9, "": 10]
        var byNumber = [10: "ten", 9: "nine", -1: "minus one"]
        var empty: [String: String] = [:]
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_796_607_295.999),
                     Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 951_782_400.0005),
                     Date(timeIntervalSince1970: 4_102_444_799.9999)]
        var url = URL(string: "https://example.jp/a?b=c")!
        var data = Data([0, 1, 2, 250])
        var date = LocalDate("2026-02-28")!
        var status = LoanStatus.active
    }

    private struct ExplicitNulls: Encodable {
        enum Keys: String, CodingKey { case a, b, list, object }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeNil(forKey: .a)
            try container.encode("first", forKey: .b)
            try container.encode("second", forKey: .b)  // the same key twice: the last one stays
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encodeNil()
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode(1, forKey: .a)
            var object = container.nestedContainer(keyedBy: Keys.self, forKey: .object)
            try object.encode([1, 2], forKey: .list)
            let superEncoder = container.superEncoder()
            var single = superEncoder.singleValueContainer()
            try single.encode("super")
        }
    }

    /// A nested container asked for twice under one key, and a super encoder that encodes nothing.
    private struct Twice: Encodable {
        enum Keys: String, CodingKey { case meta, list, parent }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var first = container.nestedContainer(keyedBy: Keys.self, forKey: .meta)
            try first.encode(1, forKey: .list)
            var second = container.nestedContainer(keyedBy: Keys.self, forKey: .meta)
            try second.encode(2, forKey: .parent)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("a")
            var again = container.nestedUnkeyedContainer(forKey: .list)
            try again.encode("b")
            _ = container.superEncoder(forKey: .parent)
        }
    }

    private struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func writesWhatJSONEncoderWritesForEveryKindOfValue() throws {
        try expectSame(Mixed())
        try expectSame(ExplicitNulls())
        try expectSame(Twice())
        // A value that encodes nothing is an error at the top, `{}` inside, for both.
        #expect(throws: EncodingError.self) { try RecordJSONEncoder.encode(Nothing()) }
        #expect(throws: EncodingError.self) { try foundation(Nothing()) }
        try expectSame([Nothing()])
        try expectSame("fragment")
        try expectSame(42)
        try expectSame([String: [String: Int]]())
        // Floating point goes to JSONEncoder whole.
        try expectSame(["x": 0.1, "y": 1.0, "z": 1e-7])
    }

    @Test func writesDatesAsJSONEncoderDoesAcrossTheCalendar() throws {
        var dates: [Date] = []
        var seconds = -11_676_096_000.0  // 1600-01-01
        while seconds < 253_402_300_800 {
            dates.append(Date(timeIntervalSince1970: seconds))
            dates.append(Date(timeIntervalSince1970: seconds + 0.999))
            seconds += 86_400 * 97 + 3_661.5
        }
        // Stored one step below a whole second: the interval since 1970 rounds up to the second,
        // the stored interval (since 2001) does not.
        dates += [Date(timeIntervalSinceReferenceDate: 819_000_000 - 1.0 / 8_388_608),
                  Date(timeIntervalSinceReferenceDate: -1.0 / 8_388_608)]
        dates += [Date(timeIntervalSince1970: -20_000_000_000), Date(timeIntervalSince1970: 300_000_000_000),
                  Date(timeIntervalSince1970: 951_868_799), Date(timeIntervalSince1970: 951_868_800)]  // 2000-02-29/03-01
        try expectSame(dates)
    }

    @Test func writesRealRecordsAsJSONEncoderDoes() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = try await test.account("tanaka", role: .staff)
        let active = try await test.fixtures.activeLoan()
        let returned = try await test.registry.loans.receiveReturn(
            try await test.fixtures.activeLoan().id,
            LoanReturn(condition: .ok, accessoriesComplete: false, notes: "ケーブル\n欠品"), by: actor)
        let draft = try await test.fixtures.draftLoan()
        let page = try await test.registry.loans.list(by: actor)
        #expect(page.items.count == 3)
        try expectSame(page)
        for loan in [active, returned, draft] {
            try expectSame(loan)
            #expect(try Revision.of(loan) == Revision.of(encoded: try foundation(loan)))
        }
        try expectSame(try await test.registry.patients.patient(active.patient.id, by: actor))
    }
}
