import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of this server, open to anyone.
struct OpenAPIRoutes {
    let catalogue: RouteCatalogue
    /// Built on first request (every route is added by then) and kept: the routes never change.
    private let built = DocumentCache()

    /// The document once built.
    final class DocumentCache: Sendable {
        let json = Mutex<Data?>(nil)
    }

    init(catalogue: RouteCatalogue) {
        self.catalogue = catalogue
    }

    func add(to api: APIGroup) {
        api.get("openapi.json", .anonymous,
                .init("This document: the OpenAPI 3.1 description of every operation", answer: .json(
                    .object("OpenAPI", "An OpenAPI 3.1 document.", open: true, [
                        ("openapi", JSONSchema.string(example: "3.1.0").required),
                        ("info", JSONSchema.object(open: true, []).required),
                        ("paths", JSONSchema.object(open: true, []).required),
                    ]))), use: document)
    }

    @Sendable func document(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let json = try built.json.withLock { cached in
            if let cached { return cached }
            let json = try OpenAPIDocument(catalogue: catalogue).json()
            cached = json
            return json
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
