/// Changes staff make to a loan before hand-over. Fields left `nil` stay as they are.
public struct LoanChanges: Sendable, Equatable, Codable {
    /// Swap the device (id or asset tag); it must be available.
    public var deviceId: String?
    public var startDate: LocalDate?
    public var dueDate: LocalDate?
    public var language: Patient.Language?

    public init(deviceId: String? = nil, startDate: LocalDate? = nil, dueDate: LocalDate? = nil,
                language: Patient.Language? = nil) {
        self.deviceId = deviceId
        self.startDate = startDate
        self.dueDate = dueDate
        self.language = language
    }

}
