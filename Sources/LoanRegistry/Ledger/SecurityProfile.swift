/// A device model's security facts, modelled on the MDS2 disclosure form plus home-use facts.
///
/// The explanation given to a patient is derived from these (catalogue §5). Booleans that an
/// input leaves out are `false`; `storesPatientData` must always be stated.
public struct SecurityProfile: Sendable, Equatable, Codable {
    /// Where uploaded data goes: who runs the service, and in which country or region.
    public struct CloudUpload: Sendable, Equatable, Codable {
        public var `operator`: String
        public var region: String

        public init(operator: String, region: String) {
            self.operator = `operator`
            self.region = region
        }
    }

    /// How a returned device is made free of patient data.
    public enum WipeMethod: String, Sendable, Codable, CaseIterable {
        /// Documented erase function, then verification (SGUD-2 / DTBK-2).
        case documentedErase = "documented_erase"
        /// Factory reset.
        case factoryReset = "factory_reset"
        /// Remote wipe by mobile-device management, then factory reset.
        case mdmWipe = "mdm_wipe"
        /// Returned to the maker or lessor, who wipes it and certifies it (⑪).
        case vendorReturn = "vendor_return"
        /// No erase function: physical destruction.
        case physicalDestruction = "physical_destruction"
    }

    /// Stores patient data persistently (MPII-2.2/2.3).
    public var storesPatientData: Bool
    /// Data at rest is encrypted (STCF-1).
    public var encryptedAtRest: Bool
    /// Bluetooth link (CONN-1.1.2).
    public var bluetooth: Bool
    /// Pairs with the patient's own smartphone (companion app on their phone).
    public var pairsWithPatientPhone: Bool
    /// Wi-Fi (CONN-1.1.1).
    public var wifi: Bool
    /// Cellular modem or SIM (CONN-1.1.3).
    public var cellular: Bool
    /// NFC.
    public var nfc: Bool
    /// Sends data to an outside host or cloud (MPII-3.7, CONN-4, CONN-6); `nil` when it does not.
    public var cloudUpload: CloudUpload?
    /// Data in transit is encrypted (TXCF-2); `nil` when the device transmits nothing.
    public var encryptedInTransit: Bool?
    /// Removable media, e.g. a memory card (MPII-3.3).
    public var removableMedia: Bool
    /// The maker can connect remotely for service (RMOT-1).
    public var remoteService: Bool
    public var camera: Bool
    public var microphone: Bool
    public var gps: Bool
    /// Needs an account in a companion app.
    public var companionAppAccount: Bool
    /// Can share data with family or others.
    public var sharingFeature: Bool
    /// How to wipe it on return; `nil` when no documented method exists.
    public var wipeMethod: WipeMethod?
    /// The maker's support end (RDMP-3).
    public var supportEndDate: LocalDate?

    public init(
        storesPatientData: Bool, encryptedAtRest: Bool = false, bluetooth: Bool = false,
        pairsWithPatientPhone: Bool = false, wifi: Bool = false, cellular: Bool = false, nfc: Bool = false,
        cloudUpload: CloudUpload? = nil, encryptedInTransit: Bool? = nil, removableMedia: Bool = false,
        remoteService: Bool = false, camera: Bool = false, microphone: Bool = false, gps: Bool = false,
        companionAppAccount: Bool = false, sharingFeature: Bool = false, wipeMethod: WipeMethod? = nil,
        supportEndDate: LocalDate? = nil
    ) {
        self.storesPatientData = storesPatientData
        self.encryptedAtRest = encryptedAtRest
        self.bluetooth = bluetooth
        self.pairsWithPatientPhone = pairsWithPatientPhone
        self.wifi = wifi
        self.cellular = cellular
        self.nfc = nfc
        self.cloudUpload = cloudUpload
        self.encryptedInTransit = encryptedInTransit
        self.removableMedia = removableMedia
        self.remoteService = remoteService
        self.camera = camera
        self.microphone = microphone
        self.gps = gps
        self.companionAppAccount = companionAppAccount
        self.sharingFeature = sharingFeature
        self.wipeMethod = wipeMethod
        self.supportEndDate = supportEndDate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func flag(_ key: CodingKeys) throws -> Bool { try c.decodeIfPresent(Bool.self, forKey: key) ?? false }
        self.init(
            storesPatientData: try c.decode(Bool.self, forKey: .storesPatientData),
            encryptedAtRest: try flag(.encryptedAtRest), bluetooth: try flag(.bluetooth),
            pairsWithPatientPhone: try flag(.pairsWithPatientPhone), wifi: try flag(.wifi),
            cellular: try flag(.cellular), nfc: try flag(.nfc),
            cloudUpload: try c.decodeIfPresent(CloudUpload.self, forKey: .cloudUpload),
            encryptedInTransit: try c.decodeIfPresent(Bool.self, forKey: .encryptedInTransit),
            removableMedia: try flag(.removableMedia), remoteService: try flag(.remoteService),
            camera: try flag(.camera), microphone: try flag(.microphone), gps: try flag(.gps),
            companionAppAccount: try flag(.companionAppAccount), sharingFeature: try flag(.sharingFeature),
            wipeMethod: try c.decodeIfPresent(WipeMethod.self, forKey: .wipeMethod),
            supportEndDate: try c.decodeIfPresent(LocalDate.self, forKey: .supportEndDate))
    }


    /// The consent asks whether the patient agrees to the maker's cloud (the device uploads to it).
    public var asksAboutMakerCloud: Bool { cloudUpload != nil }
    /// The consent asks whether the patient agrees to the sharing feature.
    public var asksAboutSharing: Bool { sharingFeature }

    /// `true` when the device has any radio or network link.
    public var transmits: Bool {
        bluetooth || wifi || cellular || nfc || cloudUpload != nil
    }

    func validate(into validator: inout FieldValidator, at path: String) {
        if let cloud = cloudUpload {
            validator.text(cloud.operator, "\(path).cloudUpload.operator", maximum: 200)
            validator.text(cloud.region, "\(path).cloudUpload.region", maximum: 100)
        }
        validator.require(!encryptedAtRest || storesPatientData, "\(path).encryptedAtRest",
                          "only applies to a model that stores patient data")
        validator.require(!storesPatientData || wipeMethod != nil, "\(path).wipeMethod",
                          "a model that stores patient data must say how it is wiped (guideline ⑩)")
    }
}
