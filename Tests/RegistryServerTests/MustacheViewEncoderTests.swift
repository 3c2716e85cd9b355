import Foundation
@testable import RegistryServer
import Testing

/// The pages with long lists flatten their views through `Encodable`; what the templates see must
/// be exactly what `Mirror` gave: the same names, absent optionals left out, the same scalars.
@Suite struct MustacheViewEncoderTests {
    /// Whether two flattened trees hold the same values (scalars compared by type and value).
    static func same(_ left: Any?, _ right: Any?) -> Bool {
        switch (left, right) {
        case (nil, nil): return true
        case let (a as String, b as String): return a == b
        case let (a as Bool, b as Bool): return a == b
        case let (a as Int, b as Int): return a == b
        case let (a as [Any], b as [Any]):
            return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case let (a as [String: Any], b as [String: Any]):
            return Set(a.keys) == Set(b.keys) && a.keys.allSatisfy { same(a[$0], b[$0]) }
        default: return false
        }
    }

    static func loanRow(_ number: Int, contacted: Bool, missing: [String]) -> TodayPage.LoanRow {
        TodayPage.LoanRow(id: "id-\(number)", number: "L-2026-\(number)", patientNumber: "P-\(number)", patientName: "見本 花子",
                          phone: "03-0000-0000", assetTag: "HOL-\(number)", status: "貸出中", due: "2026年12月1日",
                          missing: missing, daysOverdue: number, lastContact: contacted ? "12月2日 電話 不在" : nil)
    }

    @Test func theTodayPageFlattensAsWithMirror() {
        let content = TodayPage.Content(
            today: "2026年12月6日",
            waiting: [Self.loanRow(1, contacted: false, missing: ["同意が必要です", "連絡先の案内が必要です"])],
            dueToday: [],
            overdue: (2...4).map { Self.loanRow($0, contacted: $0 % 2 == 0, missing: []) },
            awaitingWipe: [.init(id: "d1", assetTag: "HOL-0001", model: "見本 Holter")],
            incidents: [.init(id: "i1", number: "INC-1", assetTag: "CGM-0001", deadline: "—", late: true)],
            stocktake: [.init(id: "s1", number: "ST-1", scanned: 3, expected: 20)],
            showLoans: true, showDevices: false, showIncidents: true, showStocktake: true, reviewOverdueSince: nil)
        let encoded = MustacheViewEncoder.values(of: content)
        #expect(Self.same(encoded, MustacheView.reflected(content)))
        let overdue = (encoded as? [String: Any])?["overdue"] as? [[String: Any]]
        #expect(overdue?.count == 3)
        #expect(overdue?[0]["lastContact"] as? String == "12月2日 電話 不在")
        #expect(overdue?[1]["lastContact"] == nil, "an absent optional is left out, so {{#lastContact}} is false")
        #expect(overdue?[2]["daysOverdue"] as? Int == 4)
    }

    @Test func theOverduePageFlattensAsWithMirror() {
        let row = OverduePage.Row(id: "id", number: "L-2026-000001", patientName: "見本 花子", patientNumber: "P-000001",
                                  phone: "03", assetTag: "HOL-0001", due: "2026年12月1日", daysOverdue: 5, lastContact: nil,
                                  today: "2026-12-06")
        let content = OverduePage.Content(rows: [row, row], channels: [.init(value: "phone", label: "電話", selected: true)],
                                          outcomes: [], canContact: true, canExtend: false, canReportLoss: true)
        #expect(Self.same(MustacheViewEncoder.values(of: content), MustacheView.reflected(content)))
        #expect(!Self.same(MustacheViewEncoder.values(of: content), MustacheView.reflected(
            OverduePage.Content(rows: [row], channels: [], outcomes: [], canContact: true, canExtend: false, canReportLoss: true))),
            "the comparison tells different views apart")
    }

    /// A view whose encoding names a field differently from its property: only the encoded path
    /// can give the encoded name.
    struct Renamed: EncodedPageView {
        let title: String
        enum CodingKeys: String, CodingKey { case title = "heading" }
    }

    @Test func flattenTakesTheEncodedPathForAnEncodedPageView() {
        let flat = MustacheView.flatten(Renamed(title: "本日")) as? [String: Any]
        #expect(flat?["heading"] as? String == "本日")
        #expect(flat?["title"] == nil)
        #expect((MustacheView.reflected(Renamed(title: "本日")) as? [String: Any])?["title"] as? String == "本日")
    }
}
