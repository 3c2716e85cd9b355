@testable import Handouts
import Testing

/// How items fall on pages: groups move whole, the QR code is never alone, headers go with rows.
@Suite struct PaginationTests {
    private func item(_ height: Double, chained: Bool = false, space: Bool = false) -> PageLayout.Item {
        var item = PageLayout.Item(height: height, draw: { _, _, _ in })
        item.chained = chained
        item.isSpace = space
        return item
    }

    private var page: Double { PDFRenderer.pageHeight - PDFRenderer.bottom - PDFRenderer.top }

    @Test func aChainedGroupThatDoesNotFitMovesWholeToTheNextPage() {
        let filler = item(page - 100)
        let group = [item(60, chained: true), item(60, chained: true), item(60)]
        let placed = PDFRenderer.paginate([filler] + group)
        #expect(placed.map(\.page) == [0, 1, 1, 1])
    }

    @Test func aGroupTallerThanAPageFlowsInsteadOfLooping() {
        let group = (0..<40).map { index in item(40, chained: index < 39) }
        let placed = PDFRenderer.paginate(group)
        #expect(placed.count == 40 && placed.last.map(\.page) ?? 0 >= 1)
    }

    @Test func aQRCodeAfterAParagraphTakesTheParagraphsLastLineAlong() {
        // A paragraph's lines, a space, then the QR chained back to the last line.
        let lines = (0..<3).map { _ in item(15) }
        var items = [item(page - 60)] + lines + [item(5, space: true), item(80)]
        for index in 3..<items.count - 1 { items[index].chained = true }
        let placed = PDFRenderer.paginate(items)
        let qr = placed.last
        #expect(qr?.page == 1)
        #expect(placed.filter { $0.page == 1 }.count >= 2, "the QR code is not alone on its page")
    }
}
