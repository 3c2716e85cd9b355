import Foundation
import GRDB
@testable import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct RecordIDTests {
    @Test func anIdIsLowerCaseUUIDTextOfVersion7() throws {
        for _ in 0..<1000 {
            let id = RecordID.make()
            let uuid = try #require(UUID(uuidString: id), "\(id) is not UUID text")
            #expect(id == uuid.uuidString.lowercased())
            #expect(id.count == 36)
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 7, "version")
            #expect(bytes[8] >> 6 == 0b10, "RFC 9562 variant")
        }
    }

    @Test func theIdStartsWithItsMillisecondAndKeepsTheRandomBits() {
        let id = RecordID.make(milliseconds: 0x0123_4567_89AB, random: (0xFFFF_FFFF_FFFF_FFFF, 0))
        #expect(id == "01234567-89ab-7fff-8000-000000000000")
        let other = RecordID.make(milliseconds: 0x0123_4567_89AB, random: (0x0000_0000_0000_0A55, 0x1122_3344_5566_7788))
        // Random bytes go in little-endian order; the version and variant bits replace theirs.
        #expect(other == "01234567-89ab-750a-8877-665544332211")
    }

    @Test func idsNeverRepeat() {
        let ids = (0..<20_000).map { _ in RecordID.make() }
        #expect(Set(ids).count == ids.count)
        // Made in this run: their time is now, give or take a minute.
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        for id in [ids.first!, ids.last!] {
            let milliseconds = UInt64(id.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)!
            #expect(milliseconds > now - 60_000 && milliseconds < now + 60_000)
        }
    }
}
