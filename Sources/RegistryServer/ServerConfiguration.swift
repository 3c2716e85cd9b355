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

    /// A configuration with the documented defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databasePath: String = "./data/registry.sqlite",
        maximumBodySize: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.maximumBodySize = maximumBodySize
    }
}
