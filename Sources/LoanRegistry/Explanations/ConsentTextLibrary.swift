public import Foundation

/// The versioned explanation, consent and contact texts in a `ConsentTexts/` directory.
///
/// Layout: `v<N>/<language>/<text>.md`, and `texts.lock` listing `<sha256>  <path>` for every
/// released file. A released file never changes: new wording is a new version.
public struct ConsentTextLibrary: Sendable {
    /// The directory holding `v1/`, `v2/` … and `texts.lock`.
    public let directory: URL

    /// The lock file's name inside ``directory``.
    public static let lockName = "texts.lock"

    public init(directory: URL) {
        self.directory = directory
    }

    /// One problem `check()` found.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Every `.md` file under a version directory, as sorted relative paths.
    public func files() throws -> [String] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "md" else { continue }
            let relative = url.standardizedFileURL.path.replacingOccurrences(of: directory.standardizedFileURL.path + "/", with: "")
            if relative.hasPrefix("v") { paths.append(relative) }
        }
        return paths.sorted()
    }

    /// The lock: released path → SHA-256.
    public func lock() throws -> [String: String] {
        let url = directory.appendingPathComponent(Self.lockName)
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        var entries: [String: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2 { entries[String(parts[1])] = String(parts[0]) }
        }
        return entries
    }

    /// SHA-256 of a file's exact bytes.
    public func sha256(of path: String) throws -> String {
        let data = try Data(contentsOf: directory.appendingPathComponent(path))
        return ContentHash.sha256(data)
    }

    /// Released files that changed or vanished, and files that do not parse. Unreleased drafts are fine.
    public func check() throws -> [Problem] {
        var problems: [Problem] = []
        let lock = try lock()
        let present = Set(try files())
        for (path, hash) in lock.sorted(by: { $0.key < $1.key }) {
            if !present.contains(path) {
                problems.append(Problem(path: path, message: "released file is missing"))
            } else if try sha256(of: path) != hash {
                problems.append(Problem(path: path, message: "released file was changed; put new wording in a new version"))
            }
        }
        for path in present.sorted() {
            do {
                let file = try ConsentTextFile(
                    contents: String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8), name: path)
                let expected = "v\(file.version)/\(file.language)/\(file.text).md"
                if path != expected { problems.append(Problem(path: path, message: "header says \(expected)")) }
            } catch let error as ConsentTextFile.FormatError {
                problems.append(Problem(path: path, message: error.problem))
            }
        }
        return problems
    }

    /// Adds every file of `version` to the lock. Refuses when ``check()`` finds problems.
    ///
    /// - Returns: the paths newly released.
    @discardableResult
    public func release(version: Int) throws -> [String] {
        let problems = try check()
        guard problems.isEmpty else {
            throw RegistryError.validationFailed(problems.map { FieldError($0.path, $0.message) })
        }
        var lock = try lock()
        let new = try files().filter { $0.hasPrefix("v\(version)/") && lock[$0] == nil }
        for path in new { lock[path] = try sha256(of: path) }
        let text = "# SHA-256 of every released ConsentTexts file. Written by `loan-registry texts release`.\n"
            + lock.keys.sorted().map { "\(lock[$0] ?? "")  \($0)" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent(Self.lockName), options: .atomic)
        return new
    }
}
