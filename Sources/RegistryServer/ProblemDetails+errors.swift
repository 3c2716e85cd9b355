import HTTPTypes
import Hummingbird
import LoanRegistry

extension ProblemDetails {
    /// The problem for any error a route or middleware threw.
    ///
    /// Unknown errors become a generic 500 whose body says nothing about the error.
    init(_ error: any Error) {
        switch error {
        case let problem as ProblemDetails:
            self = problem
        case let error as StorageError:
            self.init(storage: error)
        case let error as RegistryError:
            self.init(registry: error)
        case let error as HTTPError:
            self.init(http: error)
        case let error as any HTTPResponseError:
            self.init(status: error.status, code: Self.code(for: error.status), title: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, code: "internal_error", title: "Internal error",
                      detail: "The request could not be completed; nothing was changed.")
        }
    }

    /// A 422 `validation_failed` naming every offending field.
    static func validation(_ errors: [FieldError]) -> ProblemDetails {
        ProblemDetails(status: .unprocessableContent, code: "validation_failed", title: "Invalid input",
                       detail: "Some fields are missing or invalid.",
                       errors: errors.map { FieldProblem(field: $0.field, message: $0.message) })
    }

    init(registry error: RegistryError) {
        switch error {
        case .notFound:
            self.init(status: .notFound, code: error.code, title: "Not found", detail: error.description)
        case .validationFailed(let errors), .importRejected(let errors):
            self = .validation(errors)
        case .duplicate:
            self.init(status: .conflict, code: error.code, title: "Already registered", detail: error.description)
        case .deviceUnavailable:
            self.init(status: .conflict, code: error.code, title: "Device unavailable", detail: error.description)
        case .loanNotActive:
            self.init(status: .conflict, code: error.code, title: "Loan not active", detail: error.description)
        case .wipeRequired:
            self.init(status: .conflict, code: error.code, title: "Wipe required", detail: error.description)
        case .wipeNotPending:
            self.init(status: .conflict, code: error.code, title: "No wipe pending", detail: error.description)
        case .invalidDeviceTransition:
            self.init(status: .conflict, code: error.code, title: "Not possible in this device status", detail: error.description)
        case .disposalEvidenceRequired:
            self.init(status: .conflict, code: error.code, title: "Disposal evidence required", detail: error.description)
        case .incidentReportRecorded:
            self.init(status: .conflict, code: error.code, title: "Report already recorded", detail: error.description)
        case .stocktakeState:
            self.init(status: .conflict, code: error.code, title: "Not possible in this stocktake", detail: error.description)
        case .accessReviewIncomplete:
            self.init(status: .conflict, code: error.code, title: "Review not complete", detail: error.description)
        case .accessReviewSignedOff:
            self.init(status: .conflict, code: error.code, title: "Review already signed off", detail: error.description)
        case .invalidLoanTransition:
            self.init(status: .conflict, code: error.code, title: "Not allowed in this state", detail: error.description)
        case .clinicProfileMissing:
            self.init(status: .conflict, code: error.code, title: "Clinic profile not set", detail: error.description)
        case .textsUnavailable:
            self.init(status: .serviceUnavailable, code: error.code, title: "Explanation texts unavailable",
                      detail: error.description, retryAfter: 60)
        case .explanationChanged:
            self.init(status: .conflict, code: error.code, title: "Explanation changed", detail: error.description)
        case .consentAlreadyRecorded:
            self.init(status: .conflict, code: error.code, title: "Consent already recorded", detail: error.description)
        case .handoverBlocked(_, let missing):
            self.init(status: .conflict, code: error.code, title: "Hand-over not allowed yet", detail: error.description,
                      missing: missing.map(\.rawValue))
        case .consentNotWithdrawable:
            self.init(status: .conflict, code: error.code, title: "Consent cannot be withdrawn", detail: error.description)
        case .consentAlreadyWithdrawn:
            self.init(status: .conflict, code: error.code, title: "Consent already withdrawn", detail: error.description)
        case .contactSheetAlreadyRecorded:
            self.init(status: .conflict, code: error.code, title: "Contact sheet already recorded", detail: error.description)
        case let .authenticationFailed(failure, retryAfter):
            self.init(authentication: failure, retryAfter: retryAfter)
        case .forbidden:
            self.init(status: .forbidden, code: error.code, title: "Not allowed for your role", detail: error.description)
        case .passwordRejected(let violations):
            self.init(status: .unprocessableContent, code: error.code, title: "Password not accepted", detail: error.description,
                      errors: violations.map { FieldProblem(field: "password", message: "\($0.rawValue): it \($0.message)") })
        case .busy:
            self.init(status: .serviceUnavailable, code: error.code, title: "Busy", detail: error.description, retryAfter: 1)
        case .secondFactorAlreadyEnrolled, .secondFactorNotStarted:
            self.init(status: .conflict, code: error.code, title: "Second factor", detail: error.description)
        case .accountChangeRefused:
            self.init(status: .conflict, code: error.code, title: "Account not changed", detail: error.description)
        case .explanationLanguageMismatch:
            self.init(status: .conflict, code: error.code, title: "No explanation in this language", detail: error.description)
        case .constraintViolated(let field):
            self.init(status: .unprocessableContent, code: error.code, title: "Value refused by the database",
                      detail: error.description,
                      errors: [FieldProblem(field: field, message: "is not accepted (too long, empty or out of range)")])
        case .editConflict:
            self.init(status: .preconditionFailed, code: error.code, title: "Changed by someone else", detail: error.description)
        case .revisionRequired:
            self.init(status: .init(code: 428, reasonPhrase: "Precondition Required"), code: error.code,
                      title: "If-Match required", detail: error.description)
        }
    }

    init(authentication failure: AuthenticationFailure, retryAfter: Int?) {
        let status: HTTPResponse.Status = switch failure {
        case .invalidCredentials, .secondFactorRequired, .authenticationRequired, .tokenInvalid, .tokenExpired, .tokenRevoked,
             .malformedCredentials:
            .unauthorized
        case .accountLocked: .init(code: 423, reasonPhrase: "Locked")
        case .accountDisabled, .passwordChangeRequired, .secondFactorEnrolmentRequired: .forbidden
        }
        let title = switch failure {
        case .invalidCredentials: "Sign-in failed"
        case .accountLocked: "Account locked"
        case .accountDisabled: "Account disabled"
        case .passwordChangeRequired: "Password change required"
        case .secondFactorRequired: "Second factor required"
        case .secondFactorEnrolmentRequired: "Second factor enrolment required"
        case .authenticationRequired: "Sign-in required"
        case .malformedCredentials: "Malformed credentials"
        case .tokenInvalid: "Invalid token"
        case .tokenExpired: "Token expired"
        case .tokenRevoked: "Token revoked"
        }
        self.init(status: status, code: failure.rawValue, title: title, detail: failure.message, retryAfter: retryAfter)
    }

    init(storage error: StorageError) {
        switch error {
        case .unavailable:
            self.init(status: .serviceUnavailable, code: error.code, title: "Database unavailable",
                      detail: error.description, retryAfter: 5)
        default:
            self.init(status: .serviceUnavailable, code: error.code, title: "Database cannot be used",
                      detail: error.description, retryAfter: 30)
        }
    }

    init(http error: HTTPError) {
        if error.status == .notFound && error.body == nil {
            // The router's own 404: no route has this path.
            self.init(status: .notFound, code: "not_found", title: "No such path",
                      detail: "No API operation has this path; see /api/v1/openapi.json.")
            return
        }
        self.init(status: error.status, code: Self.code(for: error.status), title: error.status.reasonPhrase,
                  detail: error.body)
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "validation_failed"
        case 503: "service_unavailable"
        default: status.code >= 500 ? "internal_error" : "bad_request"
        }
    }
}
