import ArgumentParser
import Foundation
import LoanRegistry

/// The `--db` option every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The SQLite database file (created on first use).")
    var path: String = "./data/registry.sqlite"

    @Option(name: .customLong("texts"), help: "The ConsentTexts directory explanations are rendered from.")
    var texts: String = "./ConsentTexts"

    /// Opens the registry of a database that must already exist: for commands that check or copy
    /// one, where a mistyped `--db` would otherwise create an empty database and report it sound.
    func openExisting(integrityCheck: IntegrityCheck = .quick) throws -> Registry {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "there is no database at \(path); check --db", exitCode: 3)
        }
        return try open(integrityCheck: integrityCheck)
    }

    /// Opens the registry, turning storage refusals into a message and exit code 3.
    func open(integrityCheck: IntegrityCheck = .quick, groupCommit: Bool = true) throws -> Registry {
        do {
            return try Registry.open(at: path, texts: ConsentTextLibrary(directory: URL(fileURLWithPath: texts)),
                                     integrityCheck: integrityCheck, groupCommit: groupCommit)
        } catch let error as StorageError {
            throw CommandFailure(message: error.description, exitCode: 3)
        }
    }
}

/// A command failed for a reason the operator can act on: printed to stderr, exit code non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    var description: String { message }
}

extension AsyncParsableCommand {
    /// Runs `body`, printing a ``CommandFailure`` as `error: …` and exiting with its code.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}
