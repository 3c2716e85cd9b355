import Foundation

/// One released text file of `ConsentTexts/`: a small header, then the body.
///
/// ```
/// ---
/// text: risks
/// version: 1
/// language: ja
/// ---
/// R01: 機器をなくしたり…
/// ```
/// Keyed files (`risks`, `precautions`, `categories`) hold one `KEY: text` line per item.
public struct ConsentTextFile: Sendable, Equatable {
    public let text: String
    public let version: Int
    public let language: String
    /// The body, NFC-normalised with LF line ends.
    public let body: String

    /// A file that is not in the expected format.
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public let file: String
        public let problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// Parses `contents` of the file at `name` (used in messages).
    public init(contents: String, name: String) throws {
        let normalised = contents.replacingOccurrences(of: "\r\n", with: "\n").precomposedStringWithCanonicalMapping
        let parts = normalised.components(separatedBy: "---\n")
        guard parts.count >= 3, parts[0].isEmpty else {
            throw FormatError(file: name, problem: "must start with a '---' header block")
        }
        var header: [String: String] = [:]
        for line in parts[1].split(separator: "\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw FormatError(file: name, problem: "header line '\(line)' is not 'key: value'") }
            header[pair[0]] = pair[1]
        }
        guard let text = header["text"], let version = header["version"].flatMap(Int.init), let language = header["language"] else {
            throw FormatError(file: name, problem: "header needs text, version and language")
        }
        self.text = text
        self.version = version
        self.language = language
        body = parts[2...].joined(separator: "---\n")
    }

    /// The `KEY: text` items of a keyed file, in file order.
    public func items() throws -> [(key: String, text: String)] {
        try body.split(separator: "\n").map { line in
            guard let colon = line.firstIndex(of: ":") else {
                throw FormatError(file: "\(language)/\(text)", problem: "line '\(line)' is not 'KEY: text'")
            }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }
}
