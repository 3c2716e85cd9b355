import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// The pen strokes of a tablet signature: kept with the consent, hashed, and the hash in the
/// consent's audit event (so the chain covers them); malformed strokes are refused whole.
@Suite struct SignatureStrokesTests {
    static let strokes = SignatureStrokes(
        canvasWidth: 900, canvasHeight: 260, devicePixelRatioThousandths: 2000, resizes: 1,
        strokes: [[[100, 2000, 0, 500], [1500, 2600, 16, 620], [2600, 2100, 33, 700]], [[4000, 5000, 400, 500]]])

    @Test func strokesAreStoredWithTheConsentAndTheirHashIsAudited() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = try await test.account("ito", role: .staff)
        let loan = try await test.fixtures.draftLoan()
        let explanation = try #require(loan.explanation)
        let png = TestPNG.image(width: 300, height: 100)
        let consent = try await test.registry.consents.record(loan: loan.id, NewConsent(
            explanationSha256: explanation.sha256, signer: .init(kind: .self, name: "試験 太郎"), decision: .granted,
            explainedBy: "staff:ito", signature: .init(method: .tablet, pngBase64: png.base64EncodedString(), strokes: Self.strokes)),
            by: actor)
        #expect(try await test.registry.consents.signatureStrokes(of: consent.id, by: actor) == Self.strokes)
        let (stored, digest, details) = try await test.registry.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT signature_strokes, signature_strokes_sha256 FROM consents WHERE id = ?",
                                                    arguments: [consent.id]))
            let details = try #require(try String.fetchOne(
                db, sql: "SELECT details FROM audit_events WHERE action = 'consent.recorded' AND entity_id = ?", arguments: [consent.id]))
            return (row["signature_strokes"] as String, row["signature_strokes_sha256"] as String, details)
        }
        #expect(stored == String(decoding: try Self.strokes.canonicalJSON(), as: UTF8.self))
        #expect(digest == ContentHash.sha256(stored))
        #expect(digest == (try Self.strokes.sha256()))
        let event = try #require(try JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any])
        #expect(event["strokesSha256"] as? String == digest)
        #expect(try await test.registry.verify().passed)
    }

    @Test func malformedStrokesAreRefusedAndNothingIsWritten() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = try await test.account("ito", role: .staff)
        let loan = try await test.fixtures.draftLoan()
        let explanation = try #require(loan.explanation)
        let png = TestPNG.image(width: 300, height: 100).base64EncodedString()
        var outside = Self.strokes
        outside.strokes = [[[10_001, 0, 0, 500]]]
        var short = Self.strokes
        short.strokes = [[[1, 2, 3]]]
        var none = Self.strokes
        none.strokes = []
        var ratio = Self.strokes
        ratio.devicePixelRatioThousandths = 0
        let cases: [(NewConsent.Evidence, String)] = [
            (.init(method: .tablet, pngBase64: png, strokes: outside), "signature.strokes.strokes"),
            (.init(method: .tablet, pngBase64: png, strokes: short), "signature.strokes.strokes"),
            (.init(method: .tablet, pngBase64: png, strokes: none), "signature.strokes.strokes"),
            (.init(method: .tablet, pngBase64: png, strokes: ratio), "signature.strokes.devicePixelRatioThousandths"),
            (.init(method: .paper, scanReference: "綴 1", strokes: Self.strokes), "signature.strokes"),
        ]
        for (evidence, field) in cases {
            do {
                _ = try await test.registry.consents.record(loan: loan.id, NewConsent(
                    explanationSha256: explanation.sha256, signer: .init(kind: .self, name: "試験 太郎"), decision: .granted,
                    explainedBy: "staff:ito", signature: evidence), by: actor)
                Issue.record("accepted \(field)")
            } catch RegistryError.validationFailed(let errors) {
                #expect(errors.map(\.field).contains(field), "\(errors)")
            }
        }
        let consents = try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM consents") ?? -1 }
        #expect(consents == 0)
        #expect(try await test.registry.loans.loan(loan.id, by: actor).status == .draft)
    }
}
