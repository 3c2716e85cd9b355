import Foundation
import Glibc
import RegistryTestSupport
import Testing

/// `serve --max-connections`: past the cap a new connection waits in the listen queue, and is
/// answered as soon as a slot frees (the built binary, raw sockets off the cooperative pool).
@Suite struct ServeConnectionCapTests {
    @Test func pastTheCapANewConnectionWaitsUntilASlotFrees() async throws {
        let directory = try TemporaryDirectory()
        let port = Int.random(in: 20_000...40_000)
        // Timeouts far away: only closing sockets frees a slot.
        let process = try BuiltBinary.start(["serve", "--port", "\(port)", "--db", directory.path("registry.sqlite"),
                                             "--max-connections", "10", "--idle-timeout", "60", "--header-timeout", "60"],
                                            in: directory.url)
        defer { if process.isRunning { process.terminate() } }
        var ready = false
        for _ in 0..<300 where !ready {
            ready = await RawSocket.offPool { RawSocket.statusLine(port: port, host: "localhost") }.hasPrefix("HTTP/1.1 200")
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(ready)
        let (early, late) = await RawSocket.offPool { () -> (Int, String) in
            // Fill every slot and then some: the server may accept a few past the cap in one read
            // of its listening socket; the rest, and ours, wait in the kernel's queue.
            let held = (0..<40).map { _ in RawSocket.connect(port: port) }
            usleep(300_000)
            let fd = RawSocket.connect(port: port)
            defer { close(fd) }
            let request = "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            _ = request.withCString { send(fd, $0, strlen($0), 0) }
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 256)
            let early = recv(fd, &buffer, buffer.count, 0)  // every slot taken: nothing comes
            for socket in held where socket >= 0 { close(socket) }  // free them
            timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let count = recv(fd, &buffer, buffer.count, 0)
            return (early, count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : "recv \(count)")
        }
        #expect(early < 0, "no answer while every slot is taken")
        #expect(late.hasPrefix("HTTP/1.1 200"), "answered once a slot freed: \(late.prefix(40))")
        process.terminate()
        process.waitUntilExit()
    }
}
