import Foundation
import LoanRegistry
import Testing

@Suite struct ExplanationItemsTests {
    private let today = LocalDate("2026-11-21") ?? LocalDate(Date())

    /// A profile with no facts at all: stores nothing, no radio, no cloud.
    private static let bare = SecurityProfile(storesPatientData: false)

    struct Rule: Sendable, CustomTestStringConvertible {
        let fact: String
        let set: @Sendable (inout SecurityProfile) -> Void
        let risks: Set<String>
        let precautions: Set<String>
        var testDescription: String { fact }
    }

    /// Catalogue §5, one rule per fact. `other` has no category risks that could mask a rule.
    static let rules: [Rule] = [
        Rule(fact: "stores data unencrypted", set: { $0.storesPatientData = true }, risks: ["R01", "R02"], precautions: ["P01"]),
        Rule(fact: "bluetooth", set: { $0.bluetooth = true }, risks: ["R03"], precautions: ["P03"]),
        Rule(fact: "pairs with patient's phone", set: { $0.pairsWithPatientPhone = true }, risks: ["R04"], precautions: ["P04", "P15"]),
        Rule(fact: "wifi", set: { $0.wifi = true }, risks: ["R05"], precautions: ["P05"]),
        Rule(fact: "cellular", set: { $0.cellular = true }, risks: ["R18"], precautions: ["P06"]),
        Rule(fact: "cloud upload", set: { $0.cloudUpload = .init(operator: "Maker", region: "JP") }, risks: ["R06"], precautions: []),
        Rule(fact: "removable media", set: { $0.removableMedia = true }, risks: ["R20"], precautions: ["P18"]),
        Rule(fact: "camera", set: { $0.camera = true }, risks: ["R08"], precautions: ["P10"]),
        Rule(fact: "microphone", set: { $0.microphone = true }, risks: ["R08"], precautions: ["P10"]),
        Rule(fact: "gps", set: { $0.gps = true }, risks: ["R16"], precautions: []),
        Rule(fact: "companion app account", set: { $0.companionAppAccount = true }, risks: ["R14", "R17"], precautions: ["P16"]),
        Rule(fact: "sharing feature", set: { $0.sharingFeature = true }, risks: ["R07"], precautions: ["P07"]),
    ]

    @Test(arguments: rules)
    func eachProfileFactAddsItsItemsAndOnlyWhenPresent(_ rule: Rule) {
        let without = ExplanationItems(category: .other, profile: Self.bare, today: today)
        var profile = Self.bare
        rule.set(&profile)
        let with = ExplanationItems(category: .other, profile: profile, today: today)
        #expect(rule.risks.isSubset(of: Set(with.risks)), "\(rule.fact) should add \(rule.risks)")
        #expect(rule.precautions.isSubset(of: Set(with.precautions)))
        #expect(rule.risks.isDisjoint(with: Set(without.risks)), "\(rule.fact) items present without the fact")
        #expect(rule.precautions.isDisjoint(with: Set(without.precautions)))
        #expect(Set(with.risks).subtracting(without.risks) == rule.risks)
    }

    @Test func categoriesNeverBringProfileGovernedItems() {
        let governed: Set<String> = ["R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R14", "R16", "R17", "R18", "R20",
                                     "P03", "P04", "P05", "P06", "P07", "P10", "P15", "P16", "P18"]
        for category in DeviceCategory.allCases {
            let items = ExplanationItems(category: category, profile: Self.bare, today: today)
            #expect(governed.isDisjoint(with: Set(items.risks + items.precautions)), "\(category)")
            #expect(Set(["R11", "R13"]).isSubset(of: Set(items.risks)), "common block missing for \(category)")
            #expect(Set(["P02", "P12", "P13", "P17"]).isSubset(of: Set(items.precautions)))
        }
    }

    @Test func bluetoothCloudUnencryptedModelVersusStandAloneModel() {
        let connected = SecurityProfile(storesPatientData: true, bluetooth: true,
                                        cloudUpload: .init(operator: "Maker", region: "US"), encryptedInTransit: false)
        let items = ExplanationItems(category: .holterECG, profile: connected, today: today)
        #expect(Set(["R02", "R03", "R06"]).isSubset(of: Set(items.risks)))
        #expect(items.notices.contains(.unencryptedTransit))
        let standAlone = ExplanationItems(category: .pulseOximeter, profile: Self.bare, today: today)
        #expect(Set(["R02", "R03", "R06"]).isDisjoint(with: Set(standAlone.risks)))
        #expect(standAlone.notices.isEmpty)
    }

    @Test func noticesFollowTheirFacts() {
        let encrypted = ExplanationItems(category: .other, profile: SecurityProfile(storesPatientData: true, encryptedAtRest: true), today: today)
        #expect(encrypted.notices == [.encryptedAtRest])
        #expect(!encrypted.risks.contains("R02"))
        let remote = ExplanationItems(category: .other, profile: SecurityProfile(storesPatientData: false, remoteService: true), today: today)
        #expect(remote.notices == [.remoteService])
        let ended = ExplanationItems(category: .other, profile: SecurityProfile(storesPatientData: false, supportEndDate: LocalDate("2026-11-20")), today: today)
        #expect(ended.notices == [.supportEnded])
        let supported = ExplanationItems(category: .other, profile: SecurityProfile(storesPatientData: false, supportEndDate: LocalDate("2026-11-21")), today: today)
        #expect(supported.notices.isEmpty)
        let encryptedLink = ExplanationItems(category: .other, profile: SecurityProfile(storesPatientData: false, bluetooth: true, encryptedInTransit: true), today: today)
        #expect(!encryptedLink.notices.contains(.unencryptedTransit))
    }
}
