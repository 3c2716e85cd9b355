/// A complete (unpaged) list answer: `{"items":[…]}`, the same shape as a page without a cursor.
struct Items<Element: Encodable & Sendable>: Encodable, Sendable {
    let items: [Element]
}
