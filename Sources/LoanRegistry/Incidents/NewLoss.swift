/// What staff record when a patient reports the device lost or stolen.
public struct NewLoss: Sendable, Equatable, Codable {
    /// Lost or stolen.
    public var kind: Incident.Kind
    /// The day it went missing (as far as known).
    public var occurredOn: LocalDate
    /// The day the clinic learned of it: the report deadlines run from here.
    public var discoveredOn: LocalDate
    /// Where (no patient data).
    public var place: String?
    /// The police report number (盗難届・遺失届の受理番号), if any.
    public var policeReport: String?
    /// Notes (no patient data).
    public var notes: String?

    /// Creates the value from its fields.
    public init(kind: Incident.Kind, occurredOn: LocalDate, discoveredOn: LocalDate, place: String? = nil,
                policeReport: String? = nil, notes: String? = nil) {
        self.kind = kind
        self.occurredOn = occurredOn
        self.discoveredOn = discoveredOn
        self.place = place
        self.policeReport = policeReport
        self.notes = notes
    }

    func validate(today: LocalDate) throws {
        var validator = FieldValidator()
        validator.require(occurredOn <= discoveredOn, "occurredOn", "must not be after discoveredOn")
        validator.require(discoveredOn <= today, "discoveredOn", "must not be after today (\(today))")
        validator.text(place ?? "", "place", maximum: 200, required: false)
        validator.text(policeReport ?? "", "policeReport", maximum: 100, required: false)
        validator.text(notes ?? "", "notes", maximum: 2000, required: false)
        try validator.check()
    }
}
