import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// The hand-over gate (DESIGN §5) and the consent lifecycle, in the library.
@Suite struct ConsentGateTests {
    @Test func theWholeWalkDraftExplanationConsentContactSheetHandOverReturn() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = try await test.account("suzuki", role: .staff)
        let loan = try await test.fixtures.draftLoan()
        #expect(loan.status == .draft)
        let explanation = try #require(loan.explanation)
        #expect(explanation.sha256 == ContentHash.sha256(explanation.text ?? ""))

        let signature = TestPNG.image(width: 400, height: 150)
        let consent = try await test.registry.consents.record(loan: loan.id, NewConsent(
            explanationSha256: explanation.sha256, signer: .init(kind: .proxy, name: "試験 花子", relationship: "親権者", reason: "minor"),
            decision: .granted, explainedBy: "staff:suzuki", witness: "看護師 佐藤",
            scope: .init(research: true), signature: .init(method: .tablet, pngBase64: signature.base64EncodedString()),
            copyGiven: true), by: actor)
        #expect(consent.isInForce)
        #expect(consent.explanationId == explanation.id)
        #expect(consent.evidence?.signatureSha256 == ContentHash.sha256(signature))
        #expect(consent.signer.relationship == "親権者")
        #expect(consent.scope.lendingAndUse && !consent.scope.makerCloud && !consent.scope.sharing && consent.scope.research)
        #expect(try await test.registry.consents.signature(of: consent.id, by: actor) == signature)

        let consented = try await test.registry.loans.loan(loan.id, by: actor)
        #expect(consented.status == .consented)
        #expect(consented.handoverRequirements == [.contactSheet])
        let given = try await test.registry.loans.recordContactSheet(loan.id, ContactSheetGiven(), by: actor)
        #expect(given.contactSheet?.handoutVersion == explanation.textVersion)
        #expect(given.contactSheet?.givenBy == "staff:suzuki")
        #expect(given.handoverRequirements.isEmpty)

        let active = try await test.registry.loans.handOver(loan.id, by: actor)
        #expect(active.status == .active)
        #expect(try await test.registry.ledger.device(loan.device.id, by: test.fixtureActor).status == .onLoan)
        let returned = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: actor)
        #expect(returned.status == .returned)
        #expect(try await test.registry.verify().passed)
    }

    @Test func handOverNeedsBothConsentAndContactSheet() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let neither = try await test.fixtures.draftLoan()
        await #expect(throws: RegistryError.handoverBlocked(number: neither.number, missing: [.consent, .contactSheet])) {
            try await test.registry.loans.handOver(neither.id, by: actor)
        }
        let sheetOnly = try await test.fixtures.draftLoan()
        _ = try await test.registry.loans.recordContactSheet(sheetOnly.id, ContactSheetGiven(), by: actor)
        await #expect(throws: RegistryError.handoverBlocked(number: sheetOnly.number, missing: [.consent])) {
            try await test.registry.loans.handOver(sheetOnly.id, by: actor)
        }
        let consentOnly = try await test.fixtures.draftLoan()
        _ = try await test.registry.consents.record(loan: consentOnly.id, test.fixtures.consent(to: consentOnly), by: actor)
        await #expect(throws: RegistryError.handoverBlocked(number: consentOnly.number, missing: [.contactSheet])) {
            try await test.registry.loans.handOver(consentOnly.id, by: actor)
        }
        for loan in [neither, sheetOnly, consentOnly] {
            #expect(try await test.registry.ledger.device(loan.device.id, by: test.fixtureActor).status == .available)
        }
        #expect(try await test.fixtures.count("device_events") == 3, "only the three registrations")
    }

    @Test func theDatabaseRefusesAnActivationThatSkipsTheGate() async throws {
        let test = try await TestRegistry()
        let loan = try await test.fixtures.draftLoan()
        let queue = try test.independentConnection()
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "UPDATE loans SET status = 'active', handed_over_at = '2026-11-21T03:00:00Z' WHERE id = ?",
                               arguments: [loan.id])
            }
        }
        #expect(try await test.registry.loans.loan(loan.id, by: .system).status == .draft)
    }

    @Test func aRefusalCancelsTheLoanAndFreesTheDevice() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.draftLoan()
        let refusal = NewConsent(explanationSha256: loan.explanation?.sha256 ?? "", signer: .init(kind: .self, name: "試験 太郎"),
                                 decision: .refused, explainedBy: "fixture")
        let consent = try await test.registry.consents.record(loan: loan.id, refusal, by: actor)
        #expect(consent.decision == .refused && !consent.isInForce && consent.evidence == nil)
        let cancelled = try await test.registry.loans.loan(loan.id, by: actor)
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.cancelReason == "consent refused")
        await #expect(throws: RegistryError.invalidLoanTransition(number: loan.number, from: .cancelled, to: .active)) {
            try await test.registry.loans.handOver(loan.id, by: actor)
        }
        await #expect(throws: RegistryError.consentNotWithdrawable(id: consent.id)) {
            try await test.registry.consents.withdraw(consent.id, .init(reason: "r", channel: .phone, actionsTaken: "a"), by: actor)
        }
        let patient = try await test.fixtures.patient()
        #expect(try await test.registry.loans.register(NewLoan(deviceId: loan.device.id, patientId: patient.id), by: actor).status == .draft)
    }

    @Test func oneDecisionPerSnapshotAndOnlyForTheCurrentHash() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.draftLoan()
        let stale = test.fixtures.consent(to: loan)
        _ = try await test.registry.loans.change(loan.id, LoanChanges(dueDate: LocalDate("2026-11-28")), by: actor)
        await #expect(throws: RegistryError.explanationChanged(number: loan.number)) {
            try await test.registry.consents.record(loan: loan.id, stale, by: actor)
        }
        let current = try await test.registry.loans.loan(loan.id, by: actor)
        _ = try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: current), by: actor)
        await #expect(throws: RegistryError.consentAlreadyRecorded(number: loan.number)) {
            try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: current), by: actor)
        }
        #expect(try await test.fixtures.count("consents") == 1)
    }

    @Test func proxyNeedsNameRelationshipAndReason() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        var input = test.fixtures.consent(to: loan)
        input.signer = .init(kind: .proxy, name: " ")
        await #expect(throws: RegistryError.validationFailed([
            FieldError("signer.name", "must not be empty"), FieldError("signer.relationship", "must not be empty"),
            FieldError("signer.reason", "must not be empty"),
        ])) {
            try await test.registry.consents.record(loan: loan.id, input, by: .system)
        }
        #expect(try await test.fixtures.count("consents") == 0)
    }

    @Test func withdrawalWhileTheDeviceIsOutAsksForItsRecovery() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.activeLoan()
        let consent = try #require(loan.consent)
        let withdrawn = try await test.registry.consents.withdraw(
            consent.id, .init(reason: "does not want data in the cloud", channel: .phone, actionsTaken: "asked the maker to stop uploads"),
            by: actor)
        #expect(withdrawn.withdrawal?.recoveryRequired == true)
        #expect(!withdrawn.isInForce)
        let recovery = try await test.registry.loans.awaitingRecovery(by: actor)
        #expect(recovery.items.map(\.number) == [loan.number])
        #expect(recovery.items.first?.recoveryRequestedAt != nil)
        await #expect(throws: RegistryError.consentAlreadyWithdrawn(id: consent.id)) {
            try await test.registry.consents.withdraw(consent.id, .init(reason: "r", channel: .letter, actionsTaken: "a"), by: actor)
        }
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: actor)
        #expect(try await test.registry.loans.awaitingRecovery(by: actor).items.isEmpty, "returned: nothing left to recover")
    }

    @Test func withdrawalBeforeHandOverCancelsTheLoan() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.draftLoan()
        let consent = try await test.fixtures.passGate(loan)
        _ = try await test.registry.consents.withdraw(consent.id, .init(reason: "r", channel: .inPerson, actionsTaken: "none needed"),
                                                      by: actor)
        let after = try await test.registry.loans.loan(loan.id, by: actor)
        #expect(after.status == .cancelled)
        #expect(after.cancelReason == "consent withdrawn")
        #expect(try await test.registry.loans.awaitingRecovery(by: actor).items.isEmpty)
    }

    @Test func consentReadsAreAuditedAndCarryNoNames() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.activeLoan()
        let consentId = try #require(loan.consent?.id)
        let auditor = try await test.account("auditor", role: .auditor)
        _ = try await test.registry.consents.consent(consentId, by: auditor)
        _ = try await test.registry.consents.consents(ofLoan: loan.number, by: auditor)
        _ = try await test.registry.consents.signature(of: consentId, by: auditor)
        let reads = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE actor = 'staff:auditor' AND action LIKE 'consent.%' ORDER BY seq")
        }
        #expect(reads == ["consent.read", "consent.read", "consent.signature_read"])
        let details = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE entity_type = 'consent'").joined()
        }
        #expect(!details.contains("試験"))
        #expect(!details.contains("SCAN-"))
    }
}
