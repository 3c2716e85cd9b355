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
           "cellular":false,"cloudUpload":{"operator":"Maker Cloud","region":"JP"}},
         "support":{"phone":"0120-000-000","hours":"9-17","twentyFourHours":false},"defaultLoanDays":2}
        """

    @Test func registerHandOverOverdueAndReturnOverHTTP() async throws {
        let test = try TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let model = try await client.send(.post, "/api/v1/device-models", json: Self.modelJSON)
            #expect(model.status == .created)
            let modelId = try #require(model.json["id"] as? String)
            #expect((model.json["securityProfile"] as? [String: Any])?["bluetooth"] as? Bool == true)

            let device = try await client.send(.post, "/api/v1/devices",
                                               json: #"{"modelId":"\#(modelId)","assetTag":"HOL-0001","serialNumber":"SN1"}"#)
            #expect(device.status == .created)
            #expect(device.json["status"] as? String == "available")
            let deviceId = try #require(device.json["id"] as? String)

            let patient = try await client.send(.post, "/api/v1/patients", json: """
                {"patientNumber":"P-000123","name":"山田 太郎","nameKana":"ヤマダ タロウ","phone":"03-1234-5678","language":"ja"}
                """)
            #expect(patient.status == .created)
            let patientId = try #require(patient.json["id"] as? String)

            let loan = try await client.send(.post, "/api/v1/loans",
                                             json: #"{"deviceId":"\#(deviceId)","patientId":"\#(patientId)","dueDate":"2026-12-01"}"#)
            #expect(loan.status == .created)
            #expect(loan.json["number"] as? String == "L-2026-000001")
            #expect(loan.json["status"] as? String == "draft")
            #expect(loan.json["createdBy"] as? String == "staff:tester")
            let loanId = try #require(loan.json["id"] as? String)

            let active = try await client.send(.post, "/api/v1/loans/\(loanId)/handover")
            #expect(active.json["status"] as? String == "active")

            let overdue = try await client.send(.get, "/api/v1/loans?status=overdue&asOf=2026-12-10")
            let items = try #require(overdue.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["daysOverdue"] as? Int == 9)
            #expect((items.first?["patient"] as? [String: Any])?["name"] as? String == "山田 太郎")
            #expect((items.first?["device"] as? [String: Any])?["assetTag"] as? String == "HOL-0001")

            let csv = try await client.send(.get, "/api/v1/reports/overdue?asOf=2026-12-10&format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(csv.text.contains("L-2026-000001,2026-12-01,9,P-000123,山田 太郎"))

            let returned = try await client.send(.post, "/api/v1/loans/\(loanId)/return",
                                                 json: #"{"condition":"ok","accessoriesComplete":true,"notes":"all good"}"#)
            #expect(returned.json["status"] as? String == "returned")
            let after = try await client.send(.get, "/api/v1/devices/HOL-0001")
            #expect(after.json["status"] as? String == "awaiting_wipe")
            let history = try await client.send(.get, "/api/v1/devices/\(deviceId)/history")
            #expect((history.json["items"] as? [[String: Any]])?.count == 3)

            let again = try await client.send(.post, "/api/v1/loans/\(loanId)/return",
                                              json: #"{"condition":"ok","accessoriesComplete":true}"#)
            #expect(again.status == .conflict)
            #expect(again.code == "loan_not_active")
        }
        #expect(try await test.registry.verify().passed)
    }
}
