/// Which risk items (R01…) and precautions (P01…) an explanation carries (catalogue §2 and §5).
///
/// Three sources, in this order: the common block every explanation has, the items that belong
/// to the device category whatever the model, and the items derived from the model's security
/// profile. Items governed by a profile fact come **only** from the profile, so a fact that is
/// absent never brings its item in through the category.
public struct ExplanationItems: Sendable, Equatable, Codable {
    /// Risk ids, sorted.
    public let risks: [String]
    /// Precaution ids, sorted.
    public let precautions: [String]
    /// Extra statements the profile requires (not numbered items).
    public let notices: [Notice]

    /// A profile statement with no catalogue number.
    public enum Notice: String, Sendable, Codable, CaseIterable {
        /// Data at rest is encrypted: say so.
        case encryptedAtRest = "encrypted_at_rest"
        /// The device sends data without encryption: stronger warning, flagged to the planning manager.
        case unencryptedTransit = "unencrypted_transit"
        /// The maker may connect remotely for service.
        case remoteService = "remote_service"
        /// The maker's support has ended (RDMP-3).
        case supportEnded = "support_ended"
    }

    /// Always present: not an emergency alarm, scam calls, report loss, do not repair.
    public static let common = (risks: ["R11", "R13"], precautions: ["P02", "P12", "P13", "P17"])

    /// Items a category brings that no profile fact governs.
    public static func category(_ category: DeviceCategory) -> (risks: [String], precautions: [String]) {
        switch category {
        case .holterECG: (["R12", "R15"], ["P08", "P14"])
        case .patchECG: (["R09"], ["P11", "P14"])
        case .cgmReader: (["R09"], ["P11"])
        case .homeBP: (["R12"], ["P14"])
        case .pulseOximeter: (["R12", "R19"], ["P14", "P19"])
        case .sleepApneaTester: (["R12", "R19"], ["P14", "P19"])
        case .activityTracker: (["R09"], ["P14"])
        case .implantTransmitter: (["R09", "R10"], ["P11"])
        case .cpapTelemetry: (["R09"], ["P11"])
        case .telemonitoringTablet: (["R09", "R12", "R15"], ["P09", "P14"])
        case .other: ([], ["P14"])
        }
    }

    /// Items derived from the security profile (catalogue §5), as of `today`.
    public static func profile(_ profile: SecurityProfile, today: LocalDate) -> (risks: Set<String>, precautions: Set<String>, notices: [Notice]) {
        var risks: Set<String> = []
        var precautions: Set<String> = []
        var notices: [Notice] = []
        if profile.storesPatientData {
            precautions.formUnion(["P01", "P02"])
            if profile.encryptedAtRest {
                notices.append(.encryptedAtRest)
            } else {
                risks.formUnion(["R01", "R02"])
            }
        }
        if profile.bluetooth {
            risks.insert("R03")
            precautions.insert("P03")
        }
        if profile.pairsWithPatientPhone {
            risks.insert("R04")
            precautions.formUnion(["P04", "P15"])
        }
        if profile.wifi {
            risks.insert("R05")
            precautions.insert("P05")
        }
        if profile.cellular {
            risks.insert("R18")
            precautions.insert("P06")
        }
        if profile.cloudUpload != nil { risks.insert("R06") }
        if profile.transmits && profile.encryptedInTransit == false { notices.append(.unencryptedTransit) }
        if profile.removableMedia {
            risks.insert("R20")
            precautions.insert("P18")
        }
        if profile.remoteService { notices.append(.remoteService) }
        if profile.camera || profile.microphone {
            risks.insert("R08")
            precautions.insert("P10")
        }
        if profile.gps { risks.insert("R16") }
        if profile.companionAppAccount {
            risks.formUnion(["R14", "R17"])
            precautions.insert("P16")
        }
        if profile.sharingFeature {
            risks.insert("R07")
            precautions.insert("P07")
        }
        if let end = profile.supportEndDate, end < today { notices.append(.supportEnded) }
        return (risks, precautions, notices)
    }

    /// Common + category + profile items for a model.
    public init(category: DeviceCategory, profile: SecurityProfile, today: LocalDate) {
        let fromCategory = Self.category(category)
        let fromProfile = Self.profile(profile, today: today)
        risks = Set(Self.common.risks + fromCategory.risks).union(fromProfile.risks).sorted()
        precautions = Set(Self.common.precautions + fromCategory.precautions).union(fromProfile.precautions).sorted()
        notices = fromProfile.notices
    }
}
