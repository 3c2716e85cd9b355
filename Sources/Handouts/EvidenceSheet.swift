import Foundation
public import LoanRegistry

/// 証跡報告書: the evidence report on paper for the 企画管理者 (Japanese, staff-facing): each
/// obligation's counts, every exception with its record, the audit verification, and the signed
/// checkpoints, so that paper anchors the audit chain too.
public enum EvidenceSheet {
    /// The printable document of `report`.
    public static func document(_ report: EvidenceReport) -> Document {
        let generated = Timestamp.date(report.generatedAt).map(StocktakeSheet.tokyo) ?? report.generatedAt
        var blocks: [Document.Block] = [
            .keyValues([
                .init("対象期間", "\(report.period.from) 〜 \(report.period.to)"),
                .init("作成", "\(generated)（\(report.generatedBy)）"),
                .init("監査ログの検証", report.auditVerified ? "合格（改ざんは検出されませんでした）" : "不合格（下記の例外を確認してください）"),
                .init("例外", report.exceptions.isEmpty ? "なし" : "\(report.exceptions.count) 件"),
            ]),
        ]
        if !report.exceptions.isEmpty {
            blocks += [.heading("例外（要確認）"),
                       .table(.init(header: ["項目", "内容", "記録"],
                                    rows: report.exceptions.map { [$0.clause == "access" ? "アクセスログ" : $0.clause,
                                                                   exceptionText($0.code), $0.reference] }))]
        }

        let consent = report.consent
        blocks += [
            .heading("⑧ 貸出前の説明・同意・連絡先"),
            .keyValues([
                .init("貸し出した件数", "\(consent.loansHandedOver)"),
                .init("同意・連絡先なしの貸出（0件であること）", "\(consent.handedOverWithoutConsentOrContactSheet)"),
                .init("連絡先のご案内を渡した件数", "\(consent.contactSheetsGiven)"),
                .init("同意しないとされた件数", "\(consent.refusedConsents)"),
                .init("同意の撤回", "\(consent.withdrawals.count)"),
            ]),
        ]
        if !consent.consents.isEmpty {
            blocks.append(.table(.init(header: ["説明文の版", "言語", "判断", "件数"], rows: consent.consents.map {
                ["第\($0.textVersion)版", languageName($0.language), $0.decision == "granted" ? "同意" : "同意しない", "\($0.count)"]
            })))
        }
        if !consent.withdrawals.isEmpty {
            blocks.append(.table(.init(header: ["貸出番号", "撤回日時", "対応"], rows: consent.withdrawals.map {
                [$0.loanNumber, Timestamp.date($0.withdrawnAt).map(StocktakeSheet.tokyo) ?? $0.withdrawnAt,
                 ($0.recoveryRequired ? "機器回収あり。" : "") + $0.actionsTaken]
            })))
        }

        let ledger = report.ledger
        blocks += [.heading("⑦ 台帳と棚卸"),
                   .keyValues(ledger.devicesByStatus.sorted { $0.key < $1.key }.map { .init(statusName($0.key), "\($0.value) 台") })]
        if ledger.stocktakes.isEmpty {
            blocks.append(.paragraph("この期間に棚卸はありません。"))
        } else {
            blocks.append(.table(.init(header: ["棚卸番号", "対象", "所在不明", "想定外", "承認"], rows: ledger.stocktakes.map {
                [$0.number, "\($0.expected)", $0.missing.isEmpty ? "0" : $0.missing.joined(separator: "、"),
                 $0.unexpected.isEmpty ? "0" : $0.unexpected.joined(separator: "、"), $0.signedOffBy ?? "未承認"]
            })))
        }

        blocks.append(.heading("③ 紛失・盗難"))
        if report.incidents.incidents.isEmpty {
            blocks.append(.paragraph("この期間に紛失・盗難はありません。"))
        } else {
            blocks.append(.table(.init(header: ["番号", "種別", "発見日", "速報（期限／提出）", "確報（期限／提出）", "期限"],
                                       rows: report.incidents.incidents.map {
                [$0.number, $0.kind == "stolen" ? "盗難" : "紛失", $0.discoveredOn,
                 "\($0.preliminaryDueOn)／\($0.preliminarySubmittedOn ?? "未提出")", "\($0.finalDueOn)／\($0.finalSubmittedOn ?? "未提出")",
                 ["met": "守られた", "missed": "超過", "open": "期限前", "not_reportable": "報告対象外"][$0.deadlines] ?? $0.deadlines]
            })))
        }

        let deletion = report.deletion
        blocks += [.heading("⑨⑩⑪ データ消去・廃棄"),
                   .keyValues([.init("データ消去", "\(deletion.wipes.count) 件"), .init("廃棄", "\(deletion.disposals.count) 件"),
                               .init("証跡のない廃棄（0件であること）", "\(deletion.disposedWithoutEvidence)")])]
        if !deletion.wipes.isEmpty {
            blocks.append(.table(.init(header: ["資産番号", "方法", "実施", "確認", "日時"], rows: deletion.wipes.map {
                [$0.assetTag, methodName($0.method), $0.performedBy, $0.verifiedBy,
                 Timestamp.date($0.recordedAt).map(StocktakeSheet.tokyo) ?? $0.recordedAt]
            })))
        }
        if !deletion.disposals.isEmpty {
            blocks.append(.table(.init(header: ["資産番号", "方法", "証跡", "証明書番号"], rows: deletion.disposals.map {
                [$0.assetTag, methodName($0.method), evidenceName($0.evidence), $0.certificateNumber ?? "—"]
            })))
        }

        let access = report.accessLogs
        blocks += [.heading("アクセスログ"),
                   .keyValues([
                       .init("患者情報の閲覧", "\(access.reads) 件"),
                       .init("要確認の項目", access.flagsByKind.isEmpty ? "なし"
                             : access.flagsByKind.sorted { $0.key < $1.key }.map { "\(flagName($0.key)) \($0.value)" }.joined(separator: "、")),
                       .init("判断済み", "\(access.decided)（うち要対応 \(access.followUps)）"),
                       .init("点検の承認", access.signedOffBy.map { "\($0)（\(access.signedOffAt.flatMap(Timestamp.date).map(StocktakeSheet.tokyo) ?? "")）" } ?? "未承認"),
                       .init("監査ログの件数", "\(access.auditEvents)"),
                   ])]
        if !access.verificationProblems.isEmpty {
            blocks.append(.list(access.verificationProblems))
        }

        blocks.append(.heading("署名付きチェックポイント（改ざん検知の基準）"))
        if let latest = report.latestCheckpoint {
            blocks.append(.keyValues([
                .init("最新", "第\(latest.number)号　\(Timestamp.date(latest.at).map(StocktakeSheet.tokyo) ?? latest.at)　イベント \(latest.seq)"),
                .init("先頭ハッシュ", latest.headHash),
                .init("公開鍵", latest.publicKey),
                .init("署名", latest.signature),
            ]))
        } else {
            blocks.append(.paragraph("チェックポイントはまだありません。"))
        }
        if !report.dailyCheckpoints.isEmpty {
            // A hash must never be hyphenated or split by a table column: each stands whole as a value.
            blocks.append(.paragraph("各日の最後のチェックポイント（番号・日時・イベント：先頭ハッシュ）"))
            blocks.append(.keyValues(report.dailyCheckpoints.map {
                .init("第\($0.number)号 \(Timestamp.date($0.at).map(StocktakeSheet.tokyo) ?? $0.at) #\($0.seq)", $0.headHash)
            }))
        }
        blocks.append(.keepTogether([.heading("確認"), .signatureLines(["企画管理者", "日付\t年　　　月　　　日"])]))
        return Document(language: "ja", title: "証跡報告書（医療機器の貸出）", header: report.clinicName,
                        footer: "証跡報告書 \(report.period.id)", blocks: blocks)
    }

    static func exceptionText(_ code: String) -> String {
        [
            "handed_over_without_consent": "同意なしで貸し出した",
            "handed_over_without_contact_sheet": "連絡先のご案内を渡さずに貸し出した",
            "stocktake_device_missing": "棚卸で所在不明",
            "stocktake_device_unexpected": "棚卸で想定外の機器",
            "stocktake_not_signed_off": "棚卸が未承認",
            "breach_report_late": "報告が期限を過ぎて提出された",
            "breach_report_overdue": "報告の期限を過ぎている",
            "disposed_without_evidence": "証跡のない廃棄",
            "access_flag_undecided": "アクセスログの要確認項目が未判断",
            "access_flag_follow_up": "アクセスログの要対応項目",
            "access_review_not_signed_off": "アクセスログの点検が未承認",
            "audit_verification_failed": "監査ログの検証に失敗",
        ][code] ?? code
    }

    static func flagName(_ kind: String) -> String {
        ["off_hours": "時間外", "volume": "大量閲覧", "no_care_relationship": "担当外の患者", "failed_sign_ins": "ログイン失敗",
         "lockout": "ロック", "new_address": "新しい接続元"][kind] ?? kind
    }

    static func statusName(_ status: String) -> String {
        ["available": "貸出可", "on_loan": "貸出中", "awaiting_wipe": "データ消去待ち", "in_repair": "修理中", "lost": "紛失・盗難",
         "retired": "使用終了", "disposed": "廃棄済み"][status] ?? status
    }

    static func methodName(_ method: String) -> String {
        ["documented_erase": "手順書による消去", "factory_reset": "初期化", "mdm_wipe": "MDM による消去",
         "vendor_return": "メーカー返却", "physical_destruction": "物理的破壊", "vendor_destruction": "業者による破壊",
         "returned_to_lessor": "リース元へ返却"][method] ?? method
    }

    static func evidenceName(_ evidence: String) -> String {
        ["wipe": "消去の記録", "vendor_certificate": "業者の証明書", "no_patient_data": "患者データなし"][evidence] ?? evidence
    }

    static func languageName(_ language: String) -> String {
        ["ja": "日本語", "ja-easy": "やさしい日本語", "en": "英語"][language] ?? language
    }
}
