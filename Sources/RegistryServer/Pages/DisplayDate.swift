import Foundation
import LoanRegistry

/// Dates as the staff pages show them: `2026年12月1日（火）` in Japanese, `Tue 1 Dec 2026` in English,
/// on the clinic's calendar (Asia/Tokyo).
enum DisplayDate {
    private static let weekdaysJa = ["日", "月", "火", "水", "木", "金", "土"]
    private static let weekdaysEn = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthsEn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The day `date`.
    static func day(_ date: LocalDate, _ language: UILanguage) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        let weekday = calendar.component(.weekday, from: date.startOfDay) - 1
        switch language {
        case .ja: return "\(date.year)年\(date.month)月\(date.day)日（\(weekdaysJa[weekday])）"
        case .en: return "\(weekdaysEn[weekday]) \(date.day) \(monthsEn[date.month - 1]) \(date.year)"
        }
    }

    /// The moment `date`: its day and the time of day (24-hour clock).
    static func moment(_ date: Date, _ language: UILanguage) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return day(LocalDate(date), language) + " " + String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
