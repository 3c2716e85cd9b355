import Foundation
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// Issue 12 over HTTP: return → wipe → lend again; extension; loss → incident → found → reports;
/// retirement and disposal — each refusal with its status and stable code, nothing written.
@Suite struct DeviceCustodyAPITests {
    @Test func custodyFromReturnToDisposalOverHTTP() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        let first = try await test.fixtures.activeLoan()
        let second = try await test.fixtures.activeLoan()
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            _ = try await client.signedIn(as: "checker", role: .staff, in: test)
            let returned = try await api.send(.post, "/api/v1/loans/\(first.id)/return", json: #"{"condition":"ok","accessoriesComplete":true}"#)
            #expect((returned.json["dataDeletion"] as? [String: Any])?["summary"] as? String == "data deletion: pending")
            let patient = try await test.fixtures.patient()
            let refused = try await api.send(.post, "/api/v1/loans", json: #"{"deviceId":"\#(first.device.id)","patientId":"\#(patient.id)"}"#)
            #expect(refused.status == .conflict && refused.code == "wipe_required")
            let same = try await api.send(.post, "/api/v1/devices/\(first.device.id)/sanitizations", json:
                #"{"method":"documented_erase","performedBy":"tester","verifiedBy":"tester","dataExportedFirst":false}"#)
            #expect(same.status == .unprocessableContent && same.fields.contains("verifiedBy"))
            let wiped = try await api.send(.post, "/api/v1/devices/\(first.device.id)/sanitizations", json:
                #"{"method":"documented_erase","performedBy":"tester","verifiedBy":"checker","dataExportedFirst":false}"#)
            #expect(wiped.status == .created && wiped.json["status"] as? String == "available")
            #expect((wiped.json["dataDeletion"] as? [String: Any])?["summary"] as? String
                    == "data deletion: confirmed by staff:tester, verified by staff:checker")
            let again = try await api.send(.post, "/api/v1/devices/\(first.device.id)/sanitizations", json:
                #"{"method":"documented_erase","performedBy":"tester","verifiedBy":"checker","dataExportedFirst":false}"#)
            #expect(again.status == .conflict && again.code == "wipe_not_pending")

            let tooFar = try await api.send(.post, "/api/v1/loans/\(second.id)/extension", json: #"{"dueDate":"2028-01-01","reason":"r"}"#)
            #expect(tooFar.status == .unprocessableContent)
            let extended = try await api.send(.post, "/api/v1/loans/\(second.id)/extension", json: #"{"dueDate":"2026-12-01","reason":"repeat"}"#)
            #expect(extended.status == .ok && extended.json["dueDate"] as? String == "2026-12-01")
            #expect((extended.json["extensions"] as? [[String: Any]])?.count == 1)

            let loss = try await api.send(.post, "/api/v1/loans/\(second.id)/loss",
                                          json: #"{"kind":"lost","occurredOn":"2026-11-20","discoveredOn":"2026-11-21"}"#)
            #expect(loss.status == .created && loss.json["number"] as? String == "I-2026-0001")
            #expect((loss.json["preliminaryReport"] as? [String: Any])?["dueOn"] as? String == "2026-11-26")
            let onReturned = try await api.send(.post, "/api/v1/loans/\(first.id)/loss",
                                                json: #"{"kind":"lost","occurredOn":"2026-11-20","discoveredOn":"2026-11-21"}"#)
            #expect(onReturned.status == .conflict && onReturned.code == "loan_not_active")
            let list = try await api.send(.get, "/api/v1/incidents?status=open")
            #expect((list.json["items"] as? [[String: Any]])?.count == 1)
            #expect(try await api.send(.post, "/api/v1/incidents/I-2026-0001/found", json: "{}").status == .ok)
            let foundAgain = try await api.send(.post, "/api/v1/incidents/I-2026-0001/found")
            #expect(foundAgain.status == .conflict && foundAgain.code == "invalid_device_transition")
            let report = try await api.send(.post, "/api/v1/incidents/I-2026-0001/reports",
                                            json: #"{"stage":"preliminary","submittedOn":"2026-11-21"}"#)
            #expect((report.json["preliminaryReport"] as? [String: Any])?["submittedOn"] as? String == "2026-11-21")

            let early = try await api.send(.post, "/api/v1/devices/\(second.device.id)/disposal",
                                           json: #"{"method":"physical_destruction","performedBy":"tester","noReadableDataConfirmed":true}"#)
            #expect(early.status == .conflict && early.code == "invalid_device_transition")
            #expect(try await api.send(.post, "/api/v1/devices/\(second.device.id)/retirement", json: #"{"reason":"found damaged"}"#)
                .json["status"] as? String == "retired")
            let noEvidence = try await api.send(.post, "/api/v1/devices/\(second.device.id)/disposal",
                                                json: #"{"method":"physical_destruction","performedBy":"tester","noReadableDataConfirmed":true}"#)
            #expect(noEvidence.status == .conflict && noEvidence.code == "disposal_evidence_required")
            let disposed = try await api.send(.post, "/api/v1/devices/\(second.device.id)/disposal", json:
                #"{"method":"vendor_destruction","performedBy":"Recycle Co.","vendor":"Recycle Co.","certificateNumber":"C-9","noReadableDataConfirmed":true}"#)
            #expect(disposed.status == .created && disposed.json["evidence"] as? String == "vendor_certificate")
            let report2 = try await api.send(.get, "/api/v1/reports/disposals")
            #expect((report2.json["items"] as? [[String: Any]])?.first?["certificateNumber"] as? String == "C-9")
        }
        #expect(try await test.registry.verify().auditChain.isIntact)
    }
}
