public import Foundation
/// What `loan-registry serve` (or a test) asks the server for.
public struct ServerConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` by default so a fresh install is not exposed.
    public var host: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// The SQLite file; created with its directory on first run.
    public var databasePath: String
    /// Largest request body accepted, in bytes.
    public var maximumBodySize: Int
    /// Further host names the service answers to (behind a proxy, its public name); the bind
    /// address, `localhost`, `127.0.0.1` and `::1` are always allowed. Others get 421.
    public var allowedHosts: [String]
    /// Seconds a connection may stay idle (no request bytes) before it is closed.
    public var idleTimeoutSeconds: Int
    /// Mark the session cookie `Secure` (serve behind a TLS proxy). Off by default because the
    /// default is plain HTTP on 127.0.0.1, where a `Secure` cookie would never be sent back.
    public var secureCookies: Bool
    /// Slow down sign-ins from an address that keeps failing (on by default). The per-login
    /// lockout applies either way; turn this off only where every client shares one address
    /// and the lockout suffices, or for a contract test that fails sign-ins on purpose.
    public var slowDownFailingAddresses: Bool = true
    /// Most connections open at once; beyond it new ones wait in the listen queue.
    public var maximumConnections: Int = 1024
    /// Seconds a new connection has to send its first complete request head.
    public var headerTimeoutSeconds: Int = 10
    /// Seconds a request's body may take to arrive after its head.
    public var bodyTimeoutSeconds: Int = 30
    /// The checkpoint folder (key and log) `/audit/verify` checks; `nil` checks no checkpoints.
    public var checkpointDirectory: URL?

    /// A configuration with the documented defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databasePath: String = "./data/registry.sqlite",
        maximumBodySize: Int = 1 << 20,
        secureCookies: Bool = false,
        allowedHosts: [String] = [],
        idleTimeoutSeconds: Int = 30
    ) {
        self.allowedHosts = allowedHosts
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.secureCookies = secureCookies
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.maximumBodySize = maximumBodySize
    }

    /// Every host name requests may name, lower-cased.
    var allowedHostNames: Set<String> {
        Set((allowedHosts + [host, "localhost", "127.0.0.1", "::1"]).map { $0.lowercased() })
    }
}
