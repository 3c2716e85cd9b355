// registry-bench: measures password hashing, the group-commit writer, the overdue query at a million loans, and handout PDFs.
// Run with `make bench` (release build). Not part of `make test`.
import Foundation
import Handouts
import Synchronization
import GRDB
import LoanRegistry

/// Prints a result line at once (stdout is block-buffered when piped).
func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The figures for `--json FILE` (merged into Benchmarks/results/latest.json by `make bench`).
final class Figures: Sendable {
    private let items = Mutex<[[String: any Sendable]]>([])
    func add(_ name: String, value: Double, unit: String, goal: String? = nil, met: Bool? = nil,
              extra: [String: any Sendable] = [:]) {
        var item: [String: any Sendable] = ["name": name, "value": value, "unit": unit]
        if let goal { item["goal"] = goal }
        if let met { item["met"] = met }
        for (key, value) in extra { item[key] = value }
        items.withLock { $0.append(item) }
    }
    func write(to path: String) throws {
        let list = items.withLock { $0 }
        let object: [String: Any] = ["run": ["date": ISO8601DateFormatter().string(from: Date()),
                                             "host_cores": ProcessInfo.processInfo.activeProcessorCount],
                                     "figures": list]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
let figures = Figures()
let jsonPath: String? = CommandLine.arguments.firstIndex(of: "--json").flatMap {
    CommandLine.arguments.indices.contains($0 + 1) ? CommandLine.arguments[$0 + 1] : nil
}

func ms(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ values: [Duration], _ p: Double) -> Duration {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let path = directory.appendingPathComponent("bench.sqlite").path
let registry = try Registry.open(at: path)

func median(_ values: [Duration]) -> Duration {
    values.sorted()[values.count / 2]
}

func milliseconds(_ duration: Duration) -> String {
    String(format: "%.3f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
}

// 0. Password hashing: Argon2id at the standard cost, one verification at a time and 64 at once
//    (at most one per core runs; the rest wait off the cooperative pool).
let hasher = PasswordHasher()
let encoded = try await hasher.hash("Bench#Password-2026")
var verifications: [Duration] = []
for _ in 0..<20 {
    verifications.append(try await ContinuousClock().measure { _ = try await hasher.verify("Bench#Password-2026", against: encoded) })
}
let cost = hasher.cost
figures.add("sign-in KDF (Argon2id verification)", value: ms(median(verifications)), unit: "ms median",
            extra: ["memory_mib": cost.memoryKiB / 1024, "iterations": Int(cost.iterations)])
report("password verification, Argon2id m=\(cost.memoryKiB / 1024) MiB t=\(cost.iterations) p=\(cost.parallelism): "
       + "\(milliseconds(median(verifications))) median (min \(milliseconds(verifications.min() ?? .zero)), "
       + "max \(milliseconds(verifications.max() ?? .zero)))")
let burst = try await ContinuousClock().measure {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        for _ in 0..<64 { group.addTask { try await hasher.verify("Bench#Password-2026", against: encoded) } }
        for try await _ in group {}
    }
}
let burstSeconds = Double(burst.components.seconds) + Double(burst.components.attoseconds) / 1e18
report("password verification, 64 at once on \(ProcessInfo.processInfo.activeProcessorCount) cores: "
       + String(format: "%.1f verifications/s", 64 / burstSeconds))
if CommandLine.arguments.contains("kdf") { exit(0) }

// 1a. Group commit on versus off: 64 concurrent audited writers, synchronous=FULL, the same
//     writer with one operation per commit.
var groupCommitRates: [Bool: Double] = [:]
// `registry-bench overdue` runs only the overdue section (for profiling).
let overdueOnly = CommandLine.arguments.contains("overdue")
for on in [true, false] where !overdueOnly {
    let switchPath = directory.appendingPathComponent("group-commit-\(on).sqlite").path
    let switchRegistry = try Registry.open(at: switchPath, groupCommit: on)
    let operations = 4096
    let elapsed = try await ContinuousClock().measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<64 {
                group.addTask {
                    for i in stride(from: worker, to: operations, by: 64) {
                        _ = try await switchRegistry.writer.write { db in
                            try AuditLog.append(.deviceRegistered, entityType: "bench", entityId: String(i), by: .system, at: Date(), in: db)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    let commits = switchRegistry.writer.statistics.commits
    groupCommitRates[on] = Double(operations) / (ms(elapsed) / 1000)
    report(String(format: "group commit %@ (in-process, 64 concurrent writers, synchronous=FULL): %.0f writes/s, %d commits",
                  on ? "on" : "off", groupCommitRates[on] ?? 0, commits))
    try switchRegistry.close()
}
let groupRatio = (groupCommitRates[true] ?? 0) / max(groupCommitRates[false] ?? 1, 1)
if !overdueOnly { figures.add("group commit on vs off, in-process, 64 writers", value: groupRatio, unit: "× off", goal: "≥ 3×", met: groupRatio >= 3,
            extra: ["on_per_s": groupCommitRates[true] ?? 0, "off_per_s": groupCommitRates[false] ?? 0])
report(String(format: "group commit on / off (in-process, 64 writers): %.1f× (goal ≥ 3×: %@)", groupRatio, groupRatio >= 3 ? "met" : "not met")) }

// 1. Group commit: concurrent audited writes.
for concurrency in [1, 16, 256] where !overdueOnly {
    let operations = 4096
    let before = registry.writer.statistics
    let clock = ContinuousClock()
    let elapsed = try await clock.measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for i in stride(from: worker, to: operations, by: concurrency) {
                        _ = try await registry.writer.write { db in
                            try AuditLog.append(.deviceRegistered, entityType: "bench", entityId: String(i),
                                                by: .system, at: Date(), in: db)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    let after = registry.writer.statistics
    let commits = after.commits - before.commits
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    report(String(format: "group commit: %4d concurrent writers, %d writes in %5d commits (%.1f writes/commit), %.0f writes/s",
                 concurrency, operations, commits, Double(operations) / Double(max(commits, 1)), Double(operations) / seconds))
}

// 2. Overdue at a million loans: 20,000 devices each with one active loan, 980,000 returned loans.
let setup = ContinuousClock().measure {
    do {
        // Bulk set-up through a separate connection: synthetic rows, no audit events.
        try DatabaseQueue(path: path).write { db in
            // Synthetic rows skip the lifecycle's start rules (devices start available, loans as
            // drafts): those triggers are set aside for the bulk insert and put back as they were.
            let startRules = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('devices_start_available', 'loans_start_as_drafts')
                """).map { ($0["name"] as String, $0["sql"] as String) }
            for (name, _) in startRules { try db.execute(sql: "DROP TRIGGER \(name)") }
            defer { for (_, sql) in startRules { try? db.execute(sql: sql) } }
            try db.execute(sql: """
                INSERT INTO device_models (id, manufacturer, name, category, security_profile, support_phone, support_hours,
                    support_24_hours, default_loan_days, created_at, created_by)
                VALUES ('00000000-0000-0000-0000-000000000001', 'Bench', 'Holter', 'holter_ecg', '{"storesPatientData":true}',
                    '0120', '9-17', 0, 2, '2026-01-01T00:00:00.000Z', 'bench');
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
                INSERT INTO devices (id, asset_tag, serial_number, model_id, status, created_at, updated_at)
                SELECT printf('00000000-0000-0000-0001-%012d', i), printf('B-%06d', i), printf('S%06d', i),
                       '00000000-0000-0000-0000-000000000001', 'on_loan', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                INSERT INTO patients (id, patient_number, name, language, created_at, updated_at)
                SELECT printf('00000000-0000-0000-0002-%012d', i), printf('P-%06d', i), 'Bench Patient', 'ja',
                       '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
                INSERT INTO loans (id, number, device_id, patient_id, status, start_date, due_date, created_at, created_by,
                    handed_over_at, returned_at, return_condition)
                SELECT printf('00000000-0000-0000-0003-%012d', i), printf('L-%04d-%06d', 2020 + i / 500000, i % 500000),
                       printf('00000000-0000-0000-0001-%012d', (i % 60000) + 1),
                       printf('00000000-0000-0000-0002-%012d', (i % 10000) + 1),
                       CASE WHEN i > 940000 THEN 'active' ELSE 'returned' END,
                       date('2025-01-01', printf('+%d days', i % 300)),
                       CASE WHEN i > 990000 THEN '2026-12-31'
                            WHEN i > 940000 THEN date('2025-01-01', printf('+%d days', i % 300 + 1 + i % 30))
                            ELSE date('2025-01-01', printf('+%d days', i % 600 + 1 + i % 30)) END,
                       '2026-01-01T00:00:00.000Z', 'bench', '2026-01-01T00:00:00.000Z',
                       CASE WHEN i > 940000 THEN NULL ELSE '2026-01-02T00:00:00.000Z' END,
                       CASE WHEN i > 940000 THEN NULL ELSE 'ok' END
                FROM n;
                ANALYZE;
                """)
        }
    } catch {
        fatalError("setup failed: \(error)")
    }
}
report("overdue: set up 1,000,000 loans (60,000 active) in \(milliseconds(setup))")

let asOf = "2026-06-01"
let overdueCount = try await registry.read { db in
    try Int.fetchOne(db, sql: "SELECT count(*) FROM loans WHERE status = 'active' AND due_date < ?", arguments: [asOf]) ?? 0
}
// The bare SQL on the same file, through a plain connection of its own (no registry, no audit).
let bare = try DatabaseQueue(path: path)
var pageTimes: [Duration] = []
for _ in 0..<300 {
    let start = ContinuousClock.now
    _ = try bare.read { db in
        try Row.fetchAll(db, sql: Loans.overdueSQL, arguments: [asOf, nil, nil, nil, 50]).count
    }
    pageTimes.append(ContinuousClock.now - start)
}
try bare.close()
report("overdue: bare SQL, first page of 50 (of \(overdueCount) overdue): p50 \(milliseconds(percentile(pageTimes, 0.5))), "
       + "p99 \(milliseconds(percentile(pageTimes, 0.99))) over 300 runs")

var auditedTimes: [Duration] = []
for _ in 0..<300 {
    let start = ContinuousClock.now
    _ = try await registry.loans.overdue(asOf: LocalDate(asOf), try PageRequest(limit: 50, cursor: nil), by: .system)
    auditedTimes.append(ContinuousClock.now - start)
}
let overdueRatio = ms(percentile(auditedTimes, 0.99)) / ms(percentile(pageTimes, 0.99))
report("overdue: Loans.overdue (query + 50 audited read events, committed): p50 \(milliseconds(percentile(auditedTimes, 0.5))), "
       + "p99 \(milliseconds(percentile(auditedTimes, 0.99))) over 300 runs = "
       + String(format: "%.1f× the bare SQL's p99 (goal ≤ 3×: %@)", overdueRatio, overdueRatio <= 3 ? "met" : "not met"))
figures.add("overdue first page in-process at 1,000,000 loans, \(overdueCount) overdue: bare SQL", value: ms(percentile(pageTimes, 0.99)),
            unit: "ms p99", extra: ["p50_ms": ms(percentile(pageTimes, 0.5)), "p99_ms": ms(percentile(pageTimes, 0.99))])
figures.add("overdue first page in-process at 1,000,000 loans, \(overdueCount) overdue: Loans.overdue (audited)", value: overdueRatio,
            unit: "× bare SQL p99", goal: "≤ 3×", met: overdueRatio <= 3,
            extra: ["p50_ms": ms(percentile(auditedTimes, 0.5)), "p99_ms": ms(percentile(auditedTimes, 0.99))])
let plan = try await registry.read { db in
    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Loans.overdueSQL, arguments: [asOf, nil, nil, nil, 50])
        .map { $0["detail"] as String }.joined(separator: " | ")
}
report("overdue: plan \(plan)")
try registry.close()
if overdueOnly { exit(0) }

// 3. Handouts: warm PDF render time per page, pages/s on every core, memory growth.
let handoutRegistry = try Registry.open(at: directory.appendingPathComponent("handouts.sqlite").path)
try await DemoClinic.seed(handoutRegistry)
let demoPatient = try await handoutRegistry.patients.list(.init(patientNumber: "P-000001"), by: .system).items[0]
let demoLoan = try await handoutRegistry.loans.register(NewLoan(deviceId: "PECG-0001", patientId: demoPatient.id), by: .system)
let facts = try await handoutRegistry.loans.handoutFacts(demoLoan.id, language: nil, by: .system)
try handoutRegistry.close()
// Every handout that applies to a draft loan (a reminder letter needs an overdue one).
let documents = HandoutKind.allCases.compactMap { try? Handout.document($0, facts) }
let renderer = PDFRenderer()

/// Resident set size in MiB, from /proc/self/statm.
func residentMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
    return pages * 4096 / 1_048_576
}

var perPage: [Duration] = []
var totalPages = 0
for round in 1...1_000 {
    let document = documents[round % documents.count]
    let clock = ContinuousClock()
    let start = clock.now
    let output = try renderer.render(document)
    let elapsed = clock.now - start
    totalPages += output.pageCount
    perPage.append(elapsed / output.pageCount)
    if round == 10 { report("handouts: resident memory after 10 renders \(String(format: "%.1f", residentMiB())) MiB") }
}
report("handouts: resident memory after 1,000 renders \(String(format: "%.1f", residentMiB())) MiB")
report("handouts: warm render median \(milliseconds(median(Array(perPage.dropFirst(10))))) per page (\(totalPages) pages, \(documents.count) kinds, ja)")
figures.add("handout PDF render (warm, IPAexGothic)", value: ms(median(Array(perPage.dropFirst(10)))), unit: "ms per page median",
            extra: ["pages": totalPages, "resident_mib": residentMiB()])

let cores = ProcessInfo.processInfo.activeProcessorCount
let parallelClock = ContinuousClock()
let parallelStart = parallelClock.now
let pagesPerWorker = Mutex(0)
DispatchQueue.concurrentPerform(iterations: cores) { _ in
    var pages = 0
    for index in 0..<150 {
        pages += (try? PDFRenderer().render(documents[index % documents.count]).pageCount) ?? 0
    }
    pagesPerWorker.withLock { $0 += pages }
}
let parallelElapsed = parallelClock.now - parallelStart
let parallelSeconds = Double(parallelElapsed.components.seconds) + Double(parallelElapsed.components.attoseconds) / 1e18
report("handouts: \(String(format: "%.0f", Double(pagesPerWorker.withLock { $0 }) / parallelSeconds)) pages/s on \(cores) cores")

// The two Japanese fonts DESIGN §6 allows, on the same documents (a missing font is skipped).
for family in ["IPAexGothic", "Noto Sans CJK JP"] {
    let candidate = PDFRenderer(fontFamily: family)
    guard (try? candidate.checkFont()) != nil else {
        report("handouts: \(family) not installed or cannot draw Japanese; skipped")
        continue
    }
    var times: [Duration] = []
    var bytes = 0
    for round in 0..<300 {
        let clock = ContinuousClock()
        let start = clock.now
        let output = try candidate.render(documents[round % documents.count])
        times.append((clock.now - start) / output.pageCount)
        bytes += output.data.count
    }
    report("handouts: \(family) median \(milliseconds(median(Array(times.dropFirst(10))))) per page, "
           + "\(bytes / 300 / 1024) KiB per document, resident \(String(format: "%.1f", residentMiB())) MiB")
}

// 4. Audit verification: the chain walk (every event's SHA-256 recomputed) in events/s, at a
//    million events; then the deep row check and the whole `verify` (integrity_check included).
let auditPath = directory.appendingPathComponent("audit.sqlite").path
let auditRegistry = try Registry.open(at: auditPath)
let eventTarget = 1_000_000
let fill = try await ContinuousClock().measure {
    for batch in 0..<(eventTarget / 10_000) {
        try await auditRegistry.writer.write { db in
            for i in 0..<10_000 {
                try AuditLog.append(.patientRead, entityType: "patient", entityId: String(format: "00000000-0000-4000-8000-%012d", batch * 10_000 + i),
                                    details: ["page": String(i % 50)], by: .system, at: Date(), in: db)
            }
        }
    }
}
report("audit verify: set up \(eventTarget) events in \(milliseconds(fill))")
var walkTimes: [Duration] = []
var checked = 0
for _ in 0..<5 {
    let clock = ContinuousClock()
    let start = clock.now
    checked = try await auditRegistry.read { db in try AuditChainVerification.verify(db).eventsChecked }
    walkTimes.append(clock.now - start)
}
let walk = median(walkTimes)
let walkSeconds = Double(walk.components.seconds) + Double(walk.components.attoseconds) / 1e18
report("audit verify: chain walk of \(checked) events median \(milliseconds(walk)) over 5 runs = "
       + String(format: "%.0f events/s (goal ≥ 500,000)", Double(checked) / walkSeconds))
figures.add("audit verify, chain walk at \(checked) events", value: Double(checked) / walkSeconds, unit: "events/s",
            goal: "≥ 500,000", met: Double(checked) / walkSeconds >= 500_000)
let whole = try await ContinuousClock().measure { _ = try await auditRegistry.verify(deep: true) }
report("audit verify: whole verify --deep (integrity_check, chain, triggers, rows) \(milliseconds(whole))")
figures.add("whole verify --deep at \(checked) events", value: ms(whole), unit: "ms")
try auditRegistry.close()
if let jsonPath { try figures.write(to: jsonPath) }
