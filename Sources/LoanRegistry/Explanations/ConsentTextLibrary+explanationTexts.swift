import Foundation

extension ConsentTextLibrary {
    /// The newest released version holding every text of ``ExplanationTexts/requiredTexts`` in `language`.
    ///
    /// Only released files are used, and each must still match the lock byte for byte: a patient
    /// is never shown a draft or a silently edited text.
    ///
    /// - Throws: ``RegistryError/textsUnavailable(reason:)`` when no complete released version
    ///   exists, a released file changed, or a file lacks an item of the catalogue.
    ///
    /// With `version`, exactly that released version (the one a snapshot was rendered from, so a
    /// handout printed later speaks with the same words).
    public func explanationTexts(language: Patient.Language, version wanted: Int? = nil) throws -> ExplanationTexts {
        let lock: [String: String]
        do {
            lock = try self.lock()
        } catch {
            throw RegistryError.textsUnavailable(reason: "cannot read \(Self.lockName) in \(directory.path)")
        }
        let versions = Set(lock.keys.compactMap { path -> Int? in
            guard path.hasPrefix("v"), let slash = path.firstIndex(of: "/") else { return nil }
            return Int(path[path.index(after: path.startIndex)..<slash])
        })
        let paths = { (version: Int) in ExplanationTexts.requiredTexts.map { "v\(version)/\(language.rawValue)/\($0).md" } }
        let candidates = wanted.map { [$0] } ?? versions.sorted(by: >)
        guard let version = candidates.first(where: { paths($0).allSatisfy { lock[$0] != nil } }) else {
            throw RegistryError.textsUnavailable(
                reason: wanted.map { "released version \($0) of the texts is not complete for language \(language.rawValue)" }
                    ?? "no released version of the texts in \(directory.path) is complete for language \(language.rawValue)")
        }
        var files: [String: ConsentTextFile] = [:]
        var hashes: [String: String] = [:]
        for (name, path) in zip(ExplanationTexts.requiredTexts, paths(version)) {
            let data: Data
            do {
                data = try Data(contentsOf: directory.appendingPathComponent(path))
            } catch {
                throw RegistryError.textsUnavailable(reason: "released text \(path) is missing")
            }
            let hash = ContentHash.sha256(data)
            guard hash == lock[path] else {
                throw RegistryError.textsUnavailable(reason: "released text \(path) was changed after release")
            }
            do {
                files[name] = try ConsentTextFile(contents: String(decoding: data, as: UTF8.self), name: path)
            } catch let error as ConsentTextFile.FormatError {
                throw RegistryError.textsUnavailable(reason: error.description)
            }
            hashes[path] = hash
        }
        let texts: ExplanationTexts
        do {
            texts = try ExplanationTexts(version: version, language: language, files: files, fileHashes: hashes)
        } catch let error as ConsentTextFile.FormatError {
            throw RegistryError.textsUnavailable(reason: error.description)
        }
        if let missing = texts.missingKeys.first {
            throw RegistryError.textsUnavailable(reason: "v\(version)/\(language.rawValue) lacks \(missing)")
        }
        return texts
    }
}

/// The explanation texts of every language, read before a write that picks one inside it.
struct ExplanationTextsByLanguage: Sendable {
    private let results: [Patient.Language: Result<ExplanationTexts, RegistryError>]

    init(_ results: [Patient.Language: Result<ExplanationTexts, RegistryError>]) {
        self.results = results
    }

    /// The texts of `language`, or why they cannot be used.
    func texts(_ language: Patient.Language) throws -> ExplanationTexts {
        guard let result = results[language] else {
            throw RegistryError.textsUnavailable(reason: "no texts for \(language.rawValue)")
        }
        return try result.get()
    }
}

extension ConsentTextLibrary {
    /// ``explanationTexts(language:)`` for every language, each with its own outcome.
    func explanationTextsByLanguage() -> ExplanationTextsByLanguage {
        var results: [Patient.Language: Result<ExplanationTexts, RegistryError>] = [:]
        for language in Patient.Language.allCases {
            do {
                results[language] = .success(try explanationTexts(language: language))
            } catch let error as RegistryError {
                results[language] = .failure(error)
            } catch {
                results[language] = .failure(.textsUnavailable(reason: "cannot read the \(language.rawValue) texts"))
            }
        }
        return ExplanationTextsByLanguage(results)
    }
}
