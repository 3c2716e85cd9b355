import Foundation

/// Renders handout PDFs off Swift's cooperative pool, on its own serial queue (Pango and Cairo
/// calls block for milliseconds; the pool has one thread per core).
public final class HandoutPrinter: Sendable {
    public let renderer: PDFRenderer
    private let queue = DispatchQueue(label: "loan-registry.handouts", qos: .userInitiated)

    public init(renderer: PDFRenderer = PDFRenderer()) {
        self.renderer = renderer
    }

    /// Refuses when the font cannot draw Japanese (see ``PDFRenderer/checkFont()``).
    public func checkFont() throws {
        try renderer.checkFont()
    }

    /// The PDF of `document`.
    ///
    /// - Throws: ``PDFRenderer/RenderError`` when Cairo fails or a glyph is missing (no PDF with boxes is returned).
    public func pdf(_ document: Document) async throws -> PDFRenderer.Output {
        let renderer = self.renderer
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let output = try renderer.render(document)
                    guard output.unknownGlyphs == 0 else {
                        throw PDFRenderer.RenderError(message: "\(output.unknownGlyphs) characters cannot be drawn with \(renderer.fontFamily)")
                    }
                    return output
                })
            }
        }
    }

    /// The HTML page of `document`.
    public func html(_ document: Document) -> String {
        HTMLRenderer().render(document)
    }
}
