public import Foundation
import Synchronization

/// Runs the built `loan-registry` executable, as an operator would.
///
/// The binary is `$LOAN_REGISTRY_BIN` if set, else `.build/debug/loan-registry` in the package
/// (the Makefile builds it with `swift build --build-tests` before testing).
public enum BuiltBinary {
    /// What a finished run printed and returned.
    public struct Outcome: Sendable {
        public let exitCode: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// The executable's location.
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["LOAN_REGISTRY_BIN"] {
            return URL(fileURLWithPath: path)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/loan-registry")
    }

    /// Runs the binary with `arguments` in `directory` and waits for it to exit.
    public static func run(_ arguments: [String], in directory: URL, input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try ProcessLaunch.run(process)
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
        }
        try stdin.fileHandleForWriting.close()
        // Standard error is read on another thread, so a chatty child never blocks on a full pipe.
        let errorData = ReadAll(error.fileHandleForReading)
        let out = ReadAll.read(output.fileHandleForReading)
        let err = errorData.wait()
        process.waitUntilExit()
        return Outcome(
            exitCode: process.terminationStatus,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self))
    }

    /// Starts the binary without waiting; stdout and stderr go to files in `directory`.
    public static func start(_ arguments: [String], in directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stdout.log").path, contents: nil)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stderr.log").path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout.log"))
        process.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr.log"))
        try ProcessLaunch.run(process)
        return process
    }
}

/// Reads a pipe to its end. `FileHandle.readDataToEndOfFile()` traps when a read is interrupted
/// by a signal (EINTR); this retries instead.
final class ReadAll: Sendable {
    private let data = Mutex(Data())
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `handle` on its own thread.
    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let read = Self.read(handle)
            data.withLock { $0 = read }
            done.signal()
        }
    }

    /// Everything read, once the other end closed.
    func wait() -> Data {
        done.wait()
        return data.withLock { $0 }
    }

    static func read(_ handle: FileHandle) -> Data {
        var data = Data()
        var failures = 0
        while true {
            do {
                guard let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty else { return data }
                data.append(chunk)
            } catch {
                failures += 1
                if failures > 100 { return data }
            }
        }
    }
}
