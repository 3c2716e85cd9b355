import Foundation
import LoanRegistry

/// 説明書: the loan's current explanation snapshot, every word as hashed (one block per
/// blank-line-separated part, its lines kept), then the QR code.
///
/// Only the markup is typeset: a part's `■` line is its heading (printed with the heading's bar
/// in place of the `■`, in every version), and from version 3 on, lines that start with the
/// texts' bullet are printed as a list.
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
        let bullet = frame.words.itemPrefix
        for part in parts where !part.isEmpty {
            var lines = part.components(separatedBy: "\n")
            if lines[0].hasPrefix("■") {
                blocks.append(.heading(lines.removeFirst().dropFirst().trimmingCharacters(in: .whitespaces)))
            }
            var paragraph: [String] = []
            var list: [String] = []
            func flush() {
                if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: "\n"))) }
                if !list.isEmpty { blocks.append(.list(list)) }
                paragraph = []
                list = []
            }
            for line in lines {
                if !bullet.isEmpty, line.hasPrefix(bullet) {
                    if !paragraph.isEmpty { flush() }
                    list.append(String(line.dropFirst(bullet.count)))
                } else {
                    if !list.isEmpty { flush() }
                    paragraph.append(line)
                }
            }
            flush()
        }
        blocks.append(frame.qrBlock)
        return frame.document(title: title, blocks: blocks)
    }
}
