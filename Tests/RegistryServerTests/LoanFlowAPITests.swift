import Foundation
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

@Suite struct LoanFlowAPITests {
    static let modelJSON = """
        {"manufacturer":"Demo Medical","name":"Holter H-24","category":"holter_ecg",
         "securityProfile":{"storesPatientData":true,"encryptedAtRest":false,"bluetooth":true,"wifi":false,
           "cellular":false,"cloudUpload":{"operator":"Maker Cloud","region":"JP"},"wipeMethod":"documented_erase"},
         "support":{"phone":"0120-000-000","hours":"9-17","twentyFourHours":false},"defaultLoanDays":2}
        """

    @Test func registerHandOverOverdueAndReturnOverHTTP() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            let model = try await api.send(.post, "/api/v1/device-models", json: Self.modelJSON)
            #expect(model.status == .created)
            let modelId = try #require(model.json["id"] as? String)
            #expect((model.json["securityProfile"] as? [String: Any])?["bluetooth"] as? Bool == true)

            let device = try await api.send(.post, "/api/v1/devices",
                                               json: #"{"modelId":"\#(modelId)","assetTag":"HOL-0001","serialNumber":"SN1"}"#)
            #expect(device.status == .created)
            #expect(device.json["status"] as? String == "available")
            let deviceId = try #require(device.json["id"] as? String)

            let patient = try await api.send(.post, "/api/v1/patients", json: """
                {"patientNumber":"P-000123","name":"山田 太郎","nameKana":"ヤマダ タロウ","phone":"03-1234-5678","language":"ja"}
                """)
            #expect(patient.status == .created)
            let patientId = try #require(patient.json["id"] as? String)

            let loan = try await api.send(.post, "/api/v1/loans",
                                             json: #"{"deviceId":"\#(deviceId)","patientId":"\#(patientId)","dueDate":"2026-12-01"}"#)
            #expect(loan.status == .created)
            #expect(loan.json["number"] as? String == "L-2026-000001")
            #expect(loan.json["status"] as? String == "draft")
            #expect(loan.json["createdBy"] as? String == "staff:tester")
            let loanId = try #require(loan.json["id"] as? String)

            // The draft carries its explanation: the hash is that of the text returned.
            let explanation = try #require(loan.json["explanation"] as? [String: Any])
            let text = try #require(explanation["text"] as? String)
            let sha256 = try #require(explanation["sha256"] as? String)
            #expect(sha256 == ContentHash.sha256(text))
            #expect(explanation["language"] as? String == "ja")
            let explained = try #require(explanation["items"] as? [String])
            #expect(Set(["R02", "R03", "R06"]).isSubset(of: Set(explained)))
            #expect(text.contains("Maker Cloud（日本）"))
            #expect(text.contains("試験クリニック"))
            #expect(!text.contains("山田"), "the explanation text names the loan, not the patient")
            #expect(loan.json["handoverRequirements"] as? [String] == ["consent_required", "contact_sheet_required"])

            // The gate: no consent, no contact sheet → 409 naming both.
            let blocked = try await api.send(.post, "/api/v1/loans/\(loanId)/handover")
            #expect(blocked.status == .conflict)
            #expect(blocked.code == "consent_required")
            #expect(blocked.json["missing"] as? [String] == ["consent_required", "contact_sheet_required"])

            let signature = TestPNG.image(width: 300, height: 100).base64EncodedString()
            let consent = try await api.send(.post, "/api/v1/loans/\(loanId)/consent", json: """
                {"explanationSha256":"\(sha256)","signer":{"kind":"self","name":"山田 太郎"},"decision":"granted",
                 "explainedBy":"staff:tester","signature":{"method":"tablet","pngBase64":"\(signature)"},"copyGiven":true,
                 "scope":{"makerCloud":true}}
                """)
            #expect(consent.status == .created)
            let consentId = try #require(consent.json["id"] as? String)
            let evidence = try #require(consent.json["evidence"] as? [String: Any])
            #expect(evidence["signatureSha256"] as? String == ContentHash.sha256(TestPNG.image(width: 300, height: 100)))
            #expect(consent.json["explanationSha256"] as? String == sha256)

            let stillBlocked = try await api.send(.post, "/api/v1/loans/\(loanId)/handover")
            #expect(stillBlocked.code == "contact_sheet_required")
            #expect(stillBlocked.json["missing"] as? [String] == ["contact_sheet_required"])

            let given = try await api.send(.post, "/api/v1/loans/\(loanId)/contact-sheet", json: "{}")
            #expect(given.status == .ok)
            #expect(given.json["status"] as? String == "consented")
            #expect((given.json["contactSheet"] as? [String: Any])?["givenBy"] as? String == "staff:tester")
            #expect(given.json["handoverRequirements"] as? [String] == [])

            let active = try await api.send(.post, "/api/v1/loans/\(loanId)/handover")
            #expect(active.json["status"] as? String == "active")
            #expect((active.json["consent"] as? [String: Any])?["id"] as? String == consentId)

            for kind in ["explanation", "consent-form", "contact-sheet"] {
                let pdf = try await api.send(.get, "/api/v1/loans/\(loanId)/handouts/\(kind).pdf")
                #expect(pdf.status == .ok)
                #expect(pdf.headers[.contentType] == "application/pdf")
                #expect(pdf.body.prefix(5) == Data("%PDF-".utf8))
                let html = try await api.send(.get, "/api/v1/loans/\(loanId)/handouts/\(kind).html?lang=ja")
                #expect(html.headers[.contentType] == "text/html; charset=utf-8")
                #expect(html.text.contains("L-2026-000001") && html.text.contains(HandoutCheckCode.of(loan: "L-2026-000001", sha256: sha256)))
            }
            // What the patient signs and takes home speaks the explanation's language, not another.
            let english = try await api.send(.get, "/api/v1/loans/\(loanId)/handouts/contact-sheet.html?lang=en")
            #expect(english.status == .conflict && english.code == "explanation_language_mismatch")

            let png = try await api.send(.get, "/api/v1/consents/\(consentId)/signature.png")
            #expect(png.headers[.contentType] == "image/png")
            #expect(png.body == TestPNG.image(width: 300, height: 100))

            let overdue = try await api.send(.get, "/api/v1/loans?status=overdue&asOf=2026-12-10")
            let items = try #require(overdue.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["daysOverdue"] as? Int == 9)
            #expect((items.first?["patient"] as? [String: Any])?["name"] as? String == "山田 太郎")
            #expect((items.first?["device"] as? [String: Any])?["assetTag"] as? String == "HOL-0001")

            let csv = try await api.send(.get, "/api/v1/reports/overdue?asOf=2026-12-10&format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(csv.text.contains("L-2026-000001,2026-12-01,9,P-000123,山田 太郎"))

            let returned = try await api.send(.post, "/api/v1/loans/\(loanId)/return",
                                                 json: #"{"condition":"ok","accessoriesComplete":true,"notes":"all good"}"#)
            #expect(returned.json["status"] as? String == "returned")
            let after = try await api.send(.get, "/api/v1/devices/HOL-0001")
            #expect(after.json["status"] as? String == "awaiting_wipe")
            let history = try await api.send(.get, "/api/v1/devices/\(deviceId)/history")
            #expect((history.json["items"] as? [[String: Any]])?.count == 3)

            let again = try await api.send(.post, "/api/v1/loans/\(loanId)/return",
                                              json: #"{"condition":"ok","accessoriesComplete":true}"#)
            #expect(again.status == .conflict)
            #expect(again.code == "loan_not_active")
        }
        #expect(try await test.registry.verify().passed)
    }

    @Test func clinicProfileChangesWithdrawalAndRecoveryOverHTTP() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo), withClinic: false)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        let device = try await test.fixtures.device()
        let patient = try await test.fixtures.patient()
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            #expect(try await api.send(.get, "/api/v1/clinic").code == "clinic_profile_required")
            let refused = try await api.send(.post, "/api/v1/loans", json: #"{"deviceId":"\#(device.id)","patientId":"\#(patient.id)"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.code == "clinic_profile_required")

            let clinic = #"{"name":"さくら内科","department":"内科","phone":"03-1","hours":"9-17","afterHoursPhone":"03-2","afterHoursReaches":"supplier","privacyDesk":"医事課"}"#
            let set = try await api.send(.put, "/api/v1/clinic", json: clinic)
            #expect(set.status == .ok)
            #expect(set.json["updatedBy"] as? String == "staff:tester")
            let current = try await api.send(.get, "/api/v1/clinic")
            #expect(current.json["name"] as? String == "さくら内科")
            let clinicTag = try #require(current.headers[.eTag])
            #expect(clinicTag == set.headers[.eTag], "GET and PUT give the same revision")

            let loan = try await api.send(.post, "/api/v1/loans",
                                             json: #"{"deviceId":"\#(device.id)","patientId":"\#(patient.id)","language":"en"}"#)
            #expect(loan.status == .created)
            let id = try #require(loan.json["id"] as? String)
            let first = try #require(loan.json["explanation"] as? [String: Any])
            #expect((first["text"] as? String)?.contains("reaches the supplier") == true)

            // a new phone number: refreshing makes a second snapshot; the first stays
            let changed = try await api.send(.put, "/api/v1/clinic", json: clinic.replacingOccurrences(of: "03-1", with: "03-9"),
                                             headers: [.ifMatch: clinicTag])
            #expect(changed.status == .ok)
            let refreshed = try await api.send(.post, "/api/v1/loans/\(id)/explanation")
            let second = try #require(refreshed.json["explanation"] as? [String: Any])
            #expect(second["sequence"] as? Int == 2)
            #expect((second["text"] as? String)?.contains("Phone 03-9") == true)
            let loanTag = try #require(try await api.send(.get, "/api/v1/loans/\(id)").headers[.eTag])
            let moved = try await api.send(.patch, "/api/v1/loans/\(id)", json: #"{"dueDate":"2026-11-30"}"#,
                                           headers: [.ifMatch: loanTag])
            #expect(moved.status == .ok, "\(moved.text.prefix(200))")
            #expect((moved.json["explanation"] as? [String: Any])?["sequence"] as? Int == 3)
            let history = try await api.send(.get, "/api/v1/loans/\(id)/explanations")
            let snapshots = try #require(history.json["items"] as? [[String: Any]])
            #expect(snapshots.map { $0["sequence"] as? Int } == [1, 2, 3])
            #expect(snapshots.first?["sha256"] as? String == first["sha256"] as? String)

            // consent, sheet, hand-over, then the patient withdraws: the device must come back
            let sha = try #require((moved.json["explanation"] as? [String: Any])?["sha256"] as? String)
            let consent = try await api.send(.post, "/api/v1/loans/\(id)/consent", json: """
                {"explanationSha256":"\(sha)","signer":{"kind":"proxy","name":"X","relationship":"家族","reason":"cannot sign"},
                 "decision":"granted","explainedBy":"staff:tester","signature":{"method":"paper","scanReference":"S-1"}}
                """)
            let consentId = try #require(consent.json["id"] as? String)
            _ = try await api.send(.post, "/api/v1/loans/\(id)/contact-sheet", json: "{}")
            #expect(try await api.send(.post, "/api/v1/loans/\(id)/handover").json["status"] as? String == "active")
            let withdrawal = try await api.send(.post, "/api/v1/consents/\(consentId)/withdrawal",
                                                   json: #"{"reason":"moving away","channel":"phone","actionsTaken":"courier booked"}"#)
            #expect(withdrawal.status == .created)
            #expect((withdrawal.json["withdrawal"] as? [String: Any])?["recoveryRequired"] as? Bool == true)
            let recovery = try await api.send(.get, "/api/v1/reports/device-recovery")
            #expect((recovery.json["items"] as? [[String: Any]])?.first?["id"] as? String == id)
            let again = try await api.send(.post, "/api/v1/consents/\(consentId)/withdrawal",
                                              json: #"{"reason":"r","channel":"phone","actionsTaken":"a"}"#)
            #expect(again.code == "consent_already_withdrawn")
            #expect(try await api.send(.get, "/api/v1/consents/\(consentId)/signature.png").code == "no_signature_image")
        }
        #expect(try await test.registry.verify().passed)
    }
}
