/// The handouts of a loan: the three of guideline ⑧, and the reminder for an overdue device.
public enum HandoutKind: String, Sendable, CaseIterable {
    /// 説明書: the loan's explanation, exactly as snapshotted and hashed.
    case explanation
    /// 同意書: pre-filled consent form with tick boxes and signature lines.
    case consentForm = "consent-form"
    /// 連絡先のご案内: every contact and instruction of catalogue §7.
    case contactSheet = "contact-sheet"
    /// ご返却のお願い: the letter to a patient whose device is overdue.
    case reminderLetter = "reminder-letter"
}
