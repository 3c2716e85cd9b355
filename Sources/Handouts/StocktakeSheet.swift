import Foundation
public import LoanRegistry

/// 棚卸報告書: a stocktake's report on paper for the planning manager's file (staff-facing,
/// Japanese): the counts, then missing, unexpected, out on loan and elsewhere, and a sign-off line.
public enum StocktakeSheet {
    /// The printable document of `report`.
    public static func document(_ report: StocktakeReport, clinicName: String) -> Document {
        let stocktake = report.stocktake
        let status = stocktake.signedOffBy.map { "承認済み（\($0)）" } ?? (stocktake.closedAt == nil ? "実施中" : "締め済み・未承認")
        var blocks: [Document.Block] = [
            .keyValues([
                .init("棚卸番号", stocktake.number),
                .init("開始", "\(tokyo(stocktake.openedAt))（\(stocktake.openedBy)）"),
                .init("締め", stocktake.closedAt.map { "\(tokyo($0))（\(stocktake.closedBy ?? "")）" } ?? "—"),
                .init("状態", status),
            ]),
            .heading("集計"),
            .keyValues([
                .init("棚にあるはずの機器", "\(report.expectedOnShelf.count)"),
                .init("確認できた", "\(report.found.count)"),
                .init("所在不明", "\(report.missing.count)"),
                .init("台帳外・想定外", "\(report.unexpected.count)"),
                .init("貸出中（期限内）", "\(report.onLoanNotYetDue.count)"),
                .init("貸出中（期限超過）", "\(report.onLoanOverdue.count)"),
                .init("貸出中（患者さんに確認済み）", "\(report.onLoanConfirmedByContact.count)"),
                .init("院外（修理・紛失）", "\(report.elsewhere.count)"),
            ]),
        ]
        let sections: [(String, [[String]])] = [
            ("所在不明", report.missing.map { [$0.assetTag, $0.status.rawValue, $0.whereabouts] }),
            ("台帳外・想定外", report.unexpected.map { [$0.assetTag, $0.ledgerStatus?.rawValue ?? "台帳になし", ""] }),
            ("貸出中（期限超過）", report.onLoanOverdue.map { [$0.assetTag, $0.loanNumber, "期限 \($0.dueDate)・\($0.daysOverdue ?? 0)日超過"] }),
            ("貸出中（患者さんに確認済み）", report.onLoanConfirmedByContact.map { [$0.assetTag, $0.loanNumber, "期限 \($0.dueDate)"] }),
            ("貸出中（期限内）", report.onLoanNotYetDue.map { [$0.assetTag, $0.loanNumber, "期限 \($0.dueDate)"] }),
            ("院外（修理・紛失）", report.elsewhere.map { [$0.assetTag, $0.status.rawValue, $0.whereabouts] }),
        ]
        for (title, rows) in sections where !rows.isEmpty {
            blocks += [.heading(title), .table(Document.Table(header: ["資産番号", "状態・貸出番号", "所在・期限"], rows: rows))]
        }
        blocks.append(.keepTogether([.heading("確認"), .signatureLines(["企画管理者", "日付\t年　　　月　　　日"])]))
        return Document(language: "ja", title: "棚卸報告書", header: clinicName, footer: "棚卸番号 \(stocktake.number)", blocks: blocks)
    }

    /// `2026-11-21 12:00` in the clinic's time zone.
    static func tokyo(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }
}
