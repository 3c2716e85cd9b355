import Foundation

/// The overdue-loans report (catalogue §8) as CSV or a text table, from overdue ``Loan``s.
///
/// The CSV opens in Excel in Japan: UTF-8 with a byte-order mark, CRLF line ends, a header row,
/// and cells that could be read as formulas prefixed with `'`.
public enum OverdueReport {
    /// Column names, in order: the English (machine-readable) names.
    public static let columns = [
        "loan_number", "due_date", "days_overdue", "patient_number", "patient_name", "patient_phone",
        "asset_tag", "manufacturer", "model", "last_contact", "last_outcome", "next_action_on",
    ]

    /// The column headings staff in Japan read, in the order of ``columns``.
    public static let japaneseColumns = [
        "貸出番号", "返却期限", "超過日数", "患者番号", "患者氏名", "電話番号", "資産番号", "製造販売業者", "機種",
        "最終連絡日", "連絡結果", "次の対応日",
    ]

    /// The headings of `language` (Japanese by default, as the clinic's staff read them).
    public static func headings(_ language: Patient.Language) -> [String] {
        language.isJapanese ? japaneseColumns : columns
    }

    /// A contact outcome as staff in Japan read it.
    static func japanese(_ outcome: ContactAttempt.Outcome) -> String {
        switch outcome {
        case .reached: "連絡がついた"
        case .noAnswer: "応答なし"
        case .deviceConfirmed: "機器の所在を確認"
        case .willReturn: "返却予定"
        case .refused: "返却を拒否"
        }
    }

    static func cells(_ loan: Loan, language: Patient.Language = .en) -> [String] {
        [loan.number, loan.dueDate.description, String(loan.daysOverdue ?? 0), loan.patient.patientNumber,
         loan.patient.name, loan.patient.phone, loan.device.assetTag, loan.device.manufacturer, loan.device.modelName,
         loan.lastContact.map { LocalDate($0.contactedAt).description } ?? "",
         loan.lastContact.map { language.isJapanese ? japanese($0.outcome) : $0.outcome.rawValue } ?? "",
         loan.lastContact?.nextActionOn?.description ?? ""]
    }

    /// The report as CSV bytes (UTF-8 with BOM), headed in `language`.
    public static func csv(_ loans: [Loan], language: Patient.Language = .ja) -> [UInt8] {
        var text = "\u{FEFF}" + headings(language).joined(separator: ",") + "\r\n"
        for loan in loans {
            text += cells(loan, language: language).map(csvCell).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// A fixed-width table for a terminal.
    public static func table(_ loans: [Loan]) -> String {
        let header = ["LOAN", "DUE", "DAYS", "PATIENT", "NAME", "PHONE", "ASSET", "MODEL", "LAST CONTACT", "NEXT"]
        let rows = loans.map { loan in
            [loan.number, loan.dueDate.description, String(loan.daysOverdue ?? 0), loan.patient.patientNumber,
             loan.patient.name, loan.patient.phone, loan.device.assetTag, loan.device.modelName,
             loan.lastContact.map { "\(LocalDate($0.contactedAt)) \($0.outcome.rawValue)" } ?? "-",
             loan.lastContact?.nextActionOn?.description ?? "-"]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0
        }
        let lines = ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                cell + String(repeating: " ", count: widths[index] - displayWidth(cell))
            }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n" + (loans.isEmpty ? "no overdue loans\n" : "\(loans.count) overdue\n")
    }

    /// Whether a spreadsheet could take `value` for a formula: after leading spaces, its first
    /// Unicode scalar (not grapheme: `=` plus a combining mark counts) is `=`, `+`, `-`, `@`, tab,
    /// carriage return, or a full-width form of one of these.
    package static func isFormulaLike(_ value: String) -> Bool {
        let scalars = value.unicodeScalars.drop { $0 == " " || $0 == "\u{3000}" }
        guard let first = scalars.first else { return false }
        return "=+-@\t\r＝＋－＠".unicodeScalars.contains(first)
    }

    static func csvCell(_ value: String) -> String {
        var value = value
        if isFormulaLike(value) {
            value = "'" + value
        }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Columns a string takes in a terminal: East Asian wide characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value)
            return width + (wide ? 2 : 1)
        }
    }
}
