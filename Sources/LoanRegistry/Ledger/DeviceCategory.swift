/// The kinds of device Japanese clinics lend (catalogue §2), plus `other`.
public enum DeviceCategory: String, Sendable, Codable, CaseIterable {
    case holterECG = "holter_ecg"
    case patchECG = "patch_ecg"
    case cgmReader = "cgm_reader"
    case homeBP = "home_bp"
    case pulseOximeter = "pulse_oximeter"
    case sleepApneaTester = "sleep_apnea_tester"
    case activityTracker = "activity_tracker"
    case implantTransmitter = "implant_transmitter"
    case cpapTelemetry = "cpap_telemetry"
    case telemonitoringTablet = "telemonitoring_tablet"
    case other
}
