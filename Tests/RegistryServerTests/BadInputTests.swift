import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// Every kind of bad input gets a 4xx problem with a stable code, and writes nothing.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let bytes: [UInt8]?
        let status: Int
        let code: String
        let fields: [String]

        init(_ name: String, _ path: String, _ body: String? = nil, method: HTTPRequest.Method = .post,
             bytes: [UInt8]? = nil, status: Int, code: String, fields: [String] = []) {
            self.name = name
            self.method = method
            self.path = path
            self.body = body
            self.bytes = bytes
            self.status = status
            self.code = code
            self.fields = fields
        }

        var testDescription: String { name }
    }

    /// `{model}`, `{device}`, `{busy}` and `{patient}` are replaced with real ids.
    static let cases: [Case] = [
        Case("unknown device", "/api/v1/loans", #"{"deviceId":"nope","patientId":"{patient}"}"#, status: 404, code: "not_found"),
        Case("unknown patient", "/api/v1/loans", #"{"deviceId":"{device}","patientId":"nope"}"#, status: 404, code: "not_found"),
        Case("unknown model", "/api/v1/devices", #"{"modelId":"nope","assetTag":"X-1","serialNumber":"S"}"#, status: 404, code: "not_found"),
        Case("device not available", "/api/v1/loans", #"{"deviceId":"{busy}","patientId":"{patient}"}"#, status: 409, code: "device_unavailable"),
        Case("due date before today", "/api/v1/loans", #"{"deviceId":"{device}","patientId":"{patient}","dueDate":"2026-11-20"}"#,
             status: 422, code: "validation_failed", fields: ["dueDate"]),
        Case("due date in year 9999", "/api/v1/loans", #"{"deviceId":"{device}","patientId":"{patient}","dueDate":"9999-01-01"}"#,
             status: 422, code: "validation_failed", fields: ["dueDate"]),
        Case("impossible date", "/api/v1/loans", #"{"deviceId":"{device}","patientId":"{patient}","dueDate":"2026-02-30"}"#,
             status: 422, code: "validation_failed", fields: ["dueDate"]),
        Case("duplicate asset tag", "/api/v1/devices", #"{"modelId":"{model}","assetTag":"TAKEN-1","serialNumber":"NEW"}"#,
             status: 409, code: "duplicate_asset_tag"),
        Case("duplicate patient number", "/api/v1/patients", #"{"patientNumber":"P-TAKEN","name":"x"}"#,
             status: 409, code: "duplicate_patient_number"),
        Case("malformed JSON", "/api/v1/patients", #"{"patientNumber":"#, status: 400, code: "malformed_json"),
        Case("not an object", "/api/v1/patients", #"["a"]"#, status: 422, code: "validation_failed"),
        Case("wrong type", "/api/v1/patients", #"{"patientNumber":123,"name":"x"}"#,
             status: 422, code: "validation_failed", fields: ["patientNumber"]),
        Case("wrong nested type", "/api/v1/device-models", modelJSON(profile: #"{"storesPatientData":"yes"}"#),
             status: 422, code: "validation_failed", fields: ["securityProfile.storesPatientData"]),
        Case("missing field", "/api/v1/patients", #"{"name":"x"}"#, status: 422, code: "validation_failed", fields: ["patientNumber"]),
        Case("missing nested field", "/api/v1/device-models", modelJSON(profile: "{}"),
             status: 422, code: "validation_failed", fields: ["securityProfile.storesPatientData"]),
        Case("unknown field", "/api/v1/loans", #"{"deviceId":"{device}","patientId":"{patient}","dueDat":"2026-12-01"}"#,
             status: 422, code: "validation_failed", fields: ["dueDat"]),
        Case("unknown nested field", "/api/v1/device-models", modelJSON(profile: #"{"storesPatientData":true,"bluetoth":true}"#),
             status: 422, code: "validation_failed", fields: ["securityProfile.bluetoth"]),
        Case("unknown category", "/api/v1/device-models", modelJSON(profile: #"{"storesPatientData":true}"#, category: "toaster"),
             status: 422, code: "validation_failed", fields: ["category"]),
        Case("negative loan days", "/api/v1/device-models", modelJSON(profile: #"{"storesPatientData":true}"#, days: "-2"),
             status: 422, code: "validation_failed", fields: ["defaultLoanDays"]),
        Case("huge loan days", "/api/v1/device-models", modelJSON(profile: #"{"storesPatientData":true}"#, days: "1e30"),
             status: 422, code: "validation_failed", fields: ["defaultLoanDays"]),
        Case("10 kB name", "/api/v1/patients", #"{"patientNumber":"P-LONG","name":"\#(String(repeating: "あ", count: 10_000))"}"#,
             status: 422, code: "validation_failed", fields: ["name"]),
        Case("control characters", "/api/v1/patients", #"{"patientNumber":"P-\u0007","name":"x"}"#,
             status: 422, code: "validation_failed", fields: ["patientNumber"]),
        Case("oversized body", "/api/v1/patients", #"{"patientNumber":"P-BIG","name":"\#(String(repeating: "x", count: 2 << 20))"}"#,
             status: 413, code: "payload_too_large"),
        Case("non-UTF-8", "/api/v1/patients", bytes: [0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],
             status: 400, code: "invalid_encoding"),
        Case("bad limit", "/api/v1/devices?limit=100000", method: .get, status: 422, code: "validation_failed", fields: ["limit"]),
        Case("bad cursor", "/api/v1/devices?cursor=***", method: .get, status: 422, code: "validation_failed", fields: ["cursor"]),
        Case("bad status filter", "/api/v1/loans?status=sleeping", method: .get, status: 422, code: "validation_failed", fields: ["status"]),
        Case("bad asOf", "/api/v1/loans?status=overdue&asOf=yesterday", method: .get, status: 422, code: "validation_failed", fields: ["asOf"]),
        Case("return a draft", "/api/v1/loans/{draft}/return", #"{"condition":"ok","accessoriesComplete":true}"#,
             status: 409, code: "loan_not_active"),
        Case("unknown loan", "/api/v1/loans/L-2026-999999", method: .get, status: 404, code: "not_found"),
    ]

    static func modelJSON(profile: String, category: String = "holter_ecg", days: String = "2") -> String {
        """
        {"manufacturer":"M","name":"N","category":"\(category)","securityProfile":\(profile),
         "support":{"phone":"1","hours":"h","twentyFourHours":false},"defaultLoanDays":\(days)}
        """
    }

    @Test(arguments: cases)
    func badInputIsRefusedWithAProblemAndWritesNothing(_ bad: Case) async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let fixtures = test.fixtures
        let model = try await fixtures.model()
        let device = try await fixtures.device(model: model, assetTag: "TAKEN-1")
        let patient = try await fixtures.patient(number: "P-TAKEN")
        let busy = try await fixtures.activeLoan()
        let other = try await fixtures.device(model: model)
        let draft = try await test.registry.loans.register(NewLoan(deviceId: other.id, patientId: patient.id), by: fixtures.actor)
        @Sendable func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{model}", with: model.id).replacingOccurrences(of: "{device}", with: device.id)
                .replacingOccurrences(of: "{busy}", with: busy.device.id).replacingOccurrences(of: "{patient}", with: patient.id)
                .replacingOccurrences(of: "{draft}", with: draft.id)
        }
        let tables = ["device_models", "devices", "patients", "loans", "device_events"]
        var before: [Int] = []
        for table in tables { before.append(try await fixtures.count(table)) }
        let loanStates = try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT status FROM loans ORDER BY number") }

        let path = fill(bad.path)
        let body = bad.body.map(fill)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let response = try await client.send(bad.method, path, json: body, bytes: bad.bytes)
            #expect(Int(response.status.code) == bad.status, "\(response.text.prefix(300))")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.code == bad.code)
            #expect(response.json["status"] as? Int == bad.status)
            if !bad.fields.isEmpty { #expect(response.fields == bad.fields) }
            #expect(!response.text.contains("P-TAKEN") && !response.text.contains("試験"), "problem echoes patient data")
        }
        var after: [Int] = []
        for table in tables { after.append(try await fixtures.count(table)) }
        #expect(after == before)
        #expect(try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT status FROM loans ORDER BY number") } == loanStates)
        #expect(try await test.registry.verify().passed)
    }
}
