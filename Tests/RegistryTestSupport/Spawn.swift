public import Foundation
import Glibc
import Synchronization

/// Runs a child process with `posix_spawn` and collects its output.
///
/// Foundation's `Process.run()` crashed now and then inside its own argument copying when many
/// tests started processes (`loan-registry`, `pdftotext`, `qpdf` …) while others ran servers; this
/// goes straight to the C call. (`@unchecked` is not needed: only file descriptors cross threads.)
public enum Spawn {
    /// What the child wrote and how it ended.
    public struct Result: Sendable {
        public let status: Int32
        public let output: Data
        public let error: Data
    }

    /// Starts `executable` with `arguments`, optionally in `directory` (via `env -C`), writes
    /// `input` to its standard input, and waits for it.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           input: Data? = nil) throws -> Result {
        let argv = directory.map { ["/usr/bin/env", "-C", $0, executable] + arguments } ?? [executable] + arguments
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [0, 0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // The pipes are made close-on-exec and the child started while no other test starts one,
        // so no other child inherits these ends (it would hold a pipe open and the reader would
        // never see its end).
        let spawned: Int32 = try ProcessLaunch.serialized {
            guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&inPipe) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            return posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        }
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
        }
        let errorReader = Reader(errPipe[0])
        if let input {
            input.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(inPipe[1], buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 { if errno == EINTR { continue } else { break } }
                    offset += written
                }
            }
        }
        close(inPipe[1])
        let output = Reader.readAll(outPipe[0])
        let error = errorReader.wait()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, and a signal as 128 + its number, as a shell reports it.
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode, output: output, error: error)
    }

    /// Reads one pipe to its end on a thread of its own.
    final class Reader: Sendable {
        private let data = Mutex(Data())
        private let done = DispatchSemaphore(value: 0)

        init(_ fd: Int32) {
            Thread.detachNewThread { [self] in
                let read = Self.readAll(fd)
                data.withLock { $0 = read }
                done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return data.withLock { $0 }
        }

        /// Reads `fd` to its end (retrying on EINTR) and closes it.
        static func readAll(_ fd: Int32) -> Data {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count > 0 { data.append(buffer, count: count) } else if count < 0 && errno == EINTR { continue } else { break }
            }
            close(fd)
            return data
        }
    }
}
