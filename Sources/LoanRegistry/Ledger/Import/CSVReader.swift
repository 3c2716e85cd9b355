/// Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) as rows of cells with line numbers.
///
/// A leading UTF-8 byte-order mark (as Excel writes) is ignored.
public enum CSVReader {
    /// One record and the line it starts on (1-based).
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let cells: [String]
    }

    /// A CSV text that cannot be read.
    public struct SyntaxError: Error, Equatable, Sendable {
        public let line: Int
        public let message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// Parses `text`; blank lines are skipped.
    public static func records(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var characters = Substring(text)
        if characters.first == "\u{FEFF}" { characters = characters.dropFirst() }

        func endRecord() {
            cells.append(cell)
            if !(cells.count == 1 && cells[0].isEmpty) {
                records.append(Record(line: recordLine, cells: cells))
            }
            cells = []
            cell = ""
        }

        for character in characters {
            if quoted {
                if character == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"" where afterQuote:
                cell.append("\"")
                quoted = true
                afterQuote = false
            case "\"" where cell.isEmpty:
                quoted = true
            case "\"":
                throw SyntaxError(line: line, message: "a quote inside an unquoted field")
            case ",":
                cells.append(cell)
                cell = ""
                afterQuote = false
            case "\n", "\r\n", "\r":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                if afterQuote { throw SyntaxError(line: line, message: "text after a closing quote") }
                cell.append(character)
            }
        }
        if quoted { throw SyntaxError(line: recordLine, message: "a quoted field is not closed") }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        return records
    }
}
