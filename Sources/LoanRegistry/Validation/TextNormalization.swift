import Foundation

/// Every text the registry stores is in Unicode NFC, so the same name typed on two keyboards
/// (precomposed `が` or `か` + combining mark) is stored, compared and printed alike.
enum TextNormalization {
    /// `value` with every string in it (at any depth) in NFC.
    ///
    /// Works on any input type by a JSON round trip. JSON syntax is ASCII, which NFC leaves
    /// alone, and the encoder writes non-ASCII text unescaped; the escapes it does write (`\n`,
    /// `\u001b`) are copied as they are, with NFC applied only between them, so a combining mark
    /// after a control character can never merge into the escape's last letter.
    static func nfc<T: Codable>(_ value: T) throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(value)
        guard let text = String(data: data, encoding: .utf8) else { return value }
        if NormalizationQuickCheck.isNFC(text) { return value }  // ASCII, kana, kanji: already NFC
        // Without escapes the whole text is one run to normalize.
        let normalized = text.utf8.contains(UInt8(ascii: "\\")) ? normalizedOutsideEscapes(text)
            : text.precomposedStringWithCanonicalMapping
        // (Scalars, not Strings: Swift calls the NFD and NFC forms equal.)
        guard !normalized.unicodeScalars.elementsEqual(text.unicodeScalars) else { return value }
        return try JSONDecoder().decode(T.self, from: Data(normalized.utf8))
    }

    /// `json` with each run of text between backslash escapes put in NFC, escapes untouched.
    static func normalizedOutsideEscapes(_ json: String) -> String {
        var result = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()
        var scalars = json.unicodeScalars.makeIterator()
        func flush() {
            result.append(contentsOf: String(run).precomposedStringWithCanonicalMapping.unicodeScalars)
            run.removeAll()
        }
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                run.append(scalar)
                continue
            }
            flush()
            result.append(scalar)
            guard let escaped = scalars.next() else { break }
            result.append(escaped)
            if escaped == "u" {
                for _ in 0..<4 { if let hex = scalars.next() { result.append(hex) } }
            }
        }
        flush()
        return String(result)
    }
}
