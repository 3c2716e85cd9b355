import Foundation
import Logging

/// The server's log lines on standard error, in swift-log's `StreamLogHandler` form:
/// `2026-12-07T10:15:02+0900 info loan-registry: method=GET route=/api/v1/health status=200 [RegistryServer] request`.
///
/// Two differences, both found by profiling the durable create, which logs a line per request:
/// - The time comes from `localtime_r`. `StreamLogHandler` calls `localtime`, which re-reads the
///   time zone (a `stat` of `/etc/localtime`) on every line.
/// - Each line is one `write(2)` of the whole line, with no lock. `StreamLogHandler` takes the
///   `FILE` lock and flushes on every line. Concurrent lines up to 4 KiB (`PIPE_BUF`) stay whole on a
///   pipe, and in practice on a file or a socket too; the server's lines are far shorter (they
///   name routes and codes, never bodies).
struct ServerLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadataProvider: Logger.MetadataProvider?
    var metadata = Logger.Metadata()

    init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() {
            all.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata {
            all.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp()
        line += " \(event.level)"
        if !label.isEmpty { line += " " + label }
        line += ":"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        line += " [\(event.source)] \(event.message)\n"
        Self.emit(line)
    }

    /// Now in local time, `2026-12-07T10:15:02+0900`.
    private static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `line` to standard error in one call (retrying the rest of a short write).
    private static func emit(_ line: String) {
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { buffer in
            guard let start = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, start + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // a closed or full standard error loses the line, never the request
                }
                offset += written
            }
        }
    }
}
