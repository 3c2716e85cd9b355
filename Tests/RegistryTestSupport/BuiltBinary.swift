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
        let result = try Spawn.run(url.path, arguments, in: directory.path, input: input.map { Data($0.utf8) })
        return Outcome(
            exitCode: result.status,
            standardOutput: String(decoding: result.output, as: UTF8.self),
            standardError: String(decoding: result.error, as: UTF8.self))
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
