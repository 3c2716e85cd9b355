public import Foundation

extension AccessReview {
    /// The review for a terminal: reads per account, then every flag with its decision.
    public func table() -> String {
        var lines = ["access review \(period.id): \(reads) reads of patient data, \(flags.count) flags, \(undecided) without a decision"]
        if let signOff { lines.append("signed off by \(signOff.signedBy) at \(signOff.signedAt)") }
        lines.append("")
        let accountRows = [["account", "reads", "off-hours", "patients", "no relationship", "days", "flags"]]
            + accounts.map { [$0.account, String($0.reads), String($0.offHoursReads), String($0.patients),
                              String($0.patientsWithoutRelationship), String($0.days), String($0.flags)] }
        lines += Self.aligned(accountRows)
        lines.append("")
        let flagRows = [["flag", "count", "facts", "decision"]] + flags.map { flag in
            [flag.id, String(flag.count), flag.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
             flag.decision.map { "\($0.decision.rawValue) (\($0.decidedBy))" } ?? "-"]
        }
        lines += flags.isEmpty ? ["no flags"] : Self.aligned(flagRows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// One CSV row per flag (UTF-8 with BOM, for Excel); cells a spreadsheet could run as a formula are quoted.
    public func csv() -> Data {
        let header = ["period", "flag", "kind", "account", "day", "patient_id", "count", "facts", "decision", "note", "decided_by", "decided_at"]
        let rows = flags.map { flag in
            [period.id, flag.id, flag.kind.rawValue, flag.account, flag.day?.description ?? "", flag.patientId ?? "",
             String(flag.count), flag.facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
             flag.decision?.decision.rawValue ?? "", flag.decision?.note ?? "", flag.decision?.decidedBy ?? "",
             flag.decision?.decidedAt ?? ""]
        }
        let text = ([header] + rows).map { $0.map(OverdueReport.csvCell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
    }

    private static func aligned(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { column in rows.map { OverdueReport.displayWidth($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                cell + String(repeating: " ", count: widths[index] - OverdueReport.displayWidth(cell))
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
