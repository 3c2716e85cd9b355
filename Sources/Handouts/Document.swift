/// A printable document as a renderer-neutral list of blocks.
///
/// Builders (one per handout) produce a `Document`; renderers (plain text, HTML, PDF) turn it into
/// bytes. One model means every output shows the same facts.
public struct Document: Sendable, Equatable {
    /// BCP 47 language of the text, `ja` or `en` (やさしい日本語 is `ja`).
    public var language: String
    /// Shown as the first heading and in the document's metadata.
    public var title: String
    /// Printed at the top of every page (the clinic's name).
    public var header: String
    /// Printed at the foot of every page, on one line with the page number: loan number,
    /// explanation version and check code.
    public var footer: String
    /// The content, in reading order.
    public var blocks: [Block]
    /// The type size it is printed in.
    public var size: PrintSize

    /// Normal print, or large print for patients who need it (body text 14 pt or more).
    public enum PrintSize: String, Sendable, Equatable, CaseIterable {
        /// Body text 10.5 pt.
        case normal
        /// Body text 14 pt, keys stacked above their values.
        case large
    }

    public init(language: String, title: String, header: String = "", footer: String = "", blocks: [Block] = [],
                size: PrintSize = .normal) {
        self.language = language
        self.title = title
        self.header = header
        self.footer = footer
        self.blocks = blocks
        self.size = size
    }

    /// One unit of content. A renderer never splits a table row, a key–value row, a checkbox,
    /// a signature line or a QR code across pages; paragraphs and lists break between lines.
    public enum Block: Sendable, Equatable {
        /// A section heading.
        case heading(String)
        /// Running text; line breaks inside it are kept.
        case paragraph(String)
        /// A bulleted list (the renderer adds the bullet: `・` in Japanese, `• ` in English).
        case list([String])
        /// Label–value pairs, e.g. loan number, due date.
        case keyValues([KeyValue])
        /// A table with a header row.
        case table(Table)
        /// Tick boxes, printed empty unless `checked`.
        case checkboxes([Checkbox])
        /// Lines to sign or write on, each with its label (署名, 日付 …). Text after a tab in a
        /// label is printed on the line itself, to its right (`日付\t年　　月　　日`).
        case signatureLines([String])
        /// A QR code of `payload` with a caption beside it; never alone on a page (it stays with
        /// what precedes it).
        case qrCode(payload: String, caption: String)
        /// Blocks printed on one page (moved to the next page whole when they do not fit), e.g.
        /// the consent statement with every signature line.
        indirect case keepTogether([Block])
    }

    /// One label–value row of a ``Block/keyValues(_:)`` block.
    public struct KeyValue: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// A table: a header row and body rows of the same width.
    public struct Table: Sendable, Equatable {
        public var header: [String]
        public var rows: [[String]]

        public init(header: [String], rows: [[String]]) {
            self.header = header
            self.rows = rows
        }
    }

    /// One tick box and its statement.
    public struct Checkbox: Sendable, Equatable {
        public var label: String
        public var checked: Bool

        public init(_ label: String, checked: Bool = false) {
            self.label = label
            self.checked = checked
        }
    }
}
