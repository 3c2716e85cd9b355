import Foundation
@testable import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct PatientRegistrationTests {
    /// The registration answers from the values it wrote, without reading the row back: the
    /// answer must be what a later read gives, byte for byte as the API encodes it (so the ETag
    /// matches too), with a clock that is not on a whole second.
    @Test func aRegisteredPatientIsAnsweredExactlyAsStored() async throws {
        let test = try await TestRegistry(clock: .fixed(Date(timeIntervalSince1970: 1_796_607_295.123_456)))
        let actor = try await test.account("tanaka", role: .staff)
        // Text that normalization changes (a decomposed ガ, a full-width patient number), and
        // absent optional fields.
        let registered = try await test.registry.patients.register(
            NewPatient(patientNumber: "Ｐ－０４２", name: "カ\u{3099}トウ 太郎", nameKana: nil, phone: nil, language: nil), by: actor)
        let read = try await test.registry.patients.patient(registered.id, by: actor)
        #expect(try RecordJSONEncoder.encode(registered) == (try RecordJSONEncoder.encode(read)))
        #expect(registered.createdAt == read.createdAt)
        #expect(Array(registered.name.unicodeScalars) == Array("ガトウ 太郎".unicodeScalars))
        #expect(registered.patientNumber == "P-042")
        #expect(registered.nameKana == "" && registered.phone == "" && registered.language == .ja)
        let english = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-043", name: "Jane Doe", nameKana: "ジェーン", phone: "090-0000-1111", language: .en), by: actor)
        let readEnglish = try await test.registry.patients.patient(english.id, by: actor)
        #expect(try RecordJSONEncoder.encode(english) == (try RecordJSONEncoder.encode(readEnglish)))
        #expect(english.createdAt == readEnglish.createdAt)
        #expect(try await test.registry.verify(deep: true).passed)
    }
}
