import Foundation
import Glibc

/// Raw TCP sockets for tests of what a server does with idle, slow or surplus connections.
///
/// Every call blocks: run them through ``offPool(_:)``, never on Swift's cooperative pool,
/// which would starve the very server under test.
public enum RawSocket {
    /// Runs blocking socket calls on a dispatch thread: blocking Swift's cooperative pool would
    /// starve the very server under test.
    public static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }

    /// The status line of `GET /api/v1/health` sent with `Host: host` over a raw socket (a few
    /// tries, as the whole suite may be loading the machine).
    public static func statusLine(port: Int, host: String) -> String {
        var problems: [String] = []
        for _ in 0..<5 {
            let fd = connect(port: port)
            guard fd >= 0 else { problems.append("connect errno \(errno)"); continue }
            defer { close(fd) }
            let request = "GET /api/v1/health HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
            _ = request.withCString { send(fd, $0, strlen($0), 0) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0, let line = String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\r\n").first {
                return String(line)
            }
            problems.append("recv \(count) errno \(errno)")
        }
        return problems.joined(separator: "; ")
    }

    public static func connect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { close(fd) }
        return result == 0 ? fd : -1
    }

    public static func isClosedByPeer(_ fd: Int32) -> Bool {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Whether the peer has closed `fd` (end-of-file or reset), without blocking.
    public static func peerClosedWithoutWaiting(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
