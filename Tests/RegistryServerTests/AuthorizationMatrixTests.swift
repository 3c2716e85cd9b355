import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// Every route, called anonymously and as each role, answers as ``AccessPolicy`` says.
@Suite struct AuthorizationMatrixTests {
    @Test func everyRouteAnswersAnonymousAndEachRoleAsTheTableSays() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let catalogue = RouteCatalogue()
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration(), catalogue: catalogue)
        // A route added behind the catalogue's back: it must be closed to everyone.
        router.get("api/v1/unlisted") { _, _ in "patient data" }
        let app = Application(router: router)
        for role in StaffRole.allCases { try await test.account("as-\(role.rawValue)", role: role) }

        let entries = catalogue.all
        let listed = Set(entries.map { "\($0.method.rawValue) \($0.path)" })
        for known in ["GET /api/v1/health", "POST /api/v1/auth/token", "GET /api/v1/patients", "GET /api/v1/patients/{id}",
                      "POST /api/v1/loans", "POST /api/v1/loans/{id}/handover", "POST /api/v1/loans/{id}/consent",
                      "PUT /api/v1/clinic", "GET /api/v1/reports/overdue", "POST /api/v1/staff", "GET /api/v1/auth/me"] {
            #expect(listed.contains(known), "\(known) is missing from the catalogue")
        }

        let anonymous = Set(entries.filter { $0.access == .anonymous }.map { "\($0.method.rawValue) \($0.path)" })
        #expect(anonymous == ["GET /api/v1/health", "GET /api/v1/openapi.json", "POST /api/v1/auth/token",
                              "POST /api/v1/auth/session", "POST /api/v1/auth/password"],
                "only health, the API description and the sign-in routes are open")

        try await app.test(.router) { client in
            var tokens: [StaffRole: String] = [:]
            for role in StaffRole.allCases { tokens[role] = try await client.token("as-\(role.rawValue)") }
            var checked = 0
            for entry in entries {
                let path = entry.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "zz-none", options: .regularExpression)
                let body = [.post, .put, .patch].contains(entry.method) ? "{}" : nil
                let anonymous = try await client.send(entry.method, path, json: body)
                if case .anonymous = entry.access {
                    #expect(![401, 403].contains(anonymous.status.code), "\(entry.method) \(entry.path) anonymous")
                } else {
                    #expect(anonymous.status == .unauthorized && anonymous.code == "authentication_required",
                            "\(entry.method) \(entry.path) anonymous: \(anonymous.status)")
                }
                for role in StaffRole.allCases {
                    // Signing out ends the token used: give those routes a token of their own.
                    let signsOut = entry.method == .delete && entry.path.hasPrefix("/api/v1/auth/")
                    let token = signsOut ? try await client.token("as-\(role.rawValue)") : tokens[role]
                    let response = try await client.send(entry.method, path, json: body, token: token)
                    let allowed = switch entry.access {
                    case .anonymous: true
                    case .operation(let operation): AccessPolicy.roles(for: operation).contains(role)
                    }
                    if allowed {
                        #expect(![401, 403].contains(response.status.code),
                                "\(entry.method) \(entry.path) as \(role): \(response.status) \(response.code ?? "")")
                    } else {
                        #expect(response.status == .forbidden && response.code == "forbidden",
                                "\(entry.method) \(entry.path) as \(role) should be refused: \(response.status)")
                    }
                    checked += 1
                }
            }
            #expect(checked == entries.count * StaffRole.allCases.count)
            let unlisted = try await client.send(.get, "/api/v1/unlisted")
            #expect(unlisted.status == .forbidden && !unlisted.text.contains("patient data"))
            for role in StaffRole.allCases {
                let response = try await client.send(.get, "/api/v1/unlisted", token: tokens[role])
                #expect(response.status == .forbidden && !response.text.contains("patient data"))
            }
            // Unknown paths stay 404, for everyone.
            #expect(try await client.send(.get, "/api/v1/nothing-here").status == .notFound)
        }
    }

    @Test func everyOperationHasAtLeastOneRoleAndAdminsReadNoPatientData() {
        for operation in RegistryOperation.allCases {
            // Backup and restore belong to whoever holds the database file, never to a staff role.
            if operation == .backUpDatabase {
                #expect(AccessPolicy.roles(for: operation).isEmpty && AccessPolicy.operatorOperations.contains(operation))
                continue
            }
            #expect(!AccessPolicy.roles(for: operation).isEmpty, "\(operation) has no role")
        }
        for operation in [RegistryOperation.readPatients, .readLoans, .readConsents, .printHandouts, .readReports, .readAuditLog,
                          .reviewAccess, .signOffAccessReview] {
            #expect(!AccessPolicy.roles(for: operation).contains(.admin))
        }
        for operation in RegistryOperation.allCases where !AccessPolicy.roles(for: operation).isDisjoint(with: [.auditor]) {
            // An auditor's one write is the access review's decisions: a record about the log, not the clinic's data.
            #expect(operation.rawValue.hasPrefix("read") || [.printHandouts, .verifyHandout, .manageOwnSignIn, .reviewAccess].contains(operation),
                    "auditors change nothing, but may \(operation)")
        }
    }
}
