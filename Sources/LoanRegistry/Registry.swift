public import Foundation
package import GRDB
public import Logging
import Synchronization

/// The loan registry: one SQLite database, its single group-commit writer, and the domain services.
///
/// Open it once per process with ``open(at:clock:migrator:texts:logger:passwordHasher:)``; every face (REST, CLI)
/// goes through the same instance, so every rule and every audit event lives here.
public final class Registry: Sendable {
    /// The database file.
    public let path: String
    /// The clock every stored time comes from.
    public let clock: RegistryClock
    /// The only writer. Every change goes through it, batched into group commits. Not public:
    /// the registry exposes operations, not its database (package access for tests and benchmarks).
    package let writer: GroupCommitWriter
    /// Device models and devices (the ledger, guideline ⑦).
    public var ledger: Ledger { Ledger(writer: writer, registry: self) }
    /// Loss and theft: incidents and their reports.
    public var incidents: Incidents { Incidents(writer: writer, registry: self) }
    /// Stocktakes of the ledger.
    public var stocktakes: Stocktakes { Stocktakes(writer: writer, registry: self) }
    /// Patients, with audited reads.
    public var patients: Patients { Patients(writer: writer, registry: self) }
    /// Loans: register (with their explanation), change, record the contact sheet, hand over
    /// through the gate, return, cancel, overdue.
    public var loans: Loans { Loans(writer: writer, registry: self) }
    /// Consent decisions and withdrawals.
    public var consents: Consents { Consents(writer: writer, registry: self) }
    /// The clinic profile.
    public var clinic: Clinic { Clinic(writer: writer, registry: self) }
    /// The audit log: browse its events, verify it.
    public var auditTrail: AuditTrail { AuditTrail(writer: writer, registry: self) }
    /// The evidence report for the planning manager.
    public var evidence: EvidenceReports { EvidenceReports(writer: writer, registry: self) }
    /// Access-log review: flags, decisions, sign-offs.
    public var reviews: AccessReviews { AccessReviews(writer: writer, registry: self) }
    /// Staff accounts, sign-in, sessions, the second factor and the sign-in settings.
    public var staff: StaffAccounts { StaffAccounts(writer: writer, registry: self) }
    /// Hashes and verifies passwords (Argon2id) off the cooperative pool.
    public let passwordHasher: PasswordHasher
    /// Failed sign-ins of logins that do not exist (see ``StaffAccounts/signIn(_:)``).
    let unknownLogins = UnknownLoginAttempts()
    /// Password checks in progress per account (see ``StaffAccounts/signIn(_:)``).
    let attemptsInFlight = AttemptsInFlight()
    /// The sign-in settings as last read, for the per-request token check (see
    /// ``StaffAccounts/authenticate(token:kind:)``).
    /// Sign-ins recently read, so most requests authenticate without a database read; emptied by
    /// every commit that changes sessions, accounts or the sign-in settings.
    let sessionCache: SessionCache
    /// Where ``read(_:)`` runs: one thread per reader connection at most.
    let readQueue = BoundedBlockingQueue(label: "loan-registry.read", width: Registry.readerCount, capacity: 65_536)
    /// GRDB's reader connections (its default).
    static let readerCount = 5
    /// The explanation, consent and contact texts every explanation is rendered from.
    public let texts: ConsentTextLibrary
    /// Connections for reads (WAL readers) and the writer GRDB serialises.
    let pool: DatabasePool
    let logger: Logger
    /// The migrations this registry applied, to compare the database's triggers with.
    let migrator: Migrator
    /// The last consistency check of the file (at open, then whenever ``checkIntegrity(_:)`` runs).
    let integrity: Mutex<IntegrityReport>
    /// When a write probe last ran while writes were failing (see ``writeStatus()``).
    let lastWriteProbe = Mutex<ContinuousClock.Instant?>(nil)
    /// The last backup this process wrote (see ``backup(to:checkpoints:by:)``).
    let lastBackupOutcome = Mutex<BackupOutcome?>(nil)
    /// Copies the WAL into the main file off the writer (see ``WALCheckpointer``).
    let walCheckpointer: WALCheckpointer

    private init(path: String, pool: DatabasePool, clock: RegistryClock, texts: ConsentTextLibrary, logger: Logger,
                 passwordHasher: PasswordHasher, migrator: Migrator, integrity: IntegrityReport, groupCommit: Bool,
                 walCheckpointer: WALCheckpointer) {
        self.path = path
        self.walCheckpointer = walCheckpointer
        self.integrity = Mutex(integrity)
        self.migrator = migrator
        self.passwordHasher = passwordHasher
        self.pool = pool
        self.clock = clock
        self.texts = texts
        self.logger = logger
        let sessionCache = SessionCache()
        self.sessionCache = sessionCache
        self.writer = GroupCommitWriter(pool, maximumBatch: groupCommit ? 512 : 1,
                                        afterSignInChange: { sessionCache.invalidate() })
    }

    /// Opens (creating if needed) the database at `path`, checks it and applies pending migrations.
    ///
    /// `texts` is the `ConsentTexts/` directory explanations are rendered from; it is read when
    /// an explanation is rendered, so newly released versions are used without a restart.
    ///
    /// The database runs in WAL mode with `synchronous=FULL` (an acknowledged write survives a
    /// power cut), foreign keys on and a busy timeout.
    ///
    /// - Parameters:
    ///   - integrityCheck: the check run before anything else: `quick_check` (default) or the
    ///     full `integrity_check`, which also compares indexes with their tables.
    ///   - groupCommit: `false` commits every write on its own (for the benchmark that compares).
    /// - Throws: ``StorageError`` when the file cannot be opened, fails its integrity check,
    ///   carries a migration whose text changed, or is newer than this binary.
    public static func open(
        at path: String,
        clock: RegistryClock = .system,
        migrator: Migrator? = nil,
        texts: ConsentTextLibrary = ConsentTextLibrary(directory: URL(fileURLWithPath: "ConsentTexts")),
        logger: Logger = Logger(label: "loan-registry"),
        passwordHasher: PasswordHasher = PasswordHasher(),
        integrityCheck: IntegrityCheck = .quick,
        groupCommit: Bool = true
    ) throws -> Registry {
        let pool = try openPool(at: path)
        let walCheckpointer = WALCheckpointer(path: path, logger: logger)
        let migrator = try migrator ?? Migrator(clock: clock)
        let integrity: IntegrityReport
        do {
            integrity = try runIntegrityCheck(integrityCheck, on: pool, at: clock.now())
            guard integrity.passed else {
                throw StorageError.integrityCheckFailed(firstProblem: integrity.firstProblem ?? "no answer")
            }
            let applied = try migrator.migrate(pool)
            try pool.write { db in try Patients.fillSearchKeys(db) }
            pool.writeWithoutTransaction { db in
                RowChanges.install(on: db)
                walCheckpointer.install(on: db)
            }
            try pool.write { db in try RowBaseline.recordIfNeeded(at: clock.now(), in: db) }
            for migration in applied {
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            }
        } catch {
            walCheckpointer.stop()
            pool.writeWithoutTransaction { db in
                RowChanges.uninstall(from: db)
                walCheckpointer.uninstall(from: db)
            }
            try? pool.close()
            throw error
        }
        return Registry(path: path, pool: pool, clock: clock, texts: texts, logger: logger, passwordHasher: passwordHasher,
                        migrator: migrator, integrity: integrity, groupCommit: groupCommit, walCheckpointer: walCheckpointer)
    }

    /// Reads from a WAL snapshot on one of GRDB's reader connections.
    ///
    /// The read runs on ``readQueue`` (at most one thread per reader connection, the rest
    /// waiting in line without a thread), calling GRDB's synchronous `read`, which runs it on
    /// that same thread: one thread hop there and one back. GRDB's async `read` makes three (its
    /// pool's waiting queue, the reader's queue, the caller), which profiled as the largest
    /// single cost of a one-row read over HTTP.
    ///
    /// Not public: reads of patient data go through audited operations (package access for
    /// the registry's own services, tests and benchmarks).
    package func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let pool = self.pool
        do {
            return try await readQueue.run { try pool.read(body) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_MISUSE {
            throw StorageError.unavailable(reason: "the database is closed")
        } catch is BoundedBlockingQueue.Full {
            throw StorageError.unavailable(reason: "the database is busy")
        }
    }

    /// Runs `PRAGMA integrity_check`, walks the audit chain and compares the triggers with the
    /// released ones; with `checkpoints`, checks every signed checkpoint against the chain; with
    /// `deep`, compares every covered row with the digest its latest event recorded.
    ///
    /// - Parameters:
    ///   - trustedKeys: public keys (hex) checkpoints may be signed by, e.g. a copy kept off the
    ///     machine. Empty: the folder's key and keys retired by an audited reset.
    public func verify(deep: Bool = false, checkpoints store: CheckpointStore? = nil,
                       trustedKeys: [String] = []) async throws -> RegistryVerification {
        let migrator = self.migrator
        return try await read { db in
            // The log and the key are files: read on the reader queue, once the snapshot has begun
            // (a checkpoint reaches the log before the chain, so every one the snapshot records is in it).
            _ = try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain_head WHERE id = 1")
            let log = try store?.readLog()
            let currentKey = store?.publicKey()
            return try RegistryVerification.check(db, migrator: migrator, log: log, currentKey: currentKey,
                                                  trustedKeys: trustedKeys, deep: deep)
        }
    }

    /// `true` when the database answers a read.
    public func isHealthy() async -> Bool {
        (try? await read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// Copies every committed write from the WAL into the main file and empties the WAL
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), so the main file alone holds them.
    ///
    /// For the process that owns the database, before ``close()`` (background checkpoints wait
    /// while it runs).
    ///
    /// - Returns: `true` when the whole WAL was copied; `false` when a reader still needed
    ///   part of it (the rest is copied by a later checkpoint).
    @discardableResult
    public func checkpointWAL() throws -> Bool {
        // A background checkpoint would hold the lock this one needs: none runs meanwhile.
        try walCheckpointer.pausing {
            try pool.writeWithoutTransaction { db in
                guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") else { return false }
                return (row[0] as Int?) == 0
            }
        }
    }

    /// Closes every connection. Later calls fail with ``StorageError/unavailable(reason:)``.
    ///
    /// It does not checkpoint the WAL: a command run beside the server must not hold up the
    /// server's writers. The process that owns the database (the server, at a clean stop) calls
    /// ``checkpointWAL()`` first.
    public func close() throws {
        walCheckpointer.stop()
        pool.writeWithoutTransaction { db in
            RowChanges.uninstall(from: db)
            walCheckpointer.uninstall(from: db)
        }
        try pool.close()
    }

    private static func openPool(at path: String) throws -> DatabasePool {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError.cannotOpen(path: path, reason: "cannot create the directory \(directory.path)")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.maximumReaderCount = readerCount
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB turns the writer to synchronous=NORMAL when it enables WAL; an acknowledged
            // write must survive a power cut, so the (single, long-lived) writer goes back to FULL.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Each operation of a group commit runs in its own savepoint, whose undo pages
                // SQLite keeps in a statement journal: a temporary file by default, written page
                // by page (profiled: four in five of the writer's page writes). In memory it
                // holds one batch's pages at most and is gone at the commit; durability rests on
                // the WAL alone either way.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // The writer reads index pages of every table it appends to (the audit log's
                // above all): 16 MiB keeps the hot ones, where SQLite's default keeps 2 MiB.
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
            return pool
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode.primaryResultCode) {
            throw StorageError.integrityCheckFailed(firstProblem: "the file is not a readable SQLite database")
        } catch let error as DatabaseError {
            throw StorageError.cannotOpen(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }

    /// Runs `check` on a reader. A file SQLite finds damaged (or not a database) reports that as its
    /// problem; any other failure (busy, out of memory, closed) means the check could not run and
    /// throws ``StorageError/unavailable(reason:)``, leaving the last report as it was.
    static func runIntegrityCheck(_ check: IntegrityCheck, on reader: any DatabaseReader, at now: Date) throws -> IntegrityReport {
        let start = ContinuousClock.now
        var firstProblem: String?
        do {
            let problems = try reader.read { db in try String.fetchAll(db, sql: "PRAGMA \(check.rawValue)") }
            if problems != ["ok"] { firstProblem = problems.first ?? "no answer" }
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode) {
            firstProblem = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        } catch let error as DatabaseError {
            throw StorageError.unavailable(reason: error.resultCode == .SQLITE_MISUSE ? "the database is closed"
                                           : "the \(check.rawValue) could not run (SQLite \(error.resultCode.primaryResultCode.rawValue))")
        }
        return IntegrityReport(check: check, checkedAt: now, firstProblem: firstProblem,
                               milliseconds: (ContinuousClock.now - start).milliseconds)
    }
}
