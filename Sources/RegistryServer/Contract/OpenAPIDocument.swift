import Foundation
import HTTPTypes
import LoanRegistry

/// The OpenAPI 3.1 document of the API, built from the routes as they were added
/// (``RouteCatalogue``), so it lists exactly the operations the router serves.
///
/// Served at `GET /api/v1/openapi.json`.
struct OpenAPIDocument: Sendable {
    let catalogue: RouteCatalogue

    /// The document as JSON (sorted keys, so it is stable byte for byte).
    func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: value().foundationObject,
                                   options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    func value() -> JSONValue {
        var components: [String: JSONValue] = [:]
        var paths: [String: [String: JSONValue]] = [:]
        for entry in catalogue.all {
            paths[entry.path, default: [:]][entry.method.rawValue.lowercased()] = operation(entry, components: &components)
        }
        _ = JSONSchema.problem.document(components: &components)
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Medical device loan registry",
                "version": .string(RegistryVersion.current),
                "description": .string(Self.description),
                "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
            ],
            "servers": [["url": "/"]],
            "paths": .object(paths.mapValues(JSONValue.object)),
            "components": [
                "schemas": .object(components),
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer",
                               "description": "A token from POST /api/v1/auth/token."],
                    "session": ["type": "apiKey", "in": "cookie", "name": "lr_session",
                                "description": "The web UI's cookie from POST /api/v1/auth/session; changes also need X-CSRF-Token."],
                ],
            ],
            "security": [["bearer": []], ["session": []]],
        ]
    }

    static let description = """
        Registry of wearable and home-IoT medical devices a clinic lends to patients: the ledger, \
        loans with their explanation, consent and contact sheet (MHLW guideline 6.0, System Operations \
        chapter 7), handouts and reports. Every request but health and sign-in needs a signed-in \
        account; every read of patient data is audited. Errors are RFC 9457 problems with a stable `code`.
        """

    private func operation(_ entry: RouteCatalogue.Entry, components: inout [String: JSONValue]) -> JSONValue {
        let doc = entry.doc
        var operation: [String: JSONValue] = [
            "operationId": .string(Self.operationID(entry.method, entry.path)),
            "summary": .string(doc.summary),
            "tags": [.string(Self.tag(entry.path))],
        ]
        if let description = doc.description { operation["description"] = .string(description) }
        if case .anonymous = entry.access { operation["security"] = [] } else if case .operation(let op) = entry.access {
            let roles = AccessPolicy.roles(for: op).map(\.rawValue).sorted().joined(separator: ", ")
            operation["description"] = .string([doc.description, "Roles: \(roles)."].compactMap { $0 }.joined(separator: "\n\n"))
        }
        var parameters: [JSONValue] = Self.pathParameters(entry.path).map { name in
            let schema = doc.pathParameters[name] ?? .string(minLength: 1, maxLength: 200)
            return ["name": .string(name), "in": "path", "required": true,
                    "schema": schema.document(components: &components)]
        }
        for parameter in doc.query {
            parameters.append(["name": .string(parameter.name), "in": "query", "required": false,
                               "description": .string(parameter.description),
                               "schema": parameter.schema.document(components: &components)])
        }
        if entry.method == .put || entry.method == .patch {
            parameters.append(["name": "If-Match", "in": "header", "required": true,
                               "description": "The ETag of the record as read (GET), so a change made by someone else in between is refused (412) instead of overwritten; `*` to change it whatever it is.",
                               "schema": ["type": "string", "examples": ["\"3f9a0c2b71d4e8a5b6c7d8e9\""]]])
        }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = doc.body {
            operation["requestBody"] = ["required": true,
                                        "content": ["application/json": ["schema": body.document(components: &components)]]]
        }
        var responses: [String: JSONValue] = [String(doc.status.code): success(doc, components: &components)]
        for (status, codes) in ProblemCatalogue.problems(for: entry) {
            var problem: [String: JSONValue] = [
                "description": .string("Problem, `code` one of: " + codes.joined(separator: ", ")),
                "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
            ]
            switch status {
            case 401:
                problem["headers"] = ["WWW-Authenticate": ["required": true, "schema": ["type": "string"],
                                                           "description": "Bearer realm=\"loan-registry\""]]
            case 423, 503:
                problem["headers"] = ["Retry-After": ["required": false, "schema": ["type": "integer"],
                                                      "description": "Seconds after which a retry may succeed."]]
            default:
                break
            }
            responses[String(status)] = .object(problem)
        }
        operation["responses"] = .object(responses)
        return .object(operation)
    }

    private func success(_ doc: OperationDoc, components: inout [String: JSONValue]) -> JSONValue {
        switch doc.answer {
        case .json(let schema):
            var answer: [String: JSONValue] = [
                "description": .string(doc.status.reasonPhrase),
                "content": ["application/json": ["schema": schema.document(components: &components)]],
            ]
            if doc.etag {
                answer["headers"] = ["ETag": [
                    "description": "The record's revision: send it as If-Match to change the record.",
                    "required": true, "schema": ["type": "string"]]]
            }
            if !doc.links.isEmpty {
                var links: [String: JSONValue] = [:]
                for link in doc.links {
                    let id = Self.operationID(link.method, "/api/v1/" + link.path)
                    links[id] = ["operationId": .string(id),
                                 "parameters": .object(link.parameters.mapValues { .string("$response.body#" + $0) })]
                }
                answer["links"] = .object(links)
            }
            return .object(answer)
        case .jsonOrCSV(let schema):
            return ["description": "JSON, or CSV (UTF-8 with BOM) with format=csv",
                    "content": ["application/json": ["schema": schema.document(components: &components)],
                                "text/csv": ["schema": ["type": "string"]]]]
        case .jsonCSVOrPDF(let schema):
            return ["description": "JSON, CSV (UTF-8 with BOM) with format=csv, or a printable PDF with format=pdf",
                    "content": ["application/json": ["schema": schema.document(components: &components)],
                                "text/csv": ["schema": ["type": "string"]],
                                "application/pdf": ["schema": ["type": "string", "contentMediaType": "application/pdf"]]]]
        case .handout:
            return ["description": "The handout",
                    "content": ["application/pdf": ["schema": ["type": "string", "contentMediaType": "application/pdf"]],
                                "text/html": ["schema": ["type": "string"]]]]
        case .pdf:
            return ["description": "A printable PDF",
                    "content": ["application/pdf": ["schema": ["type": "string", "contentMediaType": "application/pdf"]]]]
        case .png:
            return ["description": "The image",
                    "content": ["image/png": ["schema": ["type": "string", "contentMediaType": "image/png"]]]]
        case .empty:
            return ["description": .string(doc.status.reasonPhrase)]
        }
    }

    /// `{id}` and `{file}` of `/api/v1/loans/{id}/handouts/{file}`.
    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// `POST /api/v1/loans/{id}/handover` → `postLoansIdHandover`.
    static func operationID(_ method: HTTPRequest.Method, _ path: String) -> String {
        let words = path.split(separator: "/").dropFirst(2).flatMap { $0.split(whereSeparator: { "{}-.".contains($0) }) }
        return method.rawValue.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `/api/v1/loans/{id}` → `loans`.
    static func tag(_ path: String) -> String {
        path.split(separator: "/").dropFirst(2).first.map(String.init) ?? "api"
    }
}
