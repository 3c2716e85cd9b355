import HTTPTypes

/// Which problems a route can answer, by status, with their codes: the error side of the
/// OpenAPI document.
///
/// Follows from what the route is: who may call it, whether it takes a path id, a body or query
/// parameters, whether it changes anything, and which records it touches. The codes are those
/// ``ProblemDetails`` gives.
enum ProblemCatalogue {
    static func problems(for entry: RouteCatalogue.Entry) -> [Int: [String]] {
        let doc = entry.doc
        let path = entry.path
        let changes = [.post, .put, .patch, .delete].contains(entry.method)
        let signedIn = if case .operation = entry.access { true } else { false }
        var problems: [Int: [String]] = [
            400: ["unknown_query_parameter", "repeated_query_parameter"],
            421: ["misdirected_host"],
            503: ["database_unavailable", "busy"],
        ]
        func add(_ status: Int, _ codes: [String]) { problems[status, default: []] += codes }
        if path.hasSuffix("/health") { add(503, ["writes_unavailable", "integrity_failed"]) }
        if signedIn {
            add(401, ["authentication_required", "malformed_credentials", "token_invalid", "token_expired", "token_revoked"])
            add(403, ["forbidden", "password_change_required", "second_factor_enrolment_required", "account_disabled",
                      "csrf_token_invalid"])
        }
        if path.hasPrefix("/api/v1/auth/") {
            add(401, ["invalid_credentials"] + (signedIn ? [] : ["second_factor_required"]))
            if !signedIn { add(403, ["account_disabled", "password_change_required", "second_factor_enrolment_required"]) }
            problems[423] = ["account_locked"]
        }
        if changes {
            add(403, ["cross_origin"])
            problems[415] = ["unsupported_media_type"]
            add(422, ["validation_failed", "constraint_violated"])
        }
        if doc.body != nil {
            add(400, ["malformed_json", "invalid_encoding"])
            problems[413] = ["payload_too_large"]
            add(404, ["not_found"])  // a body may name other records (a device, a patient, a model)
        }
        if entry.method == .put || entry.method == .patch {
            problems[412] = ["precondition_failed"]
            problems[428] = ["precondition_required"]
        }
        if !doc.query.isEmpty { add(422, ["validation_failed"]) }
        if path.contains("{") { add(404, ["not_found"]) }
        if path.hasSuffix("/signature.png") { add(404, ["no_signature_image"]) }
        if path.hasSuffix("/handouts/verify") { add(404, ["not_found"]) }  // the loan named in the query
        if let conflicts = conflicts(entry) { add(409, conflicts) }
        if path.contains("/loans") || path.hasSuffix("/explanation") { add(503, ["texts_unavailable"]) }
        if ["/api/v1/auth/password", "/api/v1/staff", "/api/v1/staff/{login}/password-reset"].contains(path) && changes {
            add(422, ["password_rejected"])
        }
        return problems.mapValues { Array(Set($0)).sorted() }
    }

    /// The 409 codes of the records a route touches, or `nil` when it cannot conflict.
    private static func conflicts(_ entry: RouteCatalogue.Entry) -> [String]? {
        let path = entry.path
        let changes = entry.method != .get
        switch true {
        case path.hasPrefix("/api/v1/loans") && path.contains("/handouts/"):
            return ["clinic_profile_required", "explanation_language_mismatch", "explanation_changed", "loan_not_overdue"]
        case path.hasPrefix("/api/v1/loans") && changes:
            return ["device_unavailable", "wipe_required", "loan_not_active", "invalid_loan_transition", "clinic_profile_required",
                    "explanation_changed", "consent_exists", "consent_required", "scope_refused", "contact_sheet_required",
                    "contact_sheet_exists"]
        case path.hasPrefix("/api/v1/consents") && changes:
            return ["consent_not_withdrawable", "consent_already_withdrawn"]
        case path.hasPrefix("/api/v1/patients") && changes:
            return ["duplicate_patient_number"]
        case path.hasPrefix("/api/v1/devices") && path.hasSuffix("/sanitizations"):
            return ["wipe_not_pending"]
        case path.hasPrefix("/api/v1/devices") && (path.hasSuffix("/retirement") || path.hasSuffix("/disposal")
                                                  || path.contains("/repair")):
            return ["invalid_device_transition", "disposal_evidence_required"]
        case path.hasPrefix("/api/v1/stocktakes") && changes:
            return ["stocktake_already_open", "stocktake_closed", "stocktake_not_closed", "stocktake_signed_off"]
        case path.hasPrefix("/api/v1/incidents") && changes:
            return ["invalid_device_transition", "incident_report_exists"]
        case path.hasPrefix("/api/v1/devices") && changes:
            return ["duplicate_asset_tag", "duplicate_serial_number"]
        case path.hasPrefix("/api/v1/device-models") && changes:
            return ["duplicate_model"]
        case path.hasPrefix("/api/v1/staff") && changes:
            return ["duplicate_login", "account_change_refused"]
        case path.hasPrefix("/api/v1/reviews/access") && path.hasSuffix("/decisions"):
            return ["review_signed_off"]
        case path.hasPrefix("/api/v1/reviews/access") && path.hasSuffix("/sign-off"):
            return ["review_incomplete", "review_signed_off"]
        case path.hasPrefix("/api/v1/auth/totp"):
            return ["second_factor_already_enrolled", "second_factor_not_started"]
        case path == "/api/v1/clinic" && !changes:
            return ["clinic_profile_required"]
        default:
            return nil
        }
    }
}
