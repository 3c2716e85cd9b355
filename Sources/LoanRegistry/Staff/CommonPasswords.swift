/// The common-password list a new password is checked against (``PasswordPolicy``).
///
/// The 10,000 most frequent passwords of zxcvbn's list (see `CommonPasswords+list.swift` for the
/// source and its MIT licence), lower-cased.
enum CommonPasswords {
    /// The list as a set, built once.
    static let set: Set<Substring> = Set(list.split(separator: "\n"))

    /// Whether `password` is, or is built on, a common password: the whole password, or its
    /// letters and digits, or its letters alone (`Password123!` is `password`).
    static func contains(_ password: String) -> Bool {
        let lowered = password.lowercased()
        let alphanumeric = String(lowered.filter { $0.isLetter || $0.isNumber })
        let letters = String(lowered.filter(\.isLetter))
        return [lowered, alphanumeric, letters].contains { $0.count >= 4 && set.contains(Substring($0)) }
    }
}
