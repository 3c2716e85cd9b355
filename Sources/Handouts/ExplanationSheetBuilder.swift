import Foundation
import LoanRegistry

/// 説明書: the loan's current explanation snapshot, printed exactly as hashed (one paragraph per
/// blank-line-separated part, its lines kept), then the QR code.
struct ExplanationSheetBuilder {
    let frame: HandoutFrame

    func build() -> Document {
        let text = frame.loan.explanation?.text ?? ""
        var parts = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        // The snapshot's first line is its title; the document prints it as the title.
        let firstLines = parts.first?.components(separatedBy: "\n") ?? []
        let title = firstLines.first ?? frame.labels["explanation.title"]
        if !parts.isEmpty { parts[0] = firstLines.dropFirst().joined(separator: "\n") }
        // Who it was given to: printed beside the explanation, not part of the hashed text.
        var blocks: [Document.Block] = [.keyValues([
            .init(frame.labels["patient"], frame.loan.patient.name),
            .init(frame.labels["patientNumber"], frame.loan.patient.patientNumber),
        ])]
        for part in parts where !part.isEmpty {
            if part.hasPrefix("■") {
                let lines = part.components(separatedBy: "\n")
                blocks.append(.heading(lines[0]))
                if lines.count > 1 { blocks.append(.paragraph(lines.dropFirst().joined(separator: "\n"))) }
            } else {
                blocks.append(.paragraph(part))
            }
        }
        blocks.append(frame.qrBlock)
        return frame.document(title: title, blocks: blocks)
    }
}
