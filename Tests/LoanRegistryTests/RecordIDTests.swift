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

    @Test func idsMadeLaterSortAfterAndNeverRepeat() async throws {
        var ids: [String] = []
        for _ in 0..<5 {
            ids += (0..<2000).map { _ in RecordID.make() }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(Set(ids).count == ids.count)
        // Within a millisecond the random bits decide; across the sleeps the time does.
        let firstOfEach = stride(from: 0, to: ids.count, by: 2000).map { ids[$0] }
        #expect(firstOfEach == firstOfEach.sorted())
        let prefixes = ids.map { $0.prefix(13) }  // the 48-bit millisecond, as text
        #expect(prefixes == prefixes.sorted())
    }

    @Test func aRegisteredPatientIsAnsweredExactlyAsStored() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = try await test.account("tanaka", role: .staff)
        // Text that normalization changes (a decomposed ガ, a full-width patient number), and
        // absent optional fields: the answer must be what a later read gives, field for field.
        let registered = try await test.registry.patients.register(
            NewPatient(patientNumber: "Ｐ－０４２", name: "カ\u{3099}トウ 太郎", nameKana: nil, phone: nil, language: nil), by: actor)
        let read = try await test.registry.patients.patient(registered.id, by: actor)
        #expect(registered == read)
        #expect(registered.patientNumber == "P-042" && registered.name == "ガトウ 太郎")
        #expect(registered.nameKana == "" && registered.phone == "" && registered.language == .ja)
        let english = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-043", name: "Jane Doe", nameKana: "ジェーン", phone: "090-0000-1111", language: .en), by: actor)
        #expect(english == (try await test.registry.patients.patient(english.id, by: actor)))
        #expect(try await test.registry.verify(deep: true).passed)
    }
}
