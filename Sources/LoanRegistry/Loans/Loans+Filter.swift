import GRDB

extension Loans {
    /// Which loans a list returns; every condition given must hold.
    public struct Filter: Sendable, Equatable {
        /// Only loans in this status (not used by ``Loans/overdue(asOf:_:filter:by:)``, which lists active ones).
        public var status: LoanStatus?
        /// Only this patient's loans: the patient's id or patient number.
        public var patient: String?
        /// Only loans of this device: the device's id or asset tag.
        public var device: String?
        /// Only loans due on or after this day.
        public var dueFrom: LocalDate?
        /// Only loans due on or before this day.
        public var dueTo: LocalDate?

        public init(status: LoanStatus? = nil, patient: String? = nil, device: String? = nil, dueFrom: LocalDate? = nil,
                    dueTo: LocalDate? = nil) {
            self.status = status
            self.patient = patient
            self.device = device
            self.dueFrom = dueFrom
            self.dueTo = dueTo
        }

        /// Throws when the due range is backwards.
        func validate() throws {
            if let dueFrom, let dueTo, dueTo < dueFrom {
                throw RegistryError.validationFailed([FieldError("dueTo", "must not be before dueFrom")])
            }
        }

        /// The SQL conditions on `loans l`, taking ``arguments`` in order.
        static let conditions = """
            (? IS NULL OR l.patient_id IN (SELECT id FROM patients WHERE id = ? OR patient_number = ?))
             AND (? IS NULL OR l.device_id IN (SELECT id FROM devices WHERE id = ? OR asset_tag = ?))
             AND (? IS NULL OR l.due_date >= ?) AND (? IS NULL OR l.due_date <= ?)
            """

        var arguments: StatementArguments {
            [patient, patient, patient.map(Identifier.folded), device, device, device.map(Identifier.folded),
             dueFrom?.description, dueFrom?.description, dueTo?.description, dueTo?.description]
        }
    }
}
