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

    /// `transform` applied to each row of `sql`, through the connection's statement cache, while
    /// the statement steps.
    ///
    /// Faster than mapping ``cachedRows(sql:arguments:)`` when rows are read by column name:
    /// a row copied out of its statement finds a column by lower-casing every column name on
    /// each lookup (profiled: most of the time spent building a `Loan` of some sixty columns),
    /// while a row read in place looks names up in a table built once per statement.
    func cachedMap<T>(sql: String, arguments: StatementArguments = StatementArguments(),
                      _ transform: (Row) throws -> T) throws -> [T] {
        let cursor = try Row.fetchCursor(cachedStatement(sql: sql), arguments: arguments)
        var result: [T] = []
        while let row = try cursor.next() { result.append(try transform(row)) }
        return result
    }

    /// `transform` applied to the first row of `sql`, if any (see ``cachedMap(sql:arguments:_:)``).
    func cachedFirst<T>(sql: String, arguments: StatementArguments = StatementArguments(),
                        _ transform: (Row) throws -> T) throws -> T? {
        let cursor = try Row.fetchCursor(cachedStatement(sql: sql), arguments: arguments)
        guard let row = try cursor.next() else { return nil }
        return try transform(row)
    }

    /// Runs `sql` through the connection's statement cache (see ``cachedRows(sql:arguments:)``).
    func cachedExecute(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
