import Foundation
import RegistryTestSupport

/// poppler-utils and qpdf, run on a PDF written to a temporary file (installed by `make deps`).
struct Poppler {
    let file: URL

    init(_ data: Data) throws {
        file = FileManager.default.temporaryDirectory.appendingPathComponent("handout-\(UUID().uuidString).pdf")
        try data.write(to: file)
    }

    func remove() { try? FileManager.default.removeItem(at: file) }

    /// Runs `tool` with `arguments` + the file; standard output and exit status.
    func run(_ tool: String, _ arguments: [String] = [], fileFirst: Bool = false) throws -> (output: String, status: Int32) {
        let result = try Spawn.run("/usr/bin/\(tool)", fileFirst ? [file.path] + arguments : arguments + [file.path])
        return (String(decoding: result.output, as: UTF8.self), result.status)
    }

    /// `pdftotext` output (reading order, no layout).
    func text() throws -> String { try run("pdftotext", ["-"], fileFirst: true).output }

    /// The text with every whitespace character removed, for matching across line breaks.
    static func squeezed(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }
}
