/// The templates and static files of the staff pages, compiled into the binary from
/// `Pages/Templates` and `Pages/Static` (SwiftPM `embedInCode`), like the SQL migrations.
enum PageAssets {
    /// Every template by name (the file name without `.mustache`).
    static let templates: [(String, [UInt8])] = [
        ("layout", PackageResources.layout_mustache),
        ("signin", PackageResources.signin_mustache),
        ("password", PackageResources.password_mustache),
        ("today", PackageResources.today_mustache),
        ("error", PackageResources.error_mustache),
        ("patients", PackageResources.patients_mustache),
        ("patient", PackageResources.patient_mustache),
        ("patient-form", PackageResources.patient_form_mustache),
        ("loan-new", PackageResources.loan_new_mustache),
        ("loan", PackageResources.loan_mustache),
        ("explanation", PackageResources.explanation_mustache),
        ("sign", PackageResources.sign_mustache),
        ("return-find", PackageResources.return_find_mustache),
        ("return", PackageResources.return_mustache),
        ("receipt", PackageResources.receipt_mustache),
        ("wipe", PackageResources.wipe_mustache),
        ("devices", PackageResources.devices_mustache),
        ("device", PackageResources.device_mustache),
        ("device-new", PackageResources.device_new_mustache),
        ("overdue", PackageResources.overdue_mustache),
        ("stocktake", PackageResources.stocktake_mustache),
        ("stocktake-scan", PackageResources.stocktake_scan_mustache),
        ("model-form", PackageResources.model_form_mustache),
        ("incidents", PackageResources.incidents_mustache),
        ("accounts", PackageResources.accounts_mustache),
        ("review", PackageResources.review_mustache),
        ("evidence", PackageResources.evidence_mustache),
        ("audit", PackageResources.audit_mustache),
    ]

    /// Static files by name, with their content type.
    static let files: [String: (type: String, bytes: [UInt8])] = [
        "app.css": ("text/css; charset=utf-8", PackageResources.app_css),
        "site.js": ("text/javascript; charset=utf-8", PackageResources.site_js),
        "signature-pad.js": ("text/javascript; charset=utf-8", PackageResources.signature_pad_js),
        "scan.js": ("text/javascript; charset=utf-8", PackageResources.scan_js),
    ]
}
