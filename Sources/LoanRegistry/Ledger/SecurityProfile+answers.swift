extension SecurityProfile {
    /// One security fact asked of staff registering a model, each answered yes, no or unknown
    /// (the staff pages' model form asks every one explicitly).
    public enum Fact: String, Sendable, CaseIterable {
        case storesPatientData, encryptedAtRest, bluetooth, pairsWithPatientPhone, wifi, cellular, nfc
        case removableMedia, remoteService, camera, microphone, gps, companionAppAccount, sharingFeature
        case cloudUploads, encryptedInTransit

        /// What "unknown" records: the cautious answer, the one that keeps the fact's risks in the
        /// explanation — a capability present, storage not encrypted.
        public var cautiousAnswer: Bool {
            switch self {
            case .encryptedAtRest, .encryptedInTransit: false
            default: true
            }
        }
    }

    /// An answer to a ``Fact``.
    public enum Answer: String, Sendable, CaseIterable {
        case yes, no, unknown
    }

    /// The profile the answers describe. Every fact must be answered: a missing one is refused,
    /// because a fact left out would drop its risks from the explanation. "Unknown" is recorded as
    /// the fact's ``Fact/cautiousAnswer``; an unknown upload encryption stays unknown (`nil`).
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` naming every unanswered fact (`fact.<name>`).
    public static func answered(_ answers: [Fact: Answer], cloud: CloudUpload?, wipeMethod: WipeMethod?) throws -> SecurityProfile {
        var validator = FieldValidator()
        for fact in Fact.allCases {
            validator.require(answers[fact] != nil, "fact.\(fact.rawValue)", "must be answered yes, no or unknown")
        }
        try validator.check()
        func value(_ fact: Fact) -> Bool {
            switch answers[fact] {
            case .yes: true
            case .no: false
            case .unknown, nil: fact.cautiousAnswer
            }
        }
        let uploads = value(.cloudUploads)
        if uploads {
            var cloudCheck = FieldValidator()
            cloudCheck.text(cloud?.operator ?? "", "cloudUpload.operator", maximum: 200)
            cloudCheck.text(cloud?.region ?? "", "cloudUpload.region", maximum: 100)
            try cloudCheck.check()
        }
        return SecurityProfile(
            storesPatientData: value(.storesPatientData), encryptedAtRest: value(.encryptedAtRest), bluetooth: value(.bluetooth),
            pairsWithPatientPhone: value(.pairsWithPatientPhone), wifi: value(.wifi), cellular: value(.cellular), nfc: value(.nfc),
            cloudUpload: uploads ? cloud : nil,
            encryptedInTransit: uploads && answers[.encryptedInTransit] != .unknown ? value(.encryptedInTransit) : nil,
            removableMedia: value(.removableMedia), remoteService: value(.remoteService), camera: value(.camera),
            microphone: value(.microphone), gps: value(.gps), companionAppAccount: value(.companionAppAccount),
            sharingFeature: value(.sharingFeature), wipeMethod: wipeMethod)
    }
}
