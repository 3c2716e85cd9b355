import Foundation
import LoanRegistry

/// The fixed wording of the handouts' frames, per language (the explanation itself comes from
/// `ConsentTexts`). Version ``version`` of this wording is printed as part of the handout version.
struct HandoutLabels {
    static let version = 2

    let language: Patient.Language

    private static let ja: [String: String] = [
        "explanation.title": "貸出機器の情報セキュリティに関する説明書",
        "consent.title": "医療機器の貸出しに関する同意書",
        "contact.title": "連絡先のご案内",
        "patient": "患者さん", "patientNumber": "診察券番号", "device": "機器", "asset": "資産番号", "serial": "製造番号",
        "loan": "貸出番号", "period": "貸出期間", "start": "貸出日", "due": "返却期限",
        "explanationVersion": "説明文", "items": "説明した項目",
        "ticks": "確認事項（□に✓をつけてください）",
        "tick.understood": "説明書の内容（情報セキュリティ上のリスクと注意事項）について説明を受け、理解しました。",
        "tick.contact": "連絡先のご案内を受け取りました。",
        "signatures": "署名",
        "sign.patient": "ご本人署名", "sign.proxy": "代諾者署名", "sign.relationship": "続柄・代諾の理由",
        "sign.date": "日付\t年　　　月　　　日", "sign.staff": "説明者（職員）", "sign.witness": "立会人",
        "addressee": "{clinic}　院長　殿",
        "scope": "同意の範囲（それぞれ、はい・いいえのどちらかに✓をつけてください）",
        "scope.cloud": "測定データがメーカー等のサーバ（{destination}）へ送られることに同意しますか。",
        "scope.sharing": "共有機能を使うことに同意しますか（任意）。",
        "scope.research": "データを研究に利用することに同意しますか（任意・別途説明）。",
        "yes": "はい", "no": "いいえ", "no.cloud": "いいえ（この機器はデータを送らないと使えないため、お貸しできません）",
        "withdraw": "同意はいつでも撤回できます。撤回するときは、{desk} へお申し出ください。撤回しても、今後の診療で不利益を受けることはありません。",
        "clinic": "当院", "afterHours": "夜間・休日", "makerSupport": "機器のサポート窓口", "privacy": "個人情報の窓口・同意の撤回",
        "reaches.clinic": "当院につながります", "reaches.maker": "機器メーカーにつながります", "reaches.supplier": "販売業者につながります",
        "hours24": "24時間", "data": "データの送信先", "data.none": "機器の中だけに記録されます（外部へは送信しません）",
        "data.cloud": "{operator}（{region}）",
        "section.contacts": "困ったときの連絡先", "section.device": "お貸しする機器", "section.return": "返却について",
        "return.how": "返却期限までに、付属品もそろえて当院 {department} の窓口へお持ちください。",
        "accessories": "付属品", "accessories.value": "貸出時にお渡ししたものすべて（充電器・ケーブル・ケース等）",
        "section.lost": "なくしたとき・盗まれたとき", "section.fault": "故障かなと思ったとき",
        "section.precautions": "この機器で特にお守りいただきたいこと", "section.risks": "説明を受けたリスク（要点）", "section.privacy": "個人情報について",
        "privacy.text": "測定データは診療のために使い、当院の担当者と、送信がある場合は機器の事業者が扱います。同意はいつでも撤回でき、下記の窓口で受け付けます。",
        "section.control": "文書管理", "handoutVersion": "配布文書", "code": "照合コード",
        "qr.caption": "貸出番号 {number}\n照合コード {code}\n（説明書の内容が変わっていないことの確認に使います）",
        "hash": "ハッシュ",
    ]

    private static let en: [String: String] = [
        "explanation.title": "Information-security explanation for your loaned device",
        "consent.title": "Consent to borrow a medical device",
        "contact.title": "Who to contact",
        "patient": "Patient", "patientNumber": "Patient number", "device": "Device", "asset": "Asset no.", "serial": "Serial no.",
        "loan": "Loan number", "period": "Loan period", "start": "Start", "due": "Return by",
        "explanationVersion": "Explanation", "items": "Items explained",
        "ticks": "Please tick each box",
        "tick.understood": "I was given the explanation of the information-security risks and precautions, and I understand it.",
        "tick.contact": "I received the contact sheet.",
        "signatures": "Signatures",
        "sign.patient": "Patient's signature", "sign.proxy": "Proxy's signature", "sign.relationship": "Relationship and reason",
        "sign.date": "Date (year / month / day)", "sign.staff": "Explained by (staff)", "sign.witness": "Witness",
        "addressee": "To the Director, {clinic}",
        "scope": "What you agree to (tick yes or no for each)",
        "scope.cloud": "Do you agree that measurements are sent to the maker's server ({destination})?",
        "scope.sharing": "Do you agree to use the sharing feature (optional)?",
        "scope.research": "Do you agree that your data may be used for research (optional, explained separately)?",
        "yes": "Yes", "no": "No", "no.cloud": "No (this device cannot work without sending its data, so it cannot be lent)",
        "withdraw": "You can withdraw your consent at any time: tell {desk}. Withdrawing will not affect your care.",
        "clinic": "Our clinic", "afterHours": "Nights and holidays", "makerSupport": "Device support",
        "privacy": "Privacy desk and withdrawing consent",
        "reaches.clinic": "reaches our clinic", "reaches.maker": "reaches the device maker", "reaches.supplier": "reaches the supplier",
        "hours24": "24 hours", "data": "Where the data goes", "data.none": "It stays on the device (nothing is sent out).",
        "data.cloud": "{operator} ({region})",
        "section.contacts": "When you need help", "section.device": "The device we lend you", "section.return": "Returning it",
        "return.how": "By the due date, bring the device with all its accessories to the {department} desk.",
        "accessories": "Accessories", "accessories.value": "Everything handed to you with it (charger, cable, case …)",
        "section.lost": "If it is lost or stolen", "section.fault": "If it seems faulty",
        "section.precautions": "What to take care of with this device", "section.risks": "The risks explained to you", "section.privacy": "Your personal data",
        "privacy.text": "Your measurements are used for your care and handled by our staff and, where the device sends data, by its operator. You can withdraw your consent at any time at the desk below.",
        "section.control": "Document control", "handoutVersion": "Handout", "code": "Check code",
        "qr.caption": "Loan {number}\nCheck code {code}\n(confirms the explanation has not changed)",
        "hash": "hash",
    ]

    subscript(_ key: String, _ values: [String: String] = [:]) -> String {
        ExplanationTexts.fill((language == .ja ? Self.ja : Self.en)[key] ?? key, values)
    }
}
