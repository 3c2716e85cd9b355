import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// The OpenAPI document and the router agree, and what it promises holds.
@Suite struct ContractTests {
    @Test func theDocumentListsExactlyTheOperationsTheRouterServes() async throws {
        let test = try await TestRegistry()
        let catalogue = RouteCatalogue()
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration(), catalogue: catalogue)
        // The router's own list of API routes, not the catalogue the document is built from (the
        // staff pages under `/` are not part of the API).
        let routed = Set(router.routes.filter { $0.path.description.hasPrefix("/api/") }.map { "\($0.method.rawValue) \($0.path)" })
        try await Application(router: router).test(.router) { client in
            let response = try await client.send(.get, "/api/v1/openapi.json")
            #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = response.json
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            #expect(documented == routed)
            #expect(documented.count >= 50)

            // Every documented operation reaches a handler: never the router's 404 or a 405.
            let token = try await client.signedIn(as: "reader", in: test).token
            for entry in catalogue.all where entry.method == .get {
                let path = entry.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "zz-none", options: .regularExpression)
                let answer = try await client.send(.get, path, token: token)
                #expect(answer.status != .methodNotAllowed && answer.json["title"] as? String != "No such path",
                        "\(entry.path): \(answer.status)")
            }
        }
    }

    @Test func everySchemaSaysWhatIsRequiredAndGivesAnExample() async throws {
        let test = try await TestRegistry()
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let document = try await client.send(.get, "/api/v1/openapi.json").json
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            #expect(schemas.count >= 30)
            for (name, schema) in schemas where schema["type"] as? String == "object" {
                #expect(schema["required"] is [String], "\(name) lists its required fields")
                #expect((schema["examples"] as? [Any])?.isEmpty == false, "\(name) has an example")
            }
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            for (path, operations) in paths {
                for (method, operation) in operations {
                    #expect(operation["summary"] is String, "\(method) \(path) has a summary")
                    let responses = try #require(operation["responses"] as? [String: Any])
                    #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path) documents its answer")
                    #expect(responses["400"] != nil && responses["421"] != nil, "\(method) \(path) documents its problems")
                    if let body = operation["requestBody"] as? [String: Any] {
                        let ref = (((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                            as? [String: Any])?["$ref"] as? String
                        let schema = try #require(ref.flatMap { schemas[String($0.split(separator: "/").last ?? "")] })
                        #expect(schema["additionalProperties"] as? Bool == false, "\(method) \(path) refuses unknown fields")
                    }
                }
            }
            let security = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            #expect(security?["bearer"] != nil && security?["session"] != nil)
        }
    }

    @Test func wrongMethodsAndUnknownPathsGetProblems() async throws {
        let test = try await TestRegistry()
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "staffer", in: test)
            let put = try await api.send(.put, "/api/v1/health", json: "{}")
            #expect(put.status == .methodNotAllowed && put.code == "method_not_allowed" && put.headers[.allow] == "GET")
            #expect(put.headers[.contentType] == "application/problem+json")
            let delete = try await api.send(.delete, "/api/v1/loans/L-2026-000001")
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET, PATCH")
            let missing = try await api.send(.get, "/api/v1/nothing/here")
            #expect(missing.status == .notFound && missing.code == "not_found")
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }
}
