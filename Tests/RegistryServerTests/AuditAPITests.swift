import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// Issue 14 over HTTP: the access review (auditor and manager only, decisions, sign-off), the
/// audit log's events and verification, the evidence report as JSON and PDF.
@Suite struct AuditAPITests {
    @Test func reviewAuditAndEvidenceOverHTTP() async throws {
        let clock = MovableClock(MovableClock.noon(LocalDate("2026-11-21")!))
        let test = try await TestRegistry(clock: clock.clock)
        let directory = URL(fileURLWithPath: test.directory.path("registry.sqlite.audit"))
        var configuration = ServerConfiguration()
        configuration.checkpointDirectory = directory
        let store = CheckpointStore(directory: directory)
        _ = try await test.registry.checkCheckpointKey(store)
        let app = buildApplication(registry: test.registry, configuration: configuration)
        let patient = try await test.fixtures.patient()
        try await app.test(.router) { client in
            clock.go(to: LocalDate("2026-11-23")!, hour: 10)   // 勤労感謝の日
            let reader = try await client.signedIn(as: "sato", role: .staff, in: test)
            #expect(try await reader.send(.get, "/api/v1/patients/\(patient.id)").status == .ok)
            try await test.registry.writeCheckpoint(to: store, by: .system)
            // Nine days on, the sessions have lapsed: everyone signs in again.
            clock.go(to: LocalDate("2026-12-02")!, hour: 10)
            let staff = SignedInClient(client: client, token: try await client.token("sato"))
            let auditor = try await client.signedIn(as: "takahashi", role: .auditor, in: test)
            let manager = try await client.signedIn(as: "suzuki", role: .manager, in: test)

            let period = "2026-11-01..2026-11-30"
            for (path, method) in [("/api/v1/reviews/access?from=2026-11-01&to=2026-11-30", HTTPRequest.Method.get),
                                   ("/api/v1/audit/events", .get), ("/api/v1/audit/verify", .get),
                                   ("/api/v1/reports/evidence?from=2026-11-01&to=2026-11-30", .get)] {
                let refused = try await staff.send(method, path)
                #expect(refused.status == .forbidden && refused.code == "forbidden", "\(path)")
            }
            let review = try await auditor.send(.get, "/api/v1/reviews/access?from=2026-11-01&to=2026-11-30")
            let flags = try #require(review.json["flags"] as? [[String: Any]])
            let ids = flags.compactMap { $0["id"] as? String }
            #expect(ids == ["off_hours:staff:sato:2026-11-23", "no_care_relationship:staff:sato:\(patient.id)"])
            #expect((flags[0]["facts"] as? [String: String])?["holiday"] == "勤労感謝の日")
            #expect(try await auditor.send(.get, "/api/v1/reviews/access?from=2026-11-30&to=2026-11-01").status == .unprocessableContent)
            #expect(try await auditor.send(.get, "/api/v1/reviews/access?from=2026-11-01").fields == ["to"])

            let early = try await manager.send(.post, "/api/v1/reviews/access/\(period)/sign-off", json: "{}")
            #expect(early.status == .conflict && early.code == "review_incomplete")
            let bySignOffAuditor = try await auditor.send(.post, "/api/v1/reviews/access/\(period)/sign-off", json: "{}")
            #expect(bySignOffAuditor.status == .forbidden)
            let unknown = try await auditor.send(.post, "/api/v1/reviews/access/\(period)/decisions",
                                                 json: #"{"item":"volume:nobody","decision":"justified","note":"n"}"#)
            #expect(unknown.status == .notFound)
            let noNote = try await auditor.send(.post, "/api/v1/reviews/access/\(period)/decisions",
                                                json: #"{"item":"\#(ids[0])","decision":"justified","note":""}"#)
            #expect(noNote.status == .unprocessableContent && noNote.fields == ["note"])
            let badPeriod = try await auditor.send(.post, "/api/v1/reviews/access/2026-11-01/decisions",
                                                   json: #"{"item":"\#(ids[0])","decision":"justified","note":"n"}"#)
            #expect(badPeriod.status == .unprocessableContent && badPeriod.fields == ["period"])
            for (id, decision) in zip(ids, ["justified", "follow-up"]) {
                let decided = try await auditor.send(.post, "/api/v1/reviews/access/\(period)/decisions",
                                                     json: #"{"item":"\#(id)","decision":"\#(decision)","note":"祝日の急患対応"}"#)
                #expect(decided.status == .ok && (decided.json["decision"] as? [String: Any])?["decision"] as? String == decision)
            }
            let signed = try await manager.send(.post, "/api/v1/reviews/access/\(period)/sign-off", json: #"{"note":"確認済み"}"#)
            #expect(signed.status == .ok && (signed.json["signOff"] as? [String: Any])?["signedBy"] as? String == "staff:suzuki")
            #expect(try await manager.send(.post, "/api/v1/reviews/access/\(period)/sign-off", json: "{}").code == "review_signed_off")

            let events = try await auditor.send(.get, "/api/v1/audit/events?action=patient.read&limit=1")
            let items = try #require(events.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["entityId"] as? String == patient.id && items[0]["actor"] as? String == "staff:sato")
            let verify = try await auditor.send(.get, "/api/v1/audit/verify?deep=true")
            #expect(verify.json["passed"] as? Bool == true && (verify.json["checkpoints"] as? [String: Any])?["checkpointsChecked"] as? Int == 1)
            #expect(try await auditor.send(.get, "/api/v1/audit/verify?deep=maybe").status == .unprocessableContent)

            let evidence = try await manager.send(.get, "/api/v1/reports/evidence?from=2026-11-01&to=2026-11-30")
            #expect(evidence.status == .ok && evidence.json["auditVerified"] as? Bool == true)
            let exceptions = try #require(evidence.json["exceptions"] as? [[String: Any]])
            #expect(exceptions.map { "\($0["clause"] ?? "") \($0["code"] ?? "")" } == ["access access_flag_follow_up"])
            #expect((evidence.json["latestCheckpoint"] as? [String: Any])?["number"] as? Int == 1)
            let pdf = try await auditor.send(.get, "/api/v1/reports/evidence.pdf?from=2026-11-01&to=2026-11-30")
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf" && pdf.body.starts(with: Data("%PDF".utf8)))
        }
        let actions = try await test.registry.read { db in
            try Set(String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE actor = 'staff:takahashi' OR actor = 'staff:suzuki'"))
        }
        #expect(actions.isSuperset(of: ["access_review.read", "access_review.decided", "access_review.signed_off",
                                        "audit.events_read", "evidence_report.generated"]))
    }
}
