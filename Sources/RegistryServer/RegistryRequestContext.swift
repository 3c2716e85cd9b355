public import Hummingbird
public import LoanRegistry
import NIOCore

/// The per-request context every route of the registry receives.
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Largest accepted body; requests beyond it get 413 `payload_too_large`.
    public var maxUploadSize: Int
    /// The signed-in account acting, set by ``AuthorizationMiddleware``; `nil` on anonymous routes.
    public var actor: AuditActor?
    /// The credential the request was authenticated with (for sign-out).
    var credential: Credential?
    /// The peer's IP address, for the sign-in slow-down and the audit log (never patient data).
    public let remoteAddress: String?
    /// The body schema of the matched route, set when the route is added (``APIGroup``).
    var bodySchema: JSONSchema?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.maxUploadSize = 1 << 20
        self.actor = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
        self.bodySchema = nil
    }

    /// The signed-in actor; throws 401 where none is (a route listed as anonymous asking for one).
    func requireActor() throws -> AuditActor {
        guard let actor else { throw RegistryError.authenticationFailed(.authenticationRequired) }
        return actor
    }
}

/// A session token and how it came: `Authorization: Bearer` or the session cookie.
struct Credential: Sendable {
    let token: String
    let kind: SignInRequest.Kind
}
