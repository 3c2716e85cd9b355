import GRDB

extension Database {
    /// The rows of `sql`, through the connection's statement cache.
    ///
    /// A statement prepared afresh runs SQLite's authorizer over every column it reads (GRDB
    /// records the tables a statement touches); profiled on the staff pages, that preparation was
    /// a third of the writer's time. Only for SQL fixed at compile time: the cache keeps every
    /// distinct text it sees.
    func cachedRows(sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    /// The first row of `sql`, if any, through the connection's statement cache (see ``cachedRows(sql:arguments:)``).
    func cachedRow(sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// Runs `sql` through the connection's statement cache (see ``cachedRows(sql:arguments:)``).
    func cachedExecute(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
