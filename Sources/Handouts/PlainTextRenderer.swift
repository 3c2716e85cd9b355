/// Renders a ``Document`` as plain UTF-8 text with LF line ends (for terminals and tests).
public struct PlainTextRenderer: Sendable {
    public init() {}

    /// The document's text.
    public func render(_ document: Document) -> String {
        var lines = [document.title, String(repeating: "=", count: document.title.count), ""]
        lines += render(document.blocks)
        if !document.footer.isEmpty { lines.append(document.footer) }
        return lines.joined(separator: "\n")
    }

    private func render(_ blocks: [Document.Block]) -> [String] {
        var lines: [String] = []
        for block in blocks {
            switch block {
            case .heading(let text):
                lines += [text, String(repeating: "-", count: text.count)]
            case .paragraph(let text):
                lines.append(text)
            case .list(let items):
                lines += items.map { "・\($0)" }
            case .keyValues(let rows):
                lines += rows.map { "\($0.key): \($0.value)" }
            case .table(let table):
                lines += ([table.header] + table.rows).map { $0.joined(separator: " | ") }
            case .checkboxes(let boxes):
                lines += boxes.map { ($0.checked ? "[x] " : "[ ] ") + $0.label }
            case .signatureLines(let labels):
                lines += labels.map { label in
                    let parts = label.split(separator: "\t", maxSplits: 1).map(String.init)
                    return "\(parts.first ?? ""): ____________________" + (parts.count > 1 ? " " + parts[1] : "")
                }
            case .qrCode(let payload, let caption):
                lines += ["[QR \(payload)]", caption]
            case .keepTogether(let inner):
                lines += render(inner).dropLast()
            }
            lines.append("")
        }
        return lines
    }
}
