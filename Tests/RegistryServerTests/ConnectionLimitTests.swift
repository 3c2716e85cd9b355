import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import RegistryServer
import RegistryTestSupport
import Testing

/// Idle, trickling and surplus connections cannot starve the service (live server, raw sockets;
/// every blocking socket call runs off Swift's cooperative pool).
@Suite struct ConnectionLimitTests {
    private typealias Sockets = RawSocket

    @Test func threeHundredIdleConnectionsAreClosedAndHealthStillAnswers() async throws {
        let test = try await TestRegistry()
        var configuration = ServerConfiguration(port: 0, idleTimeoutSeconds: 1)
        configuration.headerTimeoutSeconds = 1
        let app = buildApplication(registry: test.registry, configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let sockets = await Sockets.offPool { (0..<300).map { _ in Sockets.connect(port: port) } }
            #expect(sockets.allSatisfy { $0 >= 0 })
            // While they are open, the service answers.
            #expect(await Sockets.offPool { Sockets.statusLine(port: port, host: "localhost") }.hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(3000))
            // Each idle socket was closed by the server: a read returns end-of-file at once.
            let closed = await Sockets.offPool { sockets.filter { Sockets.isClosedByPeer($0) }.count }
            for socket in sockets { close(socket) }
            #expect(closed == sockets.count)
            #expect(await Sockets.offPool { Sockets.statusLine(port: port, host: "localhost") }.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aRequestHeadTrickledByteByByteIsCutOffAtTheHeaderTimeout() async throws {
        let test = try await TestRegistry()
        // Idle timeout far away: only the header timeout can close this connection.
        var configuration = ServerConfiguration(port: 0, idleTimeoutSeconds: 30)
        configuration.headerTimeoutSeconds = 1
        let app = buildApplication(registry: test.registry, configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (sent, closedAfter) = await Sockets.offPool { () -> (Int, Double) in
                let fd = Sockets.connect(port: port)
                defer { close(fd) }
                let head = Array("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100)
                let start = Date()
                var sent = 0
                signal(SIGPIPE, SIG_IGN)
                for byte in head {
                    var value = byte
                    guard send(fd, &value, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
                    sent += 1
                    usleep(200_000)  // a byte every 0.2 s: never idle for a whole second
                    if Sockets.peerClosedWithoutWaiting(fd) { break }
                }
                return (sent, Date().timeIntervalSince(start))
            }
            #expect(sent < 40, "the trickle was cut off (\(sent) bytes sent)")
            #expect(closedAfter < 8, "closed after \(closedAfter) s")
            #expect(await Sockets.offPool { Sockets.statusLine(port: port, host: "localhost") }.hasPrefix("HTTP/1.1 200"))
        }
    }

    // The connection cap is tested on the built binary (LoanRegistryCLITests/ServeConnectionCapTests):
    // Hummingbird's test application drops the cap when it rebinds to a free port.

    @Test func aBodyTrickledByteByByteIsCutOffAtTheBodyTimeout() async throws {
        let test = try await TestRegistry()
        var configuration = ServerConfiguration(port: 0, idleTimeoutSeconds: 30)
        configuration.bodyTimeoutSeconds = 1
        let app = buildApplication(registry: test.registry, configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let sent = await Sockets.offPool { () -> Int in
                let fd = Sockets.connect(port: port)
                defer { close(fd) }
                signal(SIGPIPE, SIG_IGN)
                let head = "POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n"
                _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                var sent = 0
                for _ in 0..<100 {
                    var byte = UInt8(ascii: " ")
                    guard send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
                    sent += 1
                    usleep(200_000)
                    if Sockets.peerClosedWithoutWaiting(fd) { break }
                }
                return sent
            }
            #expect(sent < 40, "the trickled body was cut off (\(sent) bytes sent)")
        }
    }
}
