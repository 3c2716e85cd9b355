/// Renders a ``Document`` as plain UTF-8 text with LF line ends (for terminals and tests).
public struct PlainTextRenderer: Sendable {
    public init() {}

    /// The document's text.
    public func render(_ document: Document) -> String {
        var lines = [document.title, String(repeating: "=", count: document.title.count), ""]
        for block in document.blocks {
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
                lines += labels.map { "\($0): ____________________" }
            case .qrCode(let payload, let caption):
                lines += ["[QR \(payload)]", caption]
            }
            lines.append("")
        }
        if !document.footer.isEmpty { lines.append(document.footer) }
        return lines.joined(separator: "\n")
    }
}
