import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct StorageSettingsTests {
    @Test func everyConnectionIsDurableWALWithForeignKeys() async throws {
        let test = try await TestRegistry()
        let writerSettings = try await test.registry.writer.write { db in
            [try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA synchronous").map(String.init),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys").map(String.init)]
        }
        #expect(writerSettings == ["wal", "2", "1"])  // synchronous 2 = FULL
        let readerSettings = try await test.registry.read { db in
            [try Int.fetchOne(db, sql: "PRAGMA synchronous").map(String.init),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys").map(String.init)]
        }
        #expect(readerSettings == ["2", "1"])
    }

    @Test func theProcessLoadsExactlyOneSQLiteLibraryTheSystemOne() throws {
        // Foundation's String(contentsOfFile:) stops after the first page of a /proc file.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let libraries = Set(maps.split(separator: "\n").compactMap { line -> String? in
            guard let path = line.split(separator: " ", omittingEmptySubsequences: true).last,
                  path.contains("libsqlite") else { return nil }
            return String(path)
        })
        #expect(libraries.count == 1, "SQLite libraries mapped: \(libraries)")
        #expect(libraries.allSatisfy { $0.hasPrefix("/usr/lib") || $0.hasPrefix("/lib") })
    }

    @Test func closedRegistryReportsUnavailableInsteadOfCrashing() async throws {
        let test = try await TestRegistry()
        #expect(await test.registry.isHealthy())
        try test.registry.close()
        #expect(await test.registry.isHealthy() == false)
    }
}
