import Foundation

extension StocktakeReport {
    /// The report as CSV for Excel (UTF-8 with BOM, CRLF): one row per device, with its category —
    /// found, missing, unexpected, on loan (not yet due, overdue, confirmed by the patient), elsewhere.
    public func csv(language: Patient.Language = .ja) -> [UInt8] {
        let japanese = language.isJapanese
        let header = japanese ? ["区分", "資産番号", "台帳の状態", "所在・貸出番号", "返却期限", "超過日数"]
            : ["category", "asset_tag", "ledger_status", "whereabouts_or_loan", "due_date", "days_overdue"]
        func name(_ ja: String, _ en: String) -> String { japanese ? ja : en }
        var rows: [[String]] = []
        rows += found.map { [name("あり", "found"), $0.assetTag, $0.status.rawValue, $0.whereabouts, "", ""] }
        rows += missing.map { [name("所在不明", "missing"), $0.assetTag, $0.status.rawValue, $0.whereabouts, "", ""] }
        rows += unexpected.map { [name("台帳外・想定外", "unexpected"), $0.assetTag, $0.ledgerStatus?.rawValue ?? (japanese ? "台帳になし" : "unknown"), "", "", ""] }
        let loans: [(String, String, [LoanLine])] = [("貸出中（期限内）", "on_loan_not_yet_due", onLoanNotYetDue),
                                                    ("貸出中（期限超過）", "on_loan_overdue", onLoanOverdue),
                                                    ("貸出中（患者さんに確認済み）", "on_loan_confirmed", onLoanConfirmedByContact)]
        for (ja, en, lines) in loans {
            rows += lines.map { [name(ja, en), $0.assetTag, DeviceStatus.onLoan.rawValue, $0.loanNumber, $0.dueDate.description,
                                 $0.daysOverdue.map(String.init) ?? ""] }
        }
        rows += elsewhere.map { [name("院外（修理・紛失）", "elsewhere"), $0.assetTag, $0.status.rawValue, $0.whereabouts, "", ""] }
        var text = "\u{FEFF}" + header.joined(separator: ",") + "\r\n"
        for row in rows { text += row.map(OverdueReport.csvCell).joined(separator: ",") + "\r\n" }
        return Array(text.utf8)
    }
}
