import Foundation
import Handouts
import Testing

@Suite struct DocumentTests {
    @Test func plainTextKeepsEveryBlockInOrder() {
        let document = Document(language: "ja", title: "連絡先のご案内", blocks: [
            .heading("機器"),
            .keyValues([.init("管理番号", "HOL-0001"), .init("返却日", "2026-12-01")]),
            .list(["機器をなくしたら、すぐにご連絡ください。"]),
            .paragraph("緊急時は119番へ。"),
        ])
        let text = PlainTextRenderer().render(document)
        #expect(text.hasPrefix("連絡先のご案内\n=======\n"))
        #expect(text.contains("管理番号: HOL-0001\n返却日: 2026-12-01"))
        #expect(text.contains("・機器をなくしたら、すぐにご連絡ください。"))
        let order = ["機器", "管理番号", "・機器をなくしたら", "緊急時は119番へ。"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(order == order.sorted())
        #expect(order.count == 4)
    }
}
