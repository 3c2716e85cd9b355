public import HTTPTypes
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
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// Every route, sorted by path then method.
    public var all: [Entry] {
        entries.withLock { Array($0.values) }.sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    func add(_ entry: Entry) {
        entries.withLock { $0["\(entry.method.rawValue) \(entry.path)"] = entry }
    }

    /// The route matched for `method` and `path`, or `nil` when it is not listed.
    func entry(_ method: HTTPRequest.Method, _ path: String) -> Entry? {
        entries.withLock { $0["\(method.rawValue) \(path)"] }
    }
}

/// The query parameters of a page of a list.
let pageQuery: Set<String> = ["limit", "cursor"]

/// The `/api/v1` router group, adding each route together with its access entry.
struct APIGroup {
    let group: RouterGroup<RegistryRequestContext>
    let prefix: String
    let catalogue: RouteCatalogue

    /// Adds `handler` for `method` on `path` (relative to `/api/v1`), needing `access` and taking
    /// the query parameters `query`.
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess, query: Set<String> = [],
        use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output
    ) -> Self {
        group.on(RouterPath(path), method: method, use: handler)
        catalogue.add(.init(method: method, path: RouterPath("\(prefix)/\(path)").description, access: access, query: query))
        return self
    }

    @discardableResult
    func get<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess, query: Set<String> = [],
                                        use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.get, path, access, query: query, use: handler)
    }

    @discardableResult
    func post<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess,
                                         use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.post, path, access, use: handler)
    }

    @discardableResult
    func put<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess,
                                        use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.put, path, access, use: handler)
    }

    @discardableResult
    func patch<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess,
                                          use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.patch, path, access, use: handler)
    }

    @discardableResult
    func delete<Output: ResponseGenerator>(_ path: String, _ access: RouteAccess,
                                           use handler: @escaping @Sendable (Request, RegistryRequestContext) async throws -> Output) -> Self {
        on(.delete, path, access, use: handler)
    }
}
