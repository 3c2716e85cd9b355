import Foundation

/// Renders a ``Document`` as one self-contained HTML page for A4 printing from a browser.
///
/// Print CSS: `@page` A4 with margins, the document-control footer repeated through a fixed
/// element, tables and key–value rows that never split across pages, headings kept with what
/// follows. The QR code is inline SVG, so the page needs no other file.
public struct HTMLRenderer: Sendable {
    public init() {}

    /// The page as UTF-8 HTML.
    public func render(_ document: Document) -> String {
        var body: [String] = []
        if !document.header.isEmpty { body.append("<header>\(escape(document.header))</header>") }
        body.append("<h1>\(escape(document.title))</h1>")
        body += blocks(document.blocks)
        body.append("<footer>\(escape(document.footer))</footer>")
        return """
            <!DOCTYPE html>
            <html lang="\(escape(document.language))"\(document.size == .large ? " class=\"large\"" : "")>
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(document.title))</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Escapes text for HTML content and attribute values.
    func escape(_ text: String) -> String {
        Self.escapeHTML(text)
    }

    /// `text` with `& < > " '` escaped, for HTML content and attribute values (also the staff pages').
    public static func escapeHTML(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static let css = """
        @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
        html { font-family: "IPAexGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif;
               font-size: 10.5pt; line-height: 1.6; color: #000; }
        html.large { font-size: 14pt; }
        html.large h1 { font-size: 20pt; }
        html.large h2 { font-size: 16pt; }
        html.large header, html.large footer { font-size: 10pt; }
        body { max-width: 178mm; margin: 0 auto; padding: 8mm 0 16mm; line-break: strict; overflow-wrap: anywhere; }
        header { font-size: 9pt; color: #444; border-bottom: 0.5pt solid #888; margin-bottom: 4mm; }
        h1 { font-size: 16pt; margin: 2mm 0 4mm; }
        h2 { font-size: 12pt; margin: 5mm 0 2mm; border-left: 3pt solid #333; padding-left: 2mm;
             break-after: avoid; page-break-after: avoid; }
        p { margin: 0 0 2.5mm; orphans: 2; widows: 2; }
        ul { margin: 0 0 3mm; padding-left: 6mm; }
        table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
        tr, li, .sign, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
        thead { display: table-header-group; }
        table.kv th { text-align: left; width: 32%; font-weight: normal; color: #333; vertical-align: top; padding: 1mm 2mm 1mm 0; }
        table.kv td { padding: 1mm 0; border-bottom: 0.3pt solid #ccc; }
        table.grid th, table.grid td { border: 0.5pt solid #666; padding: 1mm 2mm; text-align: left; vertical-align: top; }
        ul.checks { list-style: none; padding-left: 0; }
        ul.checks .box { display: inline-block; width: 3.5mm; height: 3.5mm; border: 0.6pt solid #000;
                         margin-right: 2mm; vertical-align: -0.5mm; text-align: center; line-height: 3.5mm; font-size: 8pt; }
        .signatures { margin-top: 6mm; }
        .sign { display: flex; align-items: flex-end; gap: 3mm; margin: 0 0 7mm; }
        .sign .line { flex: 1; border-bottom: 0.6pt solid #000; height: 8mm; text-align: right; line-height: 8mm; }
        figure.qr { display: flex; align-items: center; gap: 4mm; margin: 4mm 0; }
        figure.qr svg { width: 24mm; height: 24mm; }
        footer { font-size: 8pt; color: #444; border-top: 0.5pt solid #888; margin-top: 6mm; padding-top: 1mm; }
        @media print { footer { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; }
                       body { padding-bottom: 0; } }
        """

    /// The HTML of `blocks`, one string per block.
    private func blocks(_ list: [Document.Block]) -> [String] {
        var body: [String] = []
        for block in list {
            switch block {
            case .heading(let text):
                body.append("<h2>\(escape(text))</h2>")
            case .paragraph(let text):
                body.append("<p>" + escape(text).replacingOccurrences(of: "\n", with: "<br>\n") + "</p>")
            case .list(let items):
                body.append("<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
            case .keyValues(let rows):
                body.append("<table class=\"kv\">" + rows.map {
                    "<tr><th scope=\"row\">\(escape($0.key))</th><td>"
                        + escape($0.value).replacingOccurrences(of: "\n", with: "<br>") + "</td></tr>"
                }.joined(separator: "\n") + "</table>")
            case .table(let table):
                body.append("<table class=\"grid\"><thead><tr>" + table.header.map { "<th>\(escape($0))</th>" }.joined()
                            + "</tr></thead><tbody>" + table.rows.map { row in
                                "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>"
                            }.joined(separator: "\n") + "</tbody></table>")
            case .checkboxes(let boxes):
                body.append("<ul class=\"checks\">" + boxes.map {
                    "<li><span class=\"box\">\($0.checked ? "✔" : "")</span>\(escape($0.label))</li>"
                }.joined(separator: "\n") + "</ul>")
            case .signatureLines(let labels):
                body.append("<div class=\"signatures\">" + labels.map {
                    let parts = $0.split(separator: "\t", maxSplits: 1).map(String.init)
                    return "<div class=\"sign\"><span>\(escape(parts.first ?? ""))</span><span class=\"line\">"
                        + (parts.count > 1 ? escape(parts[1]) : "") + "</span></div>"
                }.joined(separator: "\n") + "</div>")
            case .qrCode(let payload, let caption):
                let svg = (try? QRCode(payload).svg(moduleSize: 3)) ?? ""
                body.append("<figure class=\"qr\">\(svg)<figcaption>\(escape(caption))</figcaption></figure>")
            case .keepTogether(let inner):
                body.append("<div class=\"keep\">" + blocks(inner).joined(separator: "\n") + "</div>")
            }
        }
        return body
    }

}
