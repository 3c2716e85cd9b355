public import Foundation

/// The folder scheduled backups go to: one `registry-YYYYMMDD-HHMMSS.sqlite` file (UTC time)
/// and its `.audit` folder per backup, the newest `keep` kept.
public struct BackupFolder: Sendable {
    /// The folder.
    public let directory: URL
    /// How many backups to keep; older ones are removed after each new one verifies.
    public let keep: Int

    /// Backups in `directory`, keeping the newest `keep`.
    public init(directory: URL, keep: Int) {
        self.directory = directory
        self.keep = max(1, keep)
    }

    /// The file name for a backup taken at `date`.
    public func file(at date: Date) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return directory.appendingPathComponent("registry-\(formatter.string(from: date)).sqlite")
    }

    /// When the newest backup in the folder was taken (from its name), if there is one.
    public func newestBackupDate() -> Date? {
        guard let name = backups().last?.deletingPathExtension().lastPathComponent.dropFirst("registry-".count) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.date(from: String(name))
    }

    /// The verified backups in the folder, oldest first (not `.failed` or `.partial` files).
    public func backups() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            name.hasPrefix("registry-") && name.hasSuffix(".sqlite") && name.count == "registry-YYYYMMDD-HHMMSS.sqlite".count
        }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Removes the oldest backups (and their `.audit` folders) beyond `keep`, and failed or
    /// unfinished copies older than the oldest backup kept. Off the cooperative pool.
    ///
    /// - Returns: the files removed.
    @discardableResult
    public func prune() async -> [URL] {
        let folder = self
        return (try? await BlockingWork.run { folder.pruneNow() }) ?? []
    }

    private func pruneNow() -> [URL] {
        let all = backups()
        var removed = all.count > keep ? Array(all.prefix(all.count - keep)) : []
        if let oldestKept = all.dropFirst(removed.count).first?.lastPathComponent {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            removed += names.filter { name in
                name.hasPrefix("registry-") && (name.hasSuffix(".sqlite.failed") || name.hasSuffix(".sqlite.partial"))
                    && name < oldestKept
            }.map { directory.appendingPathComponent($0) }
        }
        for file in removed {
            try? FileManager.default.removeItem(at: file)
            let base = file.path.replacingOccurrences(of: ".failed", with: "").replacingOccurrences(of: ".partial", with: "")
            try? FileManager.default.removeItem(at: CheckpointStore.defaultDirectory(forDatabase: base))
        }
        return removed
    }
}
