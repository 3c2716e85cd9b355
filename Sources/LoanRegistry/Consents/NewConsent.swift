public import Foundation

/// What staff record when the patient (or a proxy) decides on the explanation they were given.
public struct NewConsent: Sendable, Equatable, Codable {
    /// Who signs: the patient (本人) or a proxy (代諾者).
    public struct Signer: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case `self`, proxy
        }

        public var kind: Kind
        public var name: String
        /// Proxy only: 親権者, 成年後見人, 家族 …
        public var relationship: String?
        /// Proxy only: why the patient does not sign (minor, lacks capacity, cannot sign).
        public var reason: String?

        public init(kind: Kind, name: String, relationship: String? = nil, reason: String? = nil) {
            self.kind = kind
            self.name = name
            self.relationship = relationship
            self.reason = reason
        }
    }

    public enum Decision: String, Sendable, Codable, CaseIterable {
        case granted, refused
    }

    /// What the consent covers beyond lending and use (catalogue §6).
    public struct Scope: Sendable, Equatable, Codable {
        /// Transfer of data to the maker's cloud. Defaults to whether the model uploads at all.
        public var makerCloud: Bool?
        /// Optional sharing with family or others. Defaults to `false`.
        public var sharing: Bool?
        /// Research use: a separate opt-in. Defaults to `false`.
        public var research: Bool?

        public init(makerCloud: Bool? = nil, sharing: Bool? = nil, research: Bool? = nil) {
            self.makerCloud = makerCloud
            self.sharing = sharing
            self.research = research
        }
    }

    /// The evidence of the decision: a tablet signature image or a reference to a signed paper scan.
    public struct Evidence: Sendable, Equatable, Codable {
        public enum Method: String, Sendable, Codable, CaseIterable {
            case tablet, paper
        }

        public var method: Method
        /// `tablet`: the signature as a base64 PNG.
        public var pngBase64: String?
        /// `paper`: where the signed, scanned form is filed (document system id, binder …).
        public var scanReference: String?
        /// `tablet`: the pen strokes the PNG was drawn from, kept and hashed as evidence.
        public var strokes: SignatureStrokes?

        public init(method: Method, pngBase64: String? = nil, scanReference: String? = nil, strokes: SignatureStrokes? = nil) {
            self.method = method
            self.pngBase64 = pngBase64
            self.scanReference = scanReference
            self.strokes = strokes
        }
    }

    /// SHA-256 of the explanation text the patient was shown; must be the loan's current one.
    public var explanationSha256: String
    public var signer: Signer
    public var decision: Decision
    /// The staff member who explained (login or name).
    public var explainedBy: String
    public var witness: String?
    public var scope: Scope?
    /// Required for a granted consent.
    public var signature: Evidence?
    /// When the explanation was given; defaults to now and may not be in the future.
    public var explainedAt: Date?
    /// A copy of the signed consent was given to the patient.
    public var copyGiven: Bool?

    public init(explanationSha256: String, signer: Signer, decision: Decision, explainedBy: String,
                witness: String? = nil, scope: Scope? = nil, signature: Evidence? = nil, explainedAt: Date? = nil,
                copyGiven: Bool? = nil) {
        self.explanationSha256 = explanationSha256
        self.signer = signer
        self.decision = decision
        self.explainedBy = explainedBy
        self.witness = witness
        self.scope = scope
        self.signature = signature
        self.explainedAt = explainedAt
        self.copyGiven = copyGiven
    }


    /// Checks every field; returns the decoded signature image when there is one.
    func validate(now: Date) throws -> SignaturePNG? {
        var validator = FieldValidator()
        validator.require(ContentHash.isSHA256(explanationSha256), "explanationSha256",
                          "must be the 64-character lower-case hex SHA-256 of the explanation")
        validator.text(signer.name, "signer.name", maximum: 200)
        validator.text(explainedBy, "explainedBy", maximum: 100)
        validator.text(witness ?? "", "witness", maximum: 200, required: false)
        if witness?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true {
            validator.require(false, "witness", "must not be empty when given")
        }
        switch signer.kind {
        case .proxy:
            validator.text(signer.relationship ?? "", "signer.relationship", maximum: 100)
            validator.text(signer.reason ?? "", "signer.reason", maximum: 500)
        case .self:
            validator.require(signer.relationship == nil, "signer.relationship", "is only for a proxy")
            validator.require(signer.reason == nil, "signer.reason", "is only for a proxy")
        }
        if let explainedAt {
            validator.require(explainedAt <= now.addingTimeInterval(60), "explainedAt", "must not be in the future")
        }
        var png: SignaturePNG?
        switch (decision, signature) {
        case (.granted, nil):
            validator.require(false, "signature", "is required for a granted consent (tablet signature or paper scan)")
        case (_, let evidence?):
            switch evidence.method {
            case .tablet:
                validator.require(evidence.scanReference == nil, "signature.scanReference", "is only for method paper")
                if let base64 = evidence.pngBase64 {
                    do {
                        png = try SignaturePNG(base64: base64, field: "signature.pngBase64")
                    } catch RegistryError.validationFailed(let errors) {
                        for error in errors { validator.require(false, error.field, error.message) }
                    }
                } else {
                    validator.require(false, "signature.pngBase64", "is required for method tablet")
                }
                evidence.strokes?.validate(&validator, field: "signature.strokes")
            case .paper:
                validator.require(evidence.pngBase64 == nil, "signature.pngBase64", "is only for method tablet")
                validator.require(evidence.strokes == nil, "signature.strokes", "is only for method tablet")
                validator.text(evidence.scanReference ?? "", "signature.scanReference", maximum: 300)
            }
        case (.refused, nil):
            break
        }
        try validator.check()
        return png
    }
}
