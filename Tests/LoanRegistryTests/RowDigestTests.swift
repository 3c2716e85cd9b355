import Crypto
import Foundation
import GRDB
@testable import LoanRegistry
import Testing

/// Row digests sit in audit events and are recomputed by `verify --deep`: the form must never
/// change, or every database written before would fail its check.
@Suite struct RowDigestTests {
    /// The documented form, spelled out independently of ``RowDigest``.
    private func expected(_ columns: [(String, String)]) -> String {
        let text = columns.map { "\($0.0)=\($0.1)\n" }.joined()
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func everyStorageClassDigestsInTheDocumentedForm() throws {
        let db = try DatabaseQueue()
        let row = try db.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER, b REAL, c TEXT, d BLOB, e TEXT, f TEXT)")
            try db.execute(sql: "INSERT INTO t VALUES (-42, 0.1, '見本 花子\nx', x'00ff10', NULL, '')")
            return try #require(try Row.fetchOne(db, sql: "SELECT * FROM t"))
        }
        #expect(RowDigest.digest(of: row) == expected([
            ("a", "i3:-42"), ("b", "r3:0.1"), ("c", "t15:見本 花子\nx"), ("d", "b6:00ff10"), ("e", "n0:"), ("f", "t0:"),
        ]))
    }

    @Test func aKnownRowKeepsItsKnownDigest() throws {
        // Pinned: a digest recorded by an earlier release must still match.
        let db = try DatabaseQueue()
        let row = try db.write { db in
            try db.execute(sql: "CREATE TABLE t (id TEXT, n INTEGER)")
            try db.execute(sql: "INSERT INTO t VALUES ('x', 1)")
            return try #require(try Row.fetchOne(db, sql: "SELECT * FROM t"))
        }
        #expect(RowDigest.digest(of: row) == expected([("id", "t1:x"), ("n", "i1:1")]))
        #expect(RowDigest.digest(of: row) == "e23a2dae7cc1fec3b169a19af9a8fe35de7d436a8542d1dedd7dd4e9763df0d2")
    }
}
