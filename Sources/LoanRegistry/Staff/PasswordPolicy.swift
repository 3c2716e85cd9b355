import Foundation

/// The password rules of the MHLW guideline 6.0 (Q&A, System Operations ch. 14), checked all at
/// once so staff see every problem in one answer.
///
/// - Without a second factor: at least 13 characters, mixing letters, digits and symbols.
/// - With a second factor (TOTP): at least 8, mixing the same three kinds.
/// - Not containing the login, a part of the person's name or the clinic's name; not a common
///   password (``CommonPasswords``); not one of the account's last 5 (checked by the registry).
public struct PasswordPolicy: Sendable {
    /// One rule a password broke.
    public enum Violation: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
        case tooShort = "too_short"
        case tooLong = "too_long"
        case missingLetter = "missing_letter"
        case missingDigit = "missing_digit"
        case missingSymbol = "missing_symbol"
        case controlCharacter = "control_character"
        case containsLogin = "contains_login"
        case containsName = "contains_name"
        case containsClinicName = "contains_clinic_name"
        case common = "common_password"
        case reused = "reused"

        public var description: String { rawValue }
    }

    /// Longest password accepted (characters).
    public static let maximumLength = 128

    /// The minimum length for an account with (`true`) or without a second factor.
    public static func minimumLength(withSecondFactor: Bool) -> Int {
        withSecondFactor ? 8 : 13
    }

    let login: String
    let displayName: String
    let clinicName: String?
    let withSecondFactor: Bool

    /// The rules for one account.
    public init(login: String, displayName: String, clinicName: String?, withSecondFactor: Bool) {
        self.login = login
        self.displayName = displayName
        self.clinicName = clinicName
        self.withSecondFactor = withSecondFactor
    }

    /// Every rule `password` breaks (except reuse, which needs the stored history).
    public func violations(of password: String) -> [Violation] {
        var found: [Violation] = []
        let minimum = Self.minimumLength(withSecondFactor: withSecondFactor)
        if password.count < minimum { found.append(.tooShort) }
        if password.count > Self.maximumLength { found.append(.tooLong) }
        if !password.contains(where: { $0.isLetter }) { found.append(.missingLetter) }
        if !password.contains(where: { $0.isNumber }) { found.append(.missingDigit) }
        if !password.contains(where: { !$0.isLetter && !$0.isNumber && !$0.isWhitespace }) { found.append(.missingSymbol) }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            found.append(.controlCharacter)
        }
        let folded = Self.fold(password)
        if login.count >= 2, folded.contains(Self.fold(login)) { found.append(.containsLogin) }
        let nameParts = displayName.split(whereSeparator: { $0.isWhitespace || $0 == "・" })
            .map { Self.fold(String($0)) }.filter { $0.count >= 2 }
        if nameParts.contains(where: { folded.contains($0) }) { found.append(.containsName) }
        if let clinicName, case let clinic = Self.fold(clinicName), clinic.count >= 2, folded.contains(clinic) {
            found.append(.containsClinicName)
        }
        if CommonPasswords.contains(password) { found.append(.common) }
        return found
    }

    /// Case-, width- and space-insensitive form for the "contains" rules.
    static func fold(_ text: String) -> String {
        String(text.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace })
    }
}

extension PasswordPolicy.Violation {
    /// What the rule asks, in words staff can act on.
    public var message: String {
        switch self {
        case .tooShort: "is too short: at least 13 characters, or 8 with a second factor (TOTP)"
        case .tooLong: "is too long: at most \(PasswordPolicy.maximumLength) characters"
        case .missingLetter: "must contain a letter"
        case .missingDigit: "must contain a digit"
        case .missingSymbol: "must contain a symbol (e.g. ! # % + - = ? @)"
        case .controlCharacter: "must not contain control characters"
        case .containsLogin: "must not contain the login"
        case .containsName: "must not contain the person's name"
        case .containsClinicName: "must not contain the clinic's name"
        case .common: "is a common password or built on one"
        case .reused: "was used recently: choose one not among the last 5"
        }
    }
}
