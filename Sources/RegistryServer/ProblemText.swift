import LoanRegistry

/// What each problem code means, in Japanese and English: one catalogue for the staff pages'
/// messages and the API's problem titles (`Accept-Language: ja`).
///
/// Words staff can act on, never a code. A code missing here falls back to the English title.
enum ProblemText {
    /// `(ja, en)` per stable problem code.
    static let catalogue: [String: (ja: String, en: String)] = [
        "not_found": ("見つかりません。番号を確かめてください。", "Not found. Check the number."),
        "validation_failed": ("入力を確かめてください。", "Please check the entries."),
        "duplicate_patient_number": ("この患者番号はもう登録されています。", "This patient number is already registered."),
        "duplicate_asset_tag": ("この管理番号はもう登録されています。", "This asset tag is already registered."),
        "device_unavailable": ("この機器は今は貸し出せません（貸出中・消去待ち・修理中など）。", "This device cannot be lent now (on loan, awaiting a wipe, in repair …)."),
        "loan_not_active": ("この貸出は貸出中ではありません。", "This loan is not active."),
        "wipe_required": ("データ消去の記録がまだです。", "The wipe has not been recorded yet."),
        "wipe_not_pending": ("この機器はデータ消去待ちではありません。", "This device is not awaiting a wipe."),
        "invalid_device_transition": ("今の機器の状態ではできません。", "Not possible in the device's present status."),
        "disposal_evidence_required": ("廃棄の前にデータ消去の記録が必要です。", "A wipe record is needed before disposal."),
        "incident_report_exists": ("この報告はもう記録されています。", "This report is already recorded."),
        "stocktake_already_open": ("棚卸がまだ開いています。先に締めてください。", "A stocktake is still open: close it first."),
        "stocktake_closed": ("この棚卸は締められています。", "This stocktake is closed."),
        "stocktake_not_closed": ("棚卸を先に締めてください。", "Close the stocktake first."),
        "stocktake_signed_off": ("この棚卸は承認済みです。", "This stocktake is signed off."),
        "review_incomplete": ("判断のない項目があります。すべての項目を判断してから承認してください。", "Some flags have no decision yet: decide each before signing off."),
        "review_signed_off": ("この期間の点検は承認済みです。", "This period's review is already signed off."),
        "invalid_loan_transition": ("今の貸出の状態ではできません。", "Not possible in the loan's present state."),
        "clinic_profile_required": ("医療機関の情報がまだ登録されていません。管理者に連絡してください。", "The clinic's details are not set yet; ask a manager."),
        "texts_unavailable": ("説明文が読み込めません。管理者に連絡してください。", "The explanation texts cannot be read; ask a manager."),
        "explanation_changed": ("説明の内容が変わりました。新しい説明で、もう一度説明と同意をお願いします。", "The explanation has changed: explain again and take consent on the new one."),
        "consent_exists": ("同意はもう記録されています。", "The consent is already recorded."),
        "consent_required": ("同意がまだです。", "Consent has not been taken yet."),
        "scope_refused": ("患者さんがメーカーのクラウドへの送信に同意していません。この機種は貸し出せません。貸出を取り消し、データを送信しない機種をご検討ください。",
                          "The patient did not agree to the maker's cloud this model needs: cancel and lend a model that keeps its data."),
        "contact_sheet_required": ("連絡先のご案内をお渡しください。", "Give the patient the contact sheet."),
        "consent_not_withdrawable": ("この同意は撤回できません。", "This consent cannot be withdrawn."),
        "consent_already_withdrawn": ("この同意はもう撤回されています。", "This consent is already withdrawn."),
        "contact_sheet_exists": ("連絡先のご案内はもう記録されています。", "The contact sheet is already recorded."),
        "invalid_credentials": ("ログインID、パスワードまたは確認コードが正しくありません。", "The login, password or code is not correct."),
        "account_locked": ("失敗が続いたためロックされています。しばらく待つか、管理者に解除を依頼してください。", "Locked after too many failed sign-ins; wait, or ask an administrator."),
        "account_disabled": ("このアカウントは使えません。管理者に連絡してください。", "This account is disabled; ask an administrator."),
        "password_change_required": ("初期パスワードか期限切れのパスワードです。先に変更してください。", "Change the initial or expired password first."),
        "second_factor_required": ("認証アプリの6桁のコードを入力してください。", "Enter the 6-digit code from the authenticator app."),
        "second_factor_enrolment_required": ("この役割には二要素認証が必要です。管理者に登録を依頼してください。", "This role needs a second factor; ask an administrator to enrol one."),
        "authentication_required": ("サインインしてください。", "Please sign in."),
        "token_expired": ("サインインの有効期間が終わりました。もう一度サインインしてください。", "The sign-in has expired; sign in again."),
        "token_revoked": ("サインインが終了しました。もう一度サインインしてください。", "The sign-in has ended; sign in again."),
        "forbidden": ("この操作はあなたの役割ではできません。", "Your role may not do this."),
        "password_rejected": ("このパスワードは使えません。", "This password is not accepted."),
        "busy": ("混み合っています。少し待ってからもう一度お試しください。", "Busy: try again in a moment."),
        "explanation_language_mismatch": ("この言語の説明はありません。", "There is no explanation in this language."),
        "loan_not_overdue": ("この貸出は返却期限を過ぎていません。", "This loan is not overdue."),
        "precondition_failed": ("ほかの人が先に変更しました。もう一度開いてください。", "Someone else changed it first: open it again."),
        "constraint_violated": ("この値は登録できません。", "This value cannot be stored."),
        "writes_unavailable": ("閲覧はできますが、変更を保存できません。管理者に連絡してください。", "Reads work, but changes cannot be saved; tell the administrator."),
        "integrity_failed": ("データベースのファイルに損傷が見つかりました。管理者に連絡してください。", "The database file is damaged; tell the administrator."),
        "database_unavailable": ("データベースが使えません。少し待ってからもう一度お試しください。", "The database is unavailable; try again shortly."),
        "csrf_token_invalid": ("画面が古くなっています。開き直してからもう一度お試しください。", "This page is out of date: reload it and try again."),
        "internal_error": ("処理できませんでした。何も変更されていません。", "The request could not be completed; nothing was changed."),
    ]

    /// The message for `code` in Japanese (`japanese`) or English, if the catalogue has it.
    static func text(_ code: String, japanese: Bool) -> String? {
        catalogue[code].map { japanese ? $0.ja : $0.en }
    }
}
