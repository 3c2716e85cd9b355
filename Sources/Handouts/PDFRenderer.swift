import CPangoCairo
public import Foundation

/// Renders a ``Document`` as an A4 PDF with Pango and Cairo: the Japanese font embedded (subset),
/// Japanese line breaking by Pango (no line starts with 、。）), as many pages as needed with a
/// header, the document-control footer and "n / N" on each, and QR codes drawn as vector squares.
///
/// Rendering is blocking CPU work: call it from a dedicated thread or queue, never from Swift's
/// cooperative pool (``HandoutPrinter`` does this).
public struct PDFRenderer: Sendable {
    /// The rendered file and what the renderer saw while making it.
    public struct Output: Sendable {
        public let data: Data
        public let pageCount: Int
        /// Characters no font could draw (printed as boxes); always 0 for a good document.
        public let unknownGlyphs: Int
    }

    /// The renderer cannot produce a usable PDF.
    public struct RenderError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The font family every block is set in (IPAexGothic from `fonts-ipaexfont-gothic`).
    public let fontFamily: String

    public init(fontFamily: String = "IPAexGothic") {
        self.fontFamily = fontFamily
    }

    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let left = 48.0
    static let right = 48.0
    static let top = 60.0
    static let bottom = 62.0
    static var contentWidth: Double { pageWidth - left - right }

    /// Renders `document`.
    public func render(_ document: Document) throws -> Output {
        let sink = PDFSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        guard let surface = cairo_pdf_surface_create_for_stream(PDFSink.write, closure, Self.pageWidth, Self.pageHeight)
        else { throw RenderError(message: "cairo could not create a PDF surface") }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "loan-registry")
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderError(message: "cairo could not create a drawing context")
        }
        let pages: Int
        let unknown: Int
        do {
            let layout = PageLayout(cr: cr, fontFamily: fontFamily, language: document.language, size: document.size)
            defer { layout.release() }
            let items = layout.items(for: document)
            let placed = Self.paginate(items)
            pages = (placed.map(\.page).max() ?? 0) + 1
            for page in 0..<pages {
                layout.drawChrome(header: document.header, footer: document.footer, page: page + 1, of: pages)
                for item in placed where item.page == page {
                    item.item.draw(cr, Self.left, item.y)
                }
                cairo_show_page(cr)
            }
            unknown = layout.unknownGlyphs
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(message: "cairo failed: " + String(cString: cairo_status_to_string(status)))
        }
        return Output(data: sink.data, pageCount: pages, unknownGlyphs: unknown)
    }

    /// Places items top to bottom, starting a new page when the next unbreakable item does not
    /// fit; a heading moves to the next page rather than end one.
    static func paginate(_ items: [PageLayout.Item]) -> [(item: PageLayout.Item, page: Int, y: Double)] {
        var placed: [(item: PageLayout.Item, page: Int, y: Double)] = []
        var page = 0
        var y = top
        let limit = pageHeight - bottom
        for (index, item) in items.enumerated() {
            var needed = item.height
            if item.keepWithNext, index + 1 < items.count { needed += min(items[index + 1].height, 60) }
            // The first item of a chained group: the whole group moves to a new page if it fits one.
            if item.chained, index == 0 || !items[index - 1].chained {
                var chain = 0.0
                for next in items[index...] {
                    chain += next.height
                    if !next.chained { break }
                }
                if chain <= limit - top { needed = max(needed, chain) }
            }
            if y + needed > limit && y > top {
                page += 1
                y = top
                // A table continued on a new page starts with its header row again.
                if let header = item.continuation?.item {
                    placed.append((header, page, y))
                    y += header.height
                }
            }
            if y == top && item.isSpace { continue }
            placed.append((item, page, y))
            y += item.height
        }
        return placed
    }

    /// Checks that `fontFamily` draws Japanese and English text without a single missing glyph.
    ///
    /// - Throws: ``RenderError`` naming the font package to install, so a misconfigured machine
    ///   refuses at start-up instead of printing boxes.
    public func checkFont() throws {
        let sample = Document(language: "ja", title: "貸出機器の説明書、連絡先のご案内。（確認）",
                              blocks: [.paragraph("情報セキュリティ上のリスク R01–R20 ・紛失・盗難 119番 ABC abc 0123")])
        let output = try render(sample)
        guard output.unknownGlyphs == 0 else {
            throw RenderError(message: "the font \(fontFamily) cannot draw Japanese text (\(output.unknownGlyphs) missing glyphs); "
                              + "install fonts-ipaexfont-gothic (make deps)")
        }
    }
}

/// Collects the bytes Cairo writes. Used only on the rendering thread, inside one `render` call.
final class PDFSink {
    var data = Data()

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}
