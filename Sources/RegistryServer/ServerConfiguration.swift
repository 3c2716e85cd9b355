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
    /// Mark the session cookie `Secure` (serve behind a TLS proxy). Off by default because the
    /// default is plain HTTP on 127.0.0.1, where a `Secure` cookie would never be sent back.
    public var secureCookies: Bool

    /// A configuration with the documented defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databasePath: String = "./data/registry.sqlite",
        maximumBodySize: Int = 1 << 20,
        secureCookies: Bool = false
    ) {
        self.secureCookies = secureCookies
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.maximumBodySize = maximumBodySize
    }
}
