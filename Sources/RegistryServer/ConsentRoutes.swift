import HTTPTypes
import Hummingbird
import LoanRegistry
import NIOCore

/// `/api/v1/consents`: read a consent (audited), its signature image, and record a withdrawal.
struct ConsentRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("consents/:id", .operation(.readConsents), .init("Read a consent (audited)", answer: .json(.consent)), use: show)
            .get("consents/:id/signature.png", .operation(.readConsents),
                 .init("The tablet signature image (404 for a paper scan or a refusal)", answer: .png), use: signature)
            .post("consents/:id/withdrawal", .operation(.withdrawConsent),
                  .init("Record that the patient withdrew a granted consent", body: .newConsentWithdrawal, status: .created,
                        answer: .json(.consent)), use: withdraw)
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Consent> {
        JSONBody(try await registry.consents.consent(try context.parameters.require("id"), by: try context.requireActor()))
    }

    /// The tablet signature as `image/png`; 404 when the evidence is a paper scan.
    @Sendable func signature(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let png = try await registry.consents.signature(of: id, by: try context.requireActor()) else {
            throw ProblemDetails(status: .notFound, code: "no_signature_image", title: "No signature image",
                                 detail: "Consent \(id) has no tablet signature (paper scan or refusal).")
        }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    @Sendable func withdraw(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Consent> {
        let input = try await request.decodeStrictly(NewConsentWithdrawal.self, context: context)
        return JSONBody(try await registry.consents.withdraw(try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }
}
