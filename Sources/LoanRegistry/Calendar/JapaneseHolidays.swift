import Foundation

/// Japan's public holidays, computed by the rules of 国民の祝日に関する法律 as in force since 2020
/// (for the access review's "outside working hours").
///
/// - Fixed days: 元日, 建国記念の日, 天皇誕生日, 昭和の日, 憲法記念日, みどりの日, こどもの日, 山の日, 文化の日, 勤労感謝の日.
/// - Happy Monday days: 成人の日 (2nd Monday of January), 海の日 (3rd of July), 敬老の日 (3rd of
///   September), スポーツの日 (2nd of October).
/// - 春分の日 and 秋分の日 by the usual formula (valid 1980–2099; the Cabinet announces them each
///   February for the next year, and the formula has matched every announcement).
/// - 振替休日: a holiday on a Sunday makes the next day that is not a holiday one.
/// - 国民の休日: a day between two holidays is one.
/// - The Olympic moves of 2020 and 2021 (海の日, スポーツの日, 山の日).
public enum JapaneseHolidays {
    /// Every holiday of `year` with its name, in date order. Years before 2020 are not covered.
    public static func holidays(in year: Int) -> [(date: LocalDate, name: String)] {
        var named: [LocalDate: String] = [:]
        func day(_ month: Int, _ day: Int) -> LocalDate { LocalDate(uncheckedYear: year, month: month, day: day) }
        func monday(_ month: Int, _ nth: Int) -> LocalDate {
            let first = day(month, 1)
            let offset = (8 - first.weekday) % 7   // days from the 1st to the first Monday (weekday: 0 = Sunday)
            return day(month, 1 + offset + 7 * (nth - 1))
        }
        named[day(1, 1)] = "元日"
        named[monday(1, 2)] = "成人の日"
        named[day(2, 11)] = "建国記念の日"
        named[day(2, 23)] = "天皇誕生日"
        named[day(3, vernalEquinoxDay(year))] = "春分の日"
        named[day(4, 29)] = "昭和の日"
        named[day(5, 3)] = "憲法記念日"
        named[day(5, 4)] = "みどりの日"
        named[day(5, 5)] = "こどもの日"
        switch year {
        case 2020:
            named[day(7, 23)] = "海の日"
            named[day(7, 24)] = "スポーツの日"
            named[day(8, 10)] = "山の日"
        case 2021:
            named[day(7, 22)] = "海の日"
            named[day(7, 23)] = "スポーツの日"
            named[day(8, 8)] = "山の日"
        default:
            named[monday(7, 3)] = "海の日"
            named[day(8, 11)] = "山の日"
            named[monday(10, 2)] = "スポーツの日"
        }
        named[monday(9, 3)] = "敬老の日"
        named[day(9, autumnalEquinoxDay(year))] = "秋分の日"
        named[day(11, 3)] = "文化の日"
        named[day(11, 23)] = "勤労感謝の日"

        // 国民の休日: a weekday between two holidays (only September can have one now).
        for date in named.keys.sorted() {
            let between = date.adding(days: 1)
            if named[between] == nil, named[between.adding(days: 1)] != nil, between.weekday != 0 {
                named[between] = "国民の休日"
            }
        }
        // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday.
        for date in named.keys.sorted() where date.weekday == 0 && named[date] != "振替休日" {
            var next = date.adding(days: 1)
            while named[next] != nil { next = next.adding(days: 1) }
            named[next] = "振替休日"
        }
        return named.filter { $0.key.year == year }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Whether `date` is a public holiday.
    public static func isHoliday(_ date: LocalDate) -> Bool {
        holidays(in: date.year).contains { $0.date == date }
    }

    /// The day of March of 春分の日.
    static func vernalEquinoxDay(_ year: Int) -> Int {
        Int(20.8431 + 0.242194 * Double(year - 1980)) - (year - 1980) / 4
    }

    /// The day of September of 秋分の日.
    static func autumnalEquinoxDay(_ year: Int) -> Int {
        Int(23.2488 + 0.242194 * Double(year - 1980)) - (year - 1980) / 4
    }
}

extension LocalDate {
    /// A date known to exist (built by the holiday rules from a valid year, month and day).
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self = LocalDate(String(format: "%04d-%02d-%02d", year, month, day)) ?? LocalDate(String(format: "%04d-01-01", year))!
    }

    /// The day of the week: 0 Sunday … 6 Saturday (Sakamoto's method; no calendar object needed).
    public var weekday: Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }
}
