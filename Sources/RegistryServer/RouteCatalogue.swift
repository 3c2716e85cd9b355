public import HTTPTypes
import Foundation
import Hummingbird
public import LoanRegistry
import Synchronization

/// What a route needs before its handler runs.
public enum RouteAccess: Sendable, Hashable {
    /// Open to anyone: health and the sign-in routes.
    case anonymous
    /// A signed-in account whose role ``AccessPolicy`` allows this operation.
    case operation(RegistryOperation)
}

/// Every API route with the access it needs, recorded as the routes are added.
///
/// ``AuthorizationMiddleware`` refuses a route that is not listed here (closed by default), and
/// the authorisation-matrix test calls every listed route as every role.
public final class RouteCatalogue: Sendable {
    /// One route: method, path pattern as Hummingbird reports it (`/api/v1/loans/{id}`), access,
    /// and the query parameters it takes (any other is refused).
    public struct Entry: Sendable, Hashable {
        public let method: HTTPRequest.Method
        public let path: String
        public let access: RouteAccess
        public let query: Set<String>
        /// What the OpenAPI document says of it.
        let doc: OperationDoc

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.method == rhs.method && lhs.path == rhs.path && lhs.access == rhs.access && lhs.query == rhs.query
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(method)
            hasher.combine(path)
        }
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Each route's path split into segments (`{}` for a parameter), sorted like ``all``.
    private let patterns = Mutex<[(method: HTTPRequest.Method, path: String, segments: [String])]>([])

    /// The staff pages (`GET /loans/{id}` …), recorded by their page group: the only routes outside
    /// `/api/` the authorisation middleware lets through (each checks its own access).
    private let pages = Mutex<Set<String>>([])

    public init() {}

    func addPage(_ method: HTTPRequest.Method, _ path: String) {
        pages.withLock { _ = $0.insert("\(method.rawValue) \(Self.rooted(path))") }
    }

    /// Whether `method` on the route pattern `path` is a staff page.
    func isPage(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        pages.withLock { $0.contains("\(method.rawValue) \(Self.rooted(path))") }
    }

    private static func rooted(_ path: String) -> String {
        path.hasPrefix("/") ? path : "/" + path
    }

    /// Every route, sorted by path then method.
    public var all: [Entry] {
        entries.withLock { Array($0.values) }.sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    func add(_ entry: Entry) {
        entries.withLock { $0["\(entry.method.rawValue) \(entry.path)"] = entry }
        let segments = entry.path.split(separator: "/").map { $0.hasPrefix("{") ? "{}" : String($0) }
        patterns.withLock { patterns in
            patterns.append((entry.method, entry.path, segments))
            patterns.sort { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
        }
    }

    /// The route matched for `method` and `path`, or `nil` when it is not listed.
    func entry(_ method: HTTPRequest.Method, _ path: String) -> Entry? {
        entries.withLock { $0["\(method.rawValue) \(path)"] }
    }

    /// The methods routes take on the concrete `path` (`/api/v1/loans/42`), for a 405's `Allow`.
    ///
    /// Asked for every request no route matched (each 404), so it walks pre-split patterns.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        guard path.hasPrefix("/api/") else { return [] }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return patterns.withLock { patterns in
            patterns.filter { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { $0 == "{}" || $0 == $1 }
            }.map(\.method)
        }
    }
}

/// The `/api/v1` router group, adding each route together with its access entry and its
/// documentation.
struct APIGroup {
    let group: RouterGroup<RegistryRequestContext>
    let prefix: String
    let catalogue: RouteCatalogue

    /// Adds `handler` for `method` on `path` (relative to `/api/v1`), needing `access`, described
    /// by `doc` (whose query parameters are the only ones taken, and whose body schema is the one
    /// checked).
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess, _ doc: OperationDoc,
        use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output
    ) -> Self {
        let body = doc.body
        let takesNoFields = body?.name == JSONSchema.noFields.name
        group.on(RouterPath(path), method: method) { request, context in
            var context = context
            context.bodySchema = body
            // Path parameters as staff typed them: percent-escapes decoded (`%EF%BC%B0` is `Ｐ`).
            context.coreContext.parameters = Parameters(context.parameters.map { element in
                (key: element.key, value: element.value.removingPercentEncoding.map { $0[...] } ?? element.value)
            })
            if takesNoFields {
                try await request.requireNoFields(context: context)
            }
            return try await handler(request, context)
        }
        catalogue.add(.init(method: method, path: RouterPath("\(prefix)/\(path)").description, access: access,
                            query: Set(doc.query.map(\.name)), doc: doc))
        return self
    }

    @discardableResult
    func get<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess, _ doc: OperationDoc,
                                        use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.get, path, access, doc, use: handler)
    }

    @discardableResult
    func post<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess, _ doc: OperationDoc,
                                         use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.post, path, access, doc, use: handler)
    }

    @discardableResult
    func put<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess, _ doc: OperationDoc,
                                        use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.put, path, access, doc, use: handler)
    }

    @discardableResult
    func patch<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess, _ doc: OperationDoc,
                                          use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.patch, path, access, doc, use: handler)
    }

    @discardableResult
    func delete<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess, _ doc: OperationDoc,
                                           use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.delete, path, access, doc, use: handler)
    }
}
