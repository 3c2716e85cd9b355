/// A printable document as a renderer-neutral list of blocks.
///
/// Builders (one per handout) produce a `Document`; renderers (plain text now; HTML and PDF
/// with the handouts issue) turn it into bytes. Keeping one model means every output shows
/// the same facts.
public struct Document: Sendable, Equatable {
    /// BCP 47 language of the text, `ja` or `en`.
    public var language: String
    /// Shown as the first heading and in the document's metadata.
    public var title: String
    /// The content, in reading order.
    public var blocks: [Block]

    public init(language: String, title: String, blocks: [Block] = []) {
        self.language = language
        self.title = title
        self.blocks = blocks
    }

    /// One unit of content.
    public enum Block: Sendable, Equatable {
        /// A section heading.
        case heading(String)
        /// A paragraph of running text.
        case paragraph(String)
        /// A bulleted list.
        case list([String])
        /// Label–value pairs, e.g. loan number, due date.
        case keyValues([KeyValue])
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
}
