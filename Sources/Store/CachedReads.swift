import GRDB

// Reads by statements prepared once per connection (GRDB's statement cache), for the reads a key
// makes at every selection: the detail pane's dozen small queries each cost more to prepare than
// to run (benchmarks-log.md, "A view's first window"). Only for SQL whose text is one of a few
// (no lists of ids spelled out), so the cache stays small.

extension Row {
  static func fetchAll(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments())
    throws -> [Row]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
  }

  static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments())
    throws -> Row?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
  static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments())
    throws -> Self?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }
}
