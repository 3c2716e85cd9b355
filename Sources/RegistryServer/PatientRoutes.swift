import Hummingbird
import LoanRegistry

/// `/api/v1/patients`: register, find, read and correct patients; every read is audited.
struct PatientRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("patients", .operation(.registerPatient),
                 .init("Register a patient", body: .newPatient, status: .created, answer: .json(.patient)).tagged
                    .linking(OperationDoc.Link.each([(.get, "patients/{id}"), (.patch, "patients/{id}"), (.get, "patients/{id}/corrections")])),
                 use: create)
            .get("patients", .operation(.readPatients),
                 .page("Find patients (every patient returned is audited as read)", of: .patient, named: "PatientPage",
                       filters: [
                           .init(name: "patientNumber", schema: .string(minLength: 1, maxLength: 50, example: "P-000001"),
                                 description: "Exactly this patient number (full-width input is folded)."),
                           .init(name: "name", schema: .string(minLength: 1, maxLength: 100, example: "やまだ"),
                                 description: "Name or kana starting with this; width, hiragana/katakana and spaces ignored."),
                       ]), use: list)
            .get("patients/:id", .operation(.readPatients),
                 .init("Read a patient (audited); the ETag is the revision to send as If-Match", answer: .json(.patient)).tagged,
                 use: show)
            .patch("patients/:id", .operation(.correctPatient),
                   .init("Correct a patient record (If-Match required); the old values go to its history",
                         body: .patientChanges, answer: .json(.patient)).tagged, use: correct)
            .get("patients/:id/corrections", .operation(.readPatients),
                 .init("A patient's corrections with the values they replaced (audited)",
                       answer: .json(.list(of: .patientCorrection, "PatientCorrectionList"))), use: corrections)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<Patient> {
        let input = try await request.decodeStrictly(NewPatient.self, context: context)
        return Tagged(try await registry.patients.register(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Patient>> {
        let filter = Patients.Filter(patientNumber: try request.text("patientNumber", maximum: 50),
                                     name: try request.text("name", maximum: 100))
        return JSONBody(try await registry.patients.list(filter, try request.pageRequest(), by: try context.requireActor()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<Patient> {
        Tagged(try await registry.patients.patient(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func correct(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<Patient> {
        let changes = try await request.decodeStrictly(PatientChanges.self, context: context)
        return Tagged(try await registry.patients.correct(try context.parameters.require("id"), changes,
                                                          precondition: request.editPrecondition,
                                                          by: try context.requireActor()))
    }

    @Sendable func corrections(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<PatientCorrection>> {
        JSONBody(Items(items: try await registry.patients.corrections(of: try context.parameters.require("id"),
                                                                       by: try context.requireActor())))
    }
}
