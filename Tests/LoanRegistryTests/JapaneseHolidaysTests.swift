import LoanRegistry
import Testing

/// Japan's public holidays by the rules of 国民の祝日に関する法律, checked against the Cabinet
/// Office's published lists (内閣府「国民の祝日について」) for 2024–2027.
@Suite struct JapaneseHolidaysTests {
    static let official: [Int: [String]] = [
        2024: ["01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-15",
               "08-11", "08-12", "09-16", "09-22", "09-23", "10-14", "11-03", "11-04", "11-23"],
        2025: ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-21",
               "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"],
        2026: ["01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20", "08-11",
               "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"],
        2027: ["01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19", "08-11",
               "09-20", "09-23", "10-11", "11-03", "11-23"],
    ]

    @Test(arguments: [2024, 2025, 2026, 2027])
    func theRulesGiveTheOfficialList(year: Int) {
        let computed = JapaneseHolidays.holidays(in: year).map { String($0.date.description.dropFirst(5)) }
        #expect(computed == Self.official[year])
    }

    @Test func substituteAndCitizensHolidaysAreNamed() throws {
        let names = Dictionary(uniqueKeysWithValues: JapaneseHolidays.holidays(in: 2026).map { ($0.date.description, $0.name) })
        #expect(names["2026-05-06"] == "振替休日")       // 憲法記念日 fell on a Sunday: moved past 4 and 5 May
        #expect(names["2026-09-22"] == "国民の休日")     // between 敬老の日 and 秋分の日
        #expect(names["2026-03-20"] == "春分の日")
        let newYear = try #require(LocalDate("2026-01-01"))
        #expect(JapaneseHolidays.isHoliday(newYear))
        #expect(!JapaneseHolidays.isHoliday(try #require(LocalDate("2026-12-01"))))
        #expect(newYear.weekday == 4)   // Thursday
    }
}
