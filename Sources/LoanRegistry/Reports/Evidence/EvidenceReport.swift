/// The evidence report for the 企画管理者 (planning manager): for a period, the counts behind each
/// obligation of guideline ch. 7 (③ ⑦ ⑧ ⑨ ⑩ ⑪ and the access logs), every exception with its
/// record reference, the audit verification and the signed checkpoints that anchor it.
public struct EvidenceReport: Sendable, Equatable, Encodable {
    /// Something that should not have happened, or is still open, with the record it concerns.
    public struct Exception: Sendable, Equatable, Codable {
        /// `③`, `⑦`, `⑧`, `⑨⑩⑪` or `access`.
        public let clause: String
        /// A stable code, e.g. `handed_over_without_consent`.
        public let code: String
        /// The record: a loan, device, incident or stocktake number, a flag id, a period.
        public let reference: String
    }

    /// ⑧: explanation and consent before lending, the contact sheet.
    public struct Consent: Sendable, Equatable, Encodable {
        /// Consents decided in the period per explanation text version, language and decision.
        public struct Group: Sendable, Equatable, Encodable {
            public let textVersion: Int
            public let language: String
            public let decision: String
            public let count: Int
        }

        /// A withdrawal and what was done about it.
        public struct Withdrawal: Sendable, Equatable, Encodable {
            public let loanNumber: String
            public let withdrawnAt: String
            public let channel: String
            public let recoveryRequired: Bool
            public let actionsTaken: String
        }

        public let loansHandedOver: Int
        public let consents: [Group]
        public let refusedConsents: Int
        public let contactSheetsGiven: Int
        /// Loans handed over in the period without a granted consent to their explanation or the
        /// contact sheet given before the hand-over: must be 0.
        public let handedOverWithoutConsentOrContactSheet: Int
        public let withdrawals: [Withdrawal]
    }

    /// ⑦: the ledger and its stocktakes.
    public struct Ledger: Sendable, Equatable, Encodable {
        public struct Whereabouts: Sendable, Equatable, Encodable {
            public let whereabouts: String
            public let count: Int
        }

        public struct Stocktake: Sendable, Equatable, Encodable {
            public let number: String
            public let openedAt: String
            public let closedAt: String?
            public let signedOffBy: String?
            public let expected: Int
            public let missing: [String]
            public let unexpected: [String]
        }

        /// Devices per status now (not retired from the count when disposed).
        public let devicesByStatus: [String: Int]
        /// Devices per whereabouts now, most first.
        public let devicesByWhereabouts: [Whereabouts]
        /// Stocktakes opened in the period.
        public let stocktakes: [Stocktake]
    }

    /// ③: loss and theft.
    public struct Incidents: Sendable, Equatable, Encodable {
        public struct Incident: Sendable, Equatable, Encodable {
            public let number: String
            public let kind: String
            public let discoveredOn: String
            public let reportable: Bool
            public let preliminaryDueOn: String
            public let preliminarySubmittedOn: String?
            public let finalDueOn: String
            public let finalSubmittedOn: String?
            /// `met`, `missed`, `open` (not yet due) or `not_reportable`.
            public let deadlines: String
        }

        /// Incidents discovered in the period.
        public let incidents: [Incident]
    }

    /// ⑨ ⑩ ⑪: data deletion and disposal.
    public struct Deletion: Sendable, Equatable, Encodable {
        public struct Wipe: Sendable, Equatable, Encodable {
            public let assetTag: String
            public let method: String
            public let performedBy: String
            public let verifiedBy: String
            public let recordedAt: String
        }

        public struct Disposal: Sendable, Equatable, Encodable {
            public let assetTag: String
            public let method: String
            public let evidence: String
            public let certificateNumber: String?
            public let recordedAt: String
        }

        public let wipes: [Wipe]
        public let disposals: [Disposal]
        /// Disposed devices without a disposal record and its evidence: must be 0.
        public let disposedWithoutEvidence: Int
    }

    /// The access logs: the period's review and the audit trail's verification.
    public struct AccessLogs: Sendable, Equatable, Encodable {
        public let reads: Int
        public let flagsByKind: [String: Int]
        public let decided: Int
        public let followUps: Int
        public let signedOffBy: String?
        public let signedOffAt: String?
        /// What verification found, in words; empty when it passed.
        public let verificationProblems: [String]
        /// Events in the chain.
        public let auditEvents: Int
    }

    public let period: AccessReviewPeriod
    public let generatedAt: String
    public let generatedBy: String
    public let clinicName: String
    public let consent: Consent
    public let ledger: Ledger
    public let incidents: Incidents
    public let deletion: Deletion
    public let accessLogs: AccessLogs
    /// Every exception, in clause order.
    public let exceptions: [Exception]
    /// Whether the database, the audit chain, its triggers and the signed checkpoints verified.
    public let auditVerified: Bool
    /// The newest signed checkpoint.
    public let latestCheckpoint: AuditCheckpoint?
    /// The last checkpoint of each day of the period, so the printed report anchors the chain too.
    public let dailyCheckpoints: [AuditCheckpoint]
}
