import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// The versioned explanation and consent texts.
    struct TextsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "texts", abstract: "Check or release the versioned ConsentTexts.", subcommands: [Check.self, Release.self])

        struct Location: ParsableArguments {
            @Option(name: .customLong("dir"), help: "The ConsentTexts directory.") var path = "ConsentTexts"
            var library: ConsentTextLibrary { ConsentTextLibrary(directory: URL(fileURLWithPath: path)) }
        }

        struct Check: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Verify that no released text changed and every file parses; exit 1 otherwise.")
            @OptionGroup var location: Location

            func run() async throws {
                try await reportingFailures {
                    let problems = try location.library.check()
                    for problem in problems { print(problem) }
                    guard problems.isEmpty else { throw CommandFailure(message: "\(problems.count) problems", exitCode: 1) }
                    print("ok: \(try location.library.lock().count) released files unchanged")
                }
            }
        }

        struct Release: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record the SHA-256 of every file of a new version in texts.lock, making it immutable.")
            @OptionGroup var location: Location
            @Argument(help: "The version to release, e.g. 2 for v2/.") var version: Int

            func run() async throws {
                try await reportingFailures {
                    do {
                        let released = try location.library.release(version: version)
                        print(released.isEmpty ? "nothing new to release in v\(version)" : "released \(released.count) files of v\(version)")
                    } catch let error as RegistryError {
                        throw CommandFailure(message: error.description, exitCode: 1)
                    }
                }
            }
        }
    }
}
