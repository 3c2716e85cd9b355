import Foundation

/// A rule of the registry was not met. Switched exhaustively by the API and the CLI.
///
/// Messages name records by their staff-facing identifiers (loan number, asset tag, model
/// name), never by patient data.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No record of `entity` with that id or number.
    case notFound(entity: String, id: String)
    /// The input is invalid; every offending field is listed.
    case validationFailed([FieldError])
    /// A unique value is already taken (`field` names which: `assetTag`, `patientNumber` …).
    case duplicate(field: String)
    /// The device cannot be lent now.
    case deviceUnavailable(assetTag: String, status: DeviceStatus)
    /// The operation needs an active loan.
    case loanNotActive(number: String, status: LoanStatus)
    /// The device came back holding patient data and has not been wiped yet (guideline ⑩).
    case wipeRequired(assetTag: String)
    /// A wipe was recorded for a device that is not waiting for one.
    case wipeNotPending(assetTag: String, status: DeviceStatus)
    /// The device lifecycle has no such move from the device's status.
    case invalidDeviceTransition(assetTag: String, status: DeviceStatus, event: String)
    /// A device that held patient data is disposed of only after a wipe since its last loan or
    /// with the vendor's certificate (guideline ⑪).
    case disposalEvidenceRequired(assetTag: String)
    /// That report of the incident was already recorded.
    case incidentReportRecorded(number: String, stage: String)
    /// The stocktake session is not in a state that allows this.
    case stocktakeState(number: String, problem: StocktakeProblem)

    /// Why a stocktake refuses an action.
    public enum StocktakeProblem: String, Sendable, Equatable {
        /// Another session is open: close it first.
        case alreadyOpen = "stocktake_already_open"
        /// Closed: no more scans, not closed again.
        case closed = "stocktake_closed"
        /// Sign-off needs a closed session.
        case notClosed = "stocktake_not_closed"
        /// Already signed off.
        case signedOff = "stocktake_signed_off"
    }
    /// A bulk import was refused; nothing was written. Each problem names a line and field.
    case importRejected([FieldError])
    /// The loan's state does not allow the operation.
    case invalidLoanTransition(number: String, from: LoanStatus, to: LoanStatus)
    /// No clinic profile is set, so no explanation or contact sheet can name the clinic.
    case clinicProfileMissing
    /// The explanation texts cannot be used (missing, incomplete, or changed after release).
    case textsUnavailable(reason: String)
    /// The explanation hash given is not that of the loan's current explanation.
    case explanationChanged(number: String)
    /// The loan's current explanation already has a consent decision.
    case consentAlreadyRecorded(number: String)
    /// The hand-over gate is not met; `missing` lists what is needed, most important first.
    case handoverBlocked(number: String, missing: [HandoverRequirement])
    /// Only a granted consent can be withdrawn.
    case consentNotWithdrawable(id: String)
    /// The consent was already withdrawn.
    case consentAlreadyWithdrawn(id: String)
    /// The contact sheet for the loan's current explanation was already recorded.
    case contactSheetAlreadyRecorded(number: String)
    /// A sign-in or a token was refused; `retryAfterSeconds` for a locked account.
    case authenticationFailed(AuthenticationFailure, retryAfterSeconds: Int? = nil)
    /// The actor's role does not allow the operation (``AccessPolicy``).
    case forbidden(RegistryOperation)
    /// A new password breaks these rules of ``PasswordPolicy`` (all listed at once).
    case passwordRejected([PasswordPolicy.Violation])
    /// Too many sign-ins are waiting for password hashing; try again shortly.
    case busy
    /// The account already has a second factor; reset it before enrolling another.
    case secondFactorAlreadyEnrolled(login: String)
    /// A TOTP code was confirmed before enrolment started.
    case secondFactorNotStarted(login: String)
    /// An account change that would lock the clinic out or let an administrator raise themselves.
    case accountChangeRefused(login: String, reason: String)
    /// The explanation sheet was asked for in another language than its snapshot's.
    case explanationLanguageMismatch(number: String, explained: Patient.Language, requested: Patient.Language)
    /// A value got past validation but the database refused it (a `CHECK` or `NOT NULL` of the
    /// schema); `field` names the column as an input field. Nothing was written.
    case constraintViolated(field: String)
    /// The record changed since the caller read it (its revision is no longer `expected`).
    case editConflict(entity: String, id: String)
    /// A change to an existing record must say which revision it changes (HTTP `If-Match`).
    case revisionRequired(entity: String)
    /// An access review period cannot be signed off while flags have no decision.
    case accessReviewIncomplete(period: String, undecided: Int)
    /// The access review period is already signed off: no more decisions or sign-offs.
    case accessReviewSignedOff(period: String)

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .validationFailed: "validation_failed"
        case .duplicate(let field): "duplicate_\(field.snakeCased)"
        case .deviceUnavailable: "device_unavailable"
        case .loanNotActive: "loan_not_active"
        case .wipeRequired: "wipe_required"
        case .wipeNotPending: "wipe_not_pending"
        case .invalidDeviceTransition: "invalid_device_transition"
        case .disposalEvidenceRequired: "disposal_evidence_required"
        case .incidentReportRecorded: "incident_report_exists"
        case .stocktakeState(_, let problem): problem.rawValue
        case .invalidLoanTransition: "invalid_loan_transition"
        case .importRejected: "import_rejected"
        case .clinicProfileMissing: "clinic_profile_required"
        case .textsUnavailable: "texts_unavailable"
        case .explanationChanged: "explanation_changed"
        case .consentAlreadyRecorded: "consent_exists"
        case .handoverBlocked(_, let missing): (missing.first ?? .consent).rawValue
        case .consentNotWithdrawable: "consent_not_withdrawable"
        case .consentAlreadyWithdrawn: "consent_already_withdrawn"
        case .contactSheetAlreadyRecorded: "contact_sheet_exists"
        case .authenticationFailed(let failure, _): failure.rawValue
        case .forbidden: "forbidden"
        case .passwordRejected: "password_rejected"
        case .busy: "busy"
        case .secondFactorAlreadyEnrolled: "second_factor_already_enrolled"
        case .secondFactorNotStarted: "second_factor_not_started"
        case .accountChangeRefused: "account_change_refused"
        case .constraintViolated: "constraint_violated"
        case .explanationLanguageMismatch: "explanation_language_mismatch"
        case .editConflict: "precondition_failed"
        case .revisionRequired: "precondition_required"
        case .accessReviewIncomplete: "review_incomplete"
        case .accessReviewSignedOff: "review_signed_off"
        }
    }

    public var description: String {
        switch self {
        case let .notFound(entity, id):
            // A patient reference may be the clinic's patient number: never echo it.
            entity == "patient" ? "No such patient." : "No \(entity) \(id)."
        case let .validationFailed(errors):
            "Invalid input: " + errors.map(\.description).joined(separator: "; ")
        case let .duplicate(field):
            "Another record already has this \(field)."
        case let .deviceUnavailable(assetTag, status):
            "Device \(assetTag) cannot be lent: it is \(status.rawValue)."
        case let .loanNotActive(number, status):
            "Loan \(number) is not active (it is \(status.rawValue))."
        case let .wipeRequired(assetTag):
            "Device \(assetTag) came back holding patient data: record its wipe (POST /devices/{id}/sanitizations, "
                + "or loan-registry device wipe) before lending it again."
        case let .wipeNotPending(assetTag, status):
            "Device \(assetTag) is not waiting for a wipe (it is \(status.rawValue))."
        case let .invalidDeviceTransition(assetTag, status, event):
            "Device \(assetTag) is \(status.rawValue): '\(event)' is not possible from there."
        case let .disposalEvidenceRequired(assetTag):
            "Device \(assetTag) held patient data: record its wipe after the last loan, or give the vendor's certificate "
                + "(certificateNumber or certificateReference), before disposing of it."
        case let .incidentReportRecorded(number, stage):
            "The \(stage) report of incident \(number) is already recorded."
        case let .stocktakeState(number, problem):
            switch problem {
            case .alreadyOpen: "Stocktake \(number) is still open: close it before opening another."
            case .closed: "Stocktake \(number) is closed."
            case .notClosed: "Stocktake \(number) is still open: close it before signing it off."
            case .signedOff: "Stocktake \(number) is already signed off."
            }
        case let .importRejected(problems):
            "Import refused, nothing was written:\n" + problems.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
        case let .invalidLoanTransition(number, from, to) where from == to:
            "Loan \(number) is \(from.rawValue): its device, dates and language can only be changed before hand-over."
        case let .invalidLoanTransition(number, from, to):
            "Loan \(number) cannot go from \(from.rawValue) to \(to.rawValue)."
        case .clinicProfileMissing:
            "The clinic profile is not set; set it first (loan-registry clinic set, or PUT /api/v1/clinic)."
        case let .textsUnavailable(reason):
            "The explanation texts cannot be used: \(reason)."
        case let .explanationChanged(number):
            "The explanation of loan \(number) has changed; show the patient the current explanation and consent to its hash."
        case let .consentAlreadyRecorded(number):
            "A consent decision is already recorded for the current explanation of loan \(number)."
        case let .handoverBlocked(number, missing):
            "Loan \(number) cannot be handed over yet: " + missing.map(\.message).joined(separator: "; ") + "."
        case let .consentNotWithdrawable(id):
            "Consent \(id) was refused; only a granted consent can be withdrawn."
        case let .consentAlreadyWithdrawn(id):
            "Consent \(id) was already withdrawn."
        case let .contactSheetAlreadyRecorded(number):
            "The contact sheet for the current explanation of loan \(number) is already recorded."
        case let .authenticationFailed(failure, _):
            failure.message
        case let .forbidden(operation):
            "Your role does not allow this (\(operation.rawValue))."
        case let .passwordRejected(violations):
            "The new password is not accepted: " + violations.map { "it \($0.message)" }.joined(separator: "; ") + "."
        case .busy:
            "Too many sign-ins at once; try again in a moment."
        case let .secondFactorAlreadyEnrolled(login):
            "Account \(login) already has a second factor; reset it first (loan-registry user totp reset)."
        case let .secondFactorNotStarted(login):
            "No second-factor enrolment is in progress for account \(login); start one first."
        case let .accountChangeRefused(login, reason):
            "Account \(login) was not changed: \(reason)."
        case let .explanationLanguageMismatch(number, explained, requested):
            "Loan \(number)'s explanation is in \(explained.rawValue); change the loan's language to print it in \(requested.rawValue)."
        case let .constraintViolated(field):
            "The database refused the value of \(field); nothing was written."
        case let .accessReviewIncomplete(period, undecided):
            "The access review \(period) has \(undecided) flag\(undecided == 1 ? "" : "s") without a decision; decide each before signing off."
        case let .accessReviewSignedOff(period):
            "The access review \(period) is already signed off."
        case let .editConflict(entity, id):
            "The \(entity)\(entity == "patient" || id.isEmpty ? "" : " " + id) is no longer at the revision given in "
                + "If-Match: it was changed since it was read (or the value is not an ETag from this server). "
                + "Read it again and redo the change."
        case let .revisionRequired(entity):
            "Say which revision of the \(entity) you are changing: send the ETag you read as If-Match."
        }
    }
}

extension String {
    /// `patientNumber` → `patient_number`.
    var snakeCased: String {
        unicodeScalars.reduce(into: "") { result, scalar in
            if CharacterSet.uppercaseLetters.contains(scalar) {
                result += "_" + String(scalar).lowercased()
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
}
