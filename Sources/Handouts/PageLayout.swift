import CPangoCairo
import CQREncode

/// Turns document blocks into measured, drawable items for one PDF render.
///
/// Owns the Pango context, fonts and layouts of that render (released by ``release()``); lives on
/// the rendering thread only.
final class PageLayout {
    /// Something drawn at a known height: a line of a paragraph, a table row, a signature line …
    struct Item {
        let height: Double
        var keepWithNext = false
        /// Printed on the same page as the next item, whatever it takes (a ``Document/Block/keepTogether(_:)`` group).
        var chained = false
        var isSpace = false
        let draw: (OpaquePointer, Double, Double) -> Void
        /// Drawn first when this item starts a page: a table's header row over its continued rows.
        var continuation: Continuation?
    }

    /// A table header repeated on continuation pages (a class: an item cannot hold an item).
    final class Continuation {
        let item: Item
        init(_ item: Item) { self.item = item }
    }

    private let cr: OpaquePointer
    private let context: OpaquePointer
    private let body: OpaquePointer
    private let small: OpaquePointer
    private let heading: OpaquePointer
    private let title: OpaquePointer
    private var layouts: [OpaquePointer] = []
    private(set) var unknownGlyphs = 0
    /// Body text size in points: 10.5, or 14 in large print.
    let bodySize: Double
    /// What a list entry starts with: `・` in Japanese, `• ` in English.
    private let bullet: String

    /// Type sizes (body, small, heading, title) for each print size.
    static func sizes(_ size: Document.PrintSize) -> (body: Double, small: Double, heading: Double, title: Double) {
        switch size {
        case .normal: (10.5, 8, 12.5, 16)
        case .large: (14, 10, 16, 20)
        }
    }

    init(cr: OpaquePointer, fontFamily: String, language: String, size: Document.PrintSize = .normal) {
        self.cr = cr
        context = pango_cairo_create_context(cr)
        pango_context_set_language(context, pango_language_from_string(language))
        let sizes = Self.sizes(size)
        bodySize = sizes.body
        bullet = language == "en" ? "• " : "・"
        body = pango_font_description_from_string("\(fontFamily) \(sizes.body)")
        small = pango_font_description_from_string("\(fontFamily) \(sizes.small)")
        heading = pango_font_description_from_string("\(fontFamily) \(sizes.heading)")
        title = pango_font_description_from_string("\(fontFamily) \(sizes.title)")
    }

    func release() {
        for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) }
        layouts.removeAll()
        for font in [body, small, heading, title] { pango_font_description_free(font) }
        g_object_unref(UnsafeMutableRawPointer(context))
    }

    /// A laid-out text of `width` points (Pango wraps at word or character boundaries, by UAX #14).
    private func layout(_ text: String, _ font: OpaquePointer, width: Double, indent: Double = 0) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        pango_layout_set_font_description(layout, font)
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_spacing(layout, Int32(2.5 * Double(PANGO_SCALE)))
        if indent != 0 { pango_layout_set_indent(layout, Int32(indent * Double(PANGO_SCALE))) }
        pango_layout_set_text(layout, text, -1)
        keepPhonesWithHours(layout, text, width: width)
        unknownGlyphs += Int(pango_layout_get_unknown_glyphs_count(layout))
        layouts.append(layout)
        return layout
    }

    /// A phone number and the hours in brackets after it (`03-0000-1000（平日 9:00〜17:00）`) are
    /// never split across lines: Pango may not break inside them — unless one is wider than the
    /// line, which would run it off the page.
    private func keepPhonesWithHours(_ layout: OpaquePointer, _ text: String, width: Double) {
        guard text.contains(where: \.isNumber) else { return }
        let matches = text.matches(of: Self.phoneWithHours)
        guard !matches.isEmpty else { return }
        let attributes = pango_attr_list_new()
        for match in matches {
            guard let attribute = pango_attr_allow_breaks_new(0) else { continue }
            attribute.pointee.start_index = UInt32(text.utf8.distance(from: text.startIndex, to: match.range.lowerBound))
            attribute.pointee.end_index = UInt32(text.utf8.distance(from: text.startIndex, to: match.range.upperBound))
            pango_attr_list_insert(attributes, attribute)
        }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        if Double(logical.width) / Double(PANGO_SCALE) > width + 0.5 { pango_layout_set_attributes(layout, nil) }
    }

    /// A phone number (with the word 電話 / Phone before it), then its bracketed hours or note on the same line.
    static var phoneWithHours: Regex<Substring> { #/(?:(?:電話|Phone|TEL)[ 　:：]?)?[0-9０-９][0-9０-９\-‐－]{5,}[0-9０-９][ 　]?[（(][^）)\n]*[）)]/# }

    private func height(_ layout: OpaquePointer) -> Double {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Double(logical.height) / Double(PANGO_SCALE)
    }

    /// One item per line of `layout`, so long text breaks between lines across pages.
    private func lines(_ layout: OpaquePointer, dx: Double = 0, gapAfter: Double) -> [Item] {
        var items: [Item] = []
        let iterator = pango_layout_get_iter(layout)
        defer { pango_layout_iter_free(iterator) }
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &logical)
            let line = pango_layout_iter_get_line_readonly(iterator)
            let top = Double(logical.y) / Double(PANGO_SCALE)
            let baseline = Double(pango_layout_iter_get_baseline(iterator)) / Double(PANGO_SCALE) - top
            let x = Double(logical.x) / Double(PANGO_SCALE) + dx
            let lineHeight = Double(logical.height) / Double(PANGO_SCALE) + 2.5
            items.append(Item(height: lineHeight) { cr, left, y in
                cairo_move_to(cr, left + x, y + baseline)
                pango_cairo_show_layout_line(cr, line)
            })
        } while pango_layout_iter_next_line(iterator) != 0
        items.append(space(gapAfter))
        return items
    }

    private func space(_ height: Double) -> Item {
        Item(height: height, isSpace: true) { _, _, _ in }
    }

    private func show(_ layout: OpaquePointer, at x: Double, _ y: Double) {
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
    }

    /// Every block of `document` as items, title first.
    func items(for document: Document) -> [Item] {
        let width = PDFRenderer.contentWidth
        return lines(layout(document.title, title, width: width), gapAfter: 8) + items(for: document.blocks, width: width)
    }

    private func items(for blocks: [Document.Block], width: Double) -> [Item] {
        var items: [Item] = []
        for block in blocks {
            switch block {
            case .heading(let text):
                let headingLayout = layout(text, heading, width: width - 8)
                let height = self.height(headingLayout)
                items.append(space(6))
                items.append(Item(height: height + 5, keepWithNext: true) { cr, x, y in
                    cairo_set_line_width(cr, 2.5)
                    cairo_move_to(cr, x + 1.2, y + 1)
                    cairo_line_to(cr, x + 1.2, y + height - 1)
                    cairo_stroke(cr)
                    cairo_move_to(cr, x + 8, y)
                    pango_cairo_show_layout(cr, headingLayout)
                })
            case .paragraph(let text):
                items += lines(layout(text, body, width: width), gapAfter: 5)
            case .list(let entries):
                // A hanging indent the width of the bullet, so wrapped lines start under the text.
                let hang = bullet == "・" ? bodySize : bodySize * 0.75
                for entry in entries {
                    items += lines(layout(bullet + entry, body, width: width - hang - 2, indent: -hang), dx: hang, gapAfter: 1.5)
                }
                items.append(space(4))
            case .keyValues(let rows):
                for row in rows {
                    // In large print the key goes above its value, so neither is squeezed into a
                    // narrow column (a word split mid-way, a phone number parted from its hours).
                    let stacked = bodySize > 12
                    let keyLayout = layout(row.key, body, width: stacked ? width : width * 0.3 - 6)
                    let valueX = stacked ? bodySize : width * 0.3
                    let valueLayout = layout(row.value, body, width: width - valueX)
                    let keyHeight = self.height(keyLayout)
                    let valueY = stacked ? keyHeight + 1.5 : 1.5
                    let height = stacked ? keyHeight + self.height(valueLayout) + 6 : max(keyHeight, self.height(valueLayout)) + 5
                    items.append(Item(height: height) { cr, x, y in
                        cairo_move_to(cr, x, y + 1.5)
                        pango_cairo_show_layout(cr, keyLayout)
                        cairo_move_to(cr, x + valueX, y + valueY)
                        pango_cairo_show_layout(cr, valueLayout)
                        cairo_set_line_width(cr, 0.3)
                        cairo_move_to(cr, x, y + height - 0.5)
                        cairo_line_to(cr, x + width, y + height - 0.5)
                        cairo_stroke(cr)
                    })
                }
                items.append(space(6))
            case .table(let table):
                let columns = max(table.header.count, 1)
                var header = tableRow(table.header, columns: columns, width: width)
                header.chained = !table.rows.isEmpty  // never a header without its first row
                items.append(header)
                let repeated = Continuation(header)
                for row in table.rows {
                    var item = tableRow(row, columns: columns, width: width)
                    item.continuation = repeated
                    items.append(item)
                }
                items.append(space(6))
            case .checkboxes(let boxes):
                for box in boxes {
                    let side = bodySize
                    let label = layout(box.label, body, width: width - side - 8)
                    let height = self.height(label) + 5
                    items.append(Item(height: height) { cr, x, y in
                        cairo_set_line_width(cr, 0.7)
                        cairo_rectangle(cr, x + 0.5, y + 3, side, side)
                        cairo_stroke(cr)
                        if box.checked {
                            cairo_move_to(cr, x + side * 0.25, y + 3 + side * 0.5)
                            cairo_line_to(cr, x + side * 0.5, y + 3 + side * 0.8)
                            cairo_line_to(cr, x + side * 0.85, y + 3 + side * 0.15)
                            cairo_stroke(cr)
                        }
                        cairo_move_to(cr, x + side + 8, y + 1)
                        pango_cairo_show_layout(cr, label)
                    })
                }
                items.append(space(6))
            case .signatureLines(let labels):
                for text in labels {
                    let parts = text.split(separator: "\t", maxSplits: 1).map(String.init)
                    let label = layout(parts.first ?? "", body, width: width * 0.3 - 6)
                    let onLine = parts.count > 1 ? layout(parts[1], body, width: width * 0.7) : nil
                    // A label of two lines makes its row taller instead of running into the next.
                    let labelHeight = height(label)
                    let rowHeight = max(bodySize * 2.8, labelHeight + 18)
                    items.append(Item(height: rowHeight) { cr, x, y in
                        cairo_move_to(cr, x, y + rowHeight - 20 - labelHeight + 14)
                        pango_cairo_show_layout(cr, label)
                        if let onLine {
                            var ink = PangoRectangle(), logical = PangoRectangle()
                            pango_layout_get_extents(onLine, &ink, &logical)
                            let textWidth = Double(logical.width) / Double(PANGO_SCALE)
                            cairo_move_to(cr, x + width - textWidth - 4, y + rowHeight - 6 - Double(logical.height) / Double(PANGO_SCALE))
                            pango_cairo_show_layout(cr, onLine)
                        }
                        cairo_set_line_width(cr, 0.7)
                        cairo_move_to(cr, x + width * 0.3, y + rowHeight - 4)
                        cairo_line_to(cr, x + width, y + rowHeight - 4)
                        cairo_stroke(cr)
                    })
                }
                items.append(space(4))
            case .keepTogether(let inner):
                var group = self.items(for: inner, width: width)
                for index in group.indices.dropLast() { group[index].chained = true }
                items += group
            case .qrCode(let payload, let caption):
                guard let code = try? QRCode(payload) else { continue }
                let module = 1.6
                let side = Double(code.size + 8) * module
                let captionLayout = layout(caption, small, width: width - side - 12)
                // Never alone on a page: it goes with the last line of text before it (and the spaces between).
                if let last = items.lastIndex(where: { !$0.isSpace }) {
                    for index in last..<items.count { items[index].chained = true }
                }
                items.append(space(4))
                items[items.count - 1].chained = true
                items.append(Item(height: max(side, height(captionLayout)) + 4) { cr, x, y in
                    cairo_set_source_rgb(cr, 0, 0, 0)
                    for row in 0..<code.size {
                        for column in 0..<code.size where code.isDark(row: row, column: column) {
                            cairo_rectangle(cr, x + Double(column + 4) * module, y + Double(row + 4) * module, module, module)
                        }
                    }
                    cairo_fill(cr)
                    cairo_move_to(cr, x + side + 12, y + side / 2 - 12)
                    pango_cairo_show_layout(cr, captionLayout)
                })
            }
        }
        return items
    }

    /// A table row; with two columns the first (an id) is narrow.
    private func tableRow(_ cells: [String], columns: Int, width: Double) -> Item {
        let fractions = columns == 2 ? [0.14, 0.86] : Array(repeating: 1 / Double(columns), count: columns)
        let widths = fractions.map { $0 * width }
        let offsets = widths.indices.map { widths[..<$0].reduce(0, +) }
        let cellLayouts = zip(cells.prefix(columns), widths).map { layout($0, body, width: $1 - 8) }
        let height = (cellLayouts.map { self.height($0) }.max() ?? 12) + 6
        return Item(height: height) { cr, x, y in
            cairo_set_line_width(cr, 0.5)
            for (index, cell) in cellLayouts.enumerated() {
                cairo_rectangle(cr, x + offsets[index], y, widths[index], height)
                cairo_stroke(cr)
                cairo_move_to(cr, x + offsets[index] + 4, y + 3)
                pango_cairo_show_layout(cr, cell)
            }
        }
    }

    /// The header line, the document-control footer and "n / N".
    func drawChrome(header: String, footer: String, page: Int, of pages: Int) {
        let width = PDFRenderer.contentWidth
        let left = PDFRenderer.left
        if !header.isEmpty {
            show(layout(header, small, width: width), at: left, PDFRenderer.top - 28)
            cairo_set_line_width(cr, 0.4)
            cairo_move_to(cr, left, PDFRenderer.top - 14)
            cairo_line_to(cr, left + width, PDFRenderer.top - 14)
            cairo_stroke(cr)
        }
        let footY = PDFRenderer.pageHeight - PDFRenderer.bottom + 18
        cairo_set_line_width(cr, 0.4)
        cairo_move_to(cr, left, footY - 5)
        cairo_line_to(cr, left + width, footY - 5)
        cairo_stroke(cr)
        // One line, never wrapped: a check code split over two lines cannot be read back.
        let footerLayout = layout(footer, small, width: width - 60)
        pango_layout_set_width(footerLayout, -1)
        show(footerLayout, at: left, footY)
        let number = layout("\(page) / \(pages)", small, width: 60)
        pango_layout_set_alignment(number, PANGO_ALIGN_RIGHT)
        show(number, at: left + width - 60, footY)
    }
}
