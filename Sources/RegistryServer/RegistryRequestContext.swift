public import Hummingbird
public import LoanRegistry
import NIOCore

/// The per-request context every route of the registry receives.
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Largest accepted body; requests beyond it get 413 `payload_too_large`.
    public var maxUploadSize: Int
    /// Who is acting, for the audit log (set by ``ActorMiddleware``).
    public var actor: AuditActor

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.maxUploadSize = 1 << 20
        self.actor = AuditActor("api:anonymous")
    }
}
