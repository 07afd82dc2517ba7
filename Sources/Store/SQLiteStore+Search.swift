import Foundation
import GRDB
import Inbox
import Policy

/// Search over the mentions the full-text index has not taken in yet (above
/// `search_indexed_upto`): the same rule as the index's query, in Swift, so a store that no inbox
/// has indexed is still searched completely.
///
/// The index tokenises with FTS5's `unicode61 remove_diacritics 2`: runs of letters and digits,
/// case and accents folded. The inbox's query (`ftsMatch`) asks for every word as a phrase, the
/// last word's last token as a prefix; each word may match the text or the author's handle.
enum SearchTail {
  /// The SQL function `repute_matches(query, text, handle)`, registered on every connection.
  static let function = DatabaseFunction("repute_matches", argumentCount: 3, pure: true) { values in
    guard let query = String.fromDatabaseValue(values[0]) else { return false }
    let text = String.fromDatabaseValue(values[1]) ?? ""
    let handle = String.fromDatabaseValue(values[2]) ?? ""
    return matches(query: words(query), text: text, handle: handle)
  }

  /// The query's words, each as its folded tokens.
  static func words(_ query: String) -> [[String]] {
    query.split(whereSeparator: { $0.isWhitespace }).map { tokens(String($0)) }.filter { !$0.isEmpty }
  }

  static func matches(query: [[String]], text: String, handle: String) -> Bool {
    guard !query.isEmpty else { return false }
    let columns = [tokens(text), tokens(handle)]
    for (index, phrase) in query.enumerated() {
      let prefix = index == query.count - 1
      if !columns.contains(where: { contains($0, phrase, lastIsPrefix: prefix) }) { return false }
    }
    return true
  }

  static func contains(_ tokens: [String], _ phrase: [String], lastIsPrefix: Bool) -> Bool {
    guard tokens.count >= phrase.count else { return false }
    for start in 0...(tokens.count - phrase.count) {
      var all = true
      for (k, want) in phrase.enumerated() {
        let have = tokens[start + k]
        let ok = lastIsPrefix && k == phrase.count - 1 ? have.hasPrefix(want) : have == want
        if !ok {
          all = false
          break
        }
      }
      if all { return true }
    }
    return false
  }

  /// Runs of letters and digits, lowercased and without accents. ASCII text (most of it) is
  /// folded byte by byte; anything else goes through Foundation's folding.
  static func tokens(_ s: String) -> [String] {
    var utf8 = Array(s.utf8)
    if utf8.allSatisfy({ $0 < 0x80 }) {
      var out: [String] = []
      var start = -1
      for i in 0...utf8.count {
        let b: UInt8 = i < utf8.count ? utf8[i] : 0x20
        let upper = b >= 0x41 && b <= 0x5A
        let lower = b >= 0x61 && b <= 0x7A
        let digit = b >= 0x30 && b <= 0x39
        if upper || lower || digit {
          if upper { utf8[i] = b + 0x20 }
          if start < 0 { start = i }
        } else if start >= 0 {
          out.append(String(decoding: utf8[start..<i], as: UTF8.self))
          start = -1
        }
      }
      return out
    }
    let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    return folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
  }
}

extension SQLiteStore {
  /// Up to this many matches are sorted by urgency directly; broader searches walk the queue's
  /// own indexes and keep the rows that match.
  static let sortedSearchLimit = 5000

  /// How many mentions a search matches: from the full-text index alone, plus the matches among
  /// the mentions it has not taken in yet (`SearchTail`).
  /// Kept while nothing was committed: every window of a search asks, and a common word's count
  /// reads hundreds of thousands of index entries.
  func matchCount(_ match: String, words: String) throws -> Int {
    let key = "match|\(match)"
    let token = try changeToken()
    if let cached = segmentCounts.get(key, token: token, now: 0) { return cached }
    let indexed = try pool.read { db in
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM mention_search WHERE mention_search MATCH ?", arguments: [match]) ?? 0
    }
    let count = try indexed + tailMatches(words).count
    segmentCounts.set(key, count, token: token, now: 0)
    return count
  }

  /// What every window of a search's matches shares: the filter without the search, the match
  /// condition (the index and the unindexed tail) and their arguments with `now` and `limit`.
  func searchSQL(_ query: QueueFilter, match: String, words: String, limit: Int, now at: Int64) throws -> (
    filter: String, searched: String, arguments: [String: DatabaseValueConvertible?]
  ) {
    var unsearched = query
    unsearched.search = ""
    let (filter, arguments) = try filterSQL(unsearched, now: at)
    var args = arguments
    args["now"] = at
    args["match"] = match
    let searched = Self.searchedSQL(tail: try tailMatches(words).json, &args)
    args["limit"] = limit
    return (filter, searched, args)
  }

  /// A window of the search's matches in the queue's urgency order, driven by the full-text
  /// index (the matches are sorted, not the queue scanned).
  func searchWindow(
    _ query: QueueFilter, match: String, words: String, limit: Int, offset: Int, now at: Int64
  ) throws -> [QueueEntry] {
    var (filter, searched, args) = try searchSQL(query, match: match, words: words, limit: limit, now: at)
    args["offset"] = offset
    let segment = Self.segmentSQL
    return try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE \(searched) AND m.muted = 0
            AND NOT \(Self.asleepSQL) \(filter)
          ORDER BY \(segment),
            CASE \(segment) WHEN 0 THEN m.due_at WHEN 1 THEN m.earliest_reply_at ELSE -m.created_at END,
            CASE \(segment) WHEN 2 THEN -m.id ELSE m.id END
          LIMIT :limit OFFSET :offset
          """, arguments: StatementArguments(args)
      ).map(Self.entry)
    }
  }

  /// Turns what the responder typed into an FTS5 query: every word must occur, the last one as a
  /// prefix (so the queue narrows while typing); quotes keep FTS5 syntax out of it.
  static func ftsMatch(_ text: String) -> String? {
    let words = text.split(whereSeparator: { $0.isWhitespace }).map { word in
      String(word).replacingOccurrences(of: "\"", with: "\"\"")
    }.filter { !$0.isEmpty }
    guard !words.isEmpty else { return nil }
    return words.enumerated().map { index, word in
      index == words.count - 1 ? "\"\(word)\"*" : "\"\(word)\""
    }.joined(separator: " ")
  }

  /// The keyset form of `searchWindow`: the few matches sorted by the queue's order, from an
  /// anchor's (segment, key, tie-break) on.
  func searchWindow(
    _ query: QueueFilter, match: String, words: String, place: (segment: Int, key: Int64, id: Int64)?,
    backwards: Bool,
    including: Bool, limit: Int, now at: Int64
  ) throws -> [QueueEntry] {
    var (filter, searched, args) = try searchSQL(query, match: match, words: words, limit: limit, now: at)
    let segment = Self.segmentSQL
    let key = "CASE \(segment) WHEN 0 THEN m.due_at WHEN 1 THEN m.earliest_reply_at ELSE -m.created_at END"
    let tie = "CASE \(segment) WHEN 2 THEN -m.id ELSE m.id END"
    var beyond = ""
    if let place {
      let op = (backwards ? "<" : ">") + (including ? "=" : "")
      beyond = "AND (\(segment), \(key), \(tie)) \(op) (:s, :k, :t)"
      args["s"] = place.segment
      args["k"] = place.segment == 2 ? -place.key : place.key
      args["t"] = place.segment == 2 ? -place.id : place.id
    }
    let direction = backwards ? " DESC" : ""
    let rows = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE \(searched) AND m.muted = 0
            AND NOT \(Self.asleepSQL) \(filter) \(beyond)
          ORDER BY \(segment)\(direction), \(key)\(direction), \(tie)\(direction)
          LIMIT :limit
          """, arguments: StatementArguments(args)
      ).map(Self.entry)
    }
    return backwards ? rows.reversed() : rows
  }
}

extension SQLiteStore {
  /// The rows a search finds: those the full-text index matches (`:match`), and the matches above
  /// its high-water mark (`tail`, from `tailMatches`, as a JSON array of ids).
  static func searchedSQL(tail: String, _ args: inout [String: DatabaseValueConvertible?]) -> String {
    args["tail"] = tail
    return """
      (m.id IN (SELECT rowid FROM mention_search WHERE mention_search MATCH :match)
        OR m.id IN (SELECT value FROM json_each(:tail)))
      """
  }

  /// The mentions above the index's high-water mark that a search finds, as a JSON array of ids,
  /// and how many. Scanned once per search and kept: when the index moves up, the kept ids above
  /// it still hold and only mentions stored since are scanned; an edit anywhere scans again.
  func tailMatches(_ words: String) throws -> (json: String, count: Int) {
    try pool.read { db in
      let upto =
        try Int64.fetchOne(
          db, sql: "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto'") ?? 0
      let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM mentions") ?? 0
      let edits = try Int64.fetchOne(db, sql: "SELECT max(id) FROM mention_revisions") ?? 0
      var ids: [Int64] = []
      var from = upto
      if let kept = searchTails.get(words), kept.edits == edits, kept.upto <= upto,
        kept.scannedTo <= newest
      {
        ids = kept.ids.filter { $0 > upto }
        from = Swift.max(upto, kept.scannedTo)
      }
      if newest > from {
        var args: [String: DatabaseValueConvertible?] = ["from": from, "to": newest]
        let condition = Self.tailSQL(words, &args, rows: newest - from)
        ids += try Int64.fetchAll(
          db, sql: "SELECT m.id FROM mentions m WHERE m.id > :from AND m.id <= :to AND \(condition)",
          arguments: StatementArguments(args))
      }
      searchTails.set(words, (upto: upto, scannedTo: newest, edits: edits, ids: ids))
      return ("[" + ids.map(String.init).joined(separator: ",") + "]", ids.count)
    }
  }

  /// The scan's condition for one mention `m`.
  ///
  /// Its cheap part comes first: on ASCII text, SQLite's own `instr` must find every folded token
  /// of the query in the text or the handle (handles are ASCII on the platforms Repute reads)
  /// before Swift looks; text with anything beyond ASCII (accents fold, so "cafe" finds "café")
  /// goes to Swift directly.
  static func tailSQL(_ words: String, _ args: inout [String: DatabaseValueConvertible?], rows: Int64)
    -> String
  {
    args["words"] = words
    let tokens = SearchTail.words(words).flatMap { $0 }
    var prefilter = ""
    if !tokens.isEmpty, tokens.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
      // Over many mentions, the authors whose handle holds the token are found once (a scan of
      // the authors); over a few, each mention's author is looked up.
      let found = tokens.enumerated().map { index, token in
        args["tail\(index)"] = token
        let handle =
          rows > 20_000
          ? "m.author_id IN (SELECT id FROM authors WHERE instr(lower(handle), :tail\(index)) > 0)"
          : "instr(lower((SELECT handle FROM authors WHERE id = m.author_id)), :tail\(index)) > 0"
        return "(instr(lower(m.text), :tail\(index)) > 0 OR \(handle))"
      }
      // More bytes than characters: something beyond ASCII, which only Swift folds right.
      prefilter =
        "(length(CAST(m.text AS BLOB)) != length(m.text) OR (\(found.joined(separator: " AND ")))) AND"
    }
    return """
      (\(prefilter) repute_matches(:words, m.text, (SELECT handle FROM authors WHERE id = m.author_id)))
      """
  }
}

// MARK: - The search index

extension SQLiteStore {
  /// Adds up to `limit` mentions not yet in the full-text index, oldest first, in one short
  /// transaction; returns how many. Safe from any process: the high-water mark moves with them.
  @discardableResult
  public func indexSearch(limit: Int = 20_000) throws -> Int {
    // Nothing new: answered by a read, so an idle indexer (one per open inbox) never takes the
    // write lock a reply or an ingest may be waiting for.
    let waiting = try pool.read { db in
      try Bool.fetchOne(
        db,
        sql: """
          SELECT coalesce(max(id), 0) > coalesce((SELECT CAST(value AS INTEGER) FROM store_meta
            WHERE key = 'search_indexed_upto'), 0) FROM mentions
          """) ?? false
    }
    guard waiting else { return 0 }
    // Nor does it queue for the lock: with every open inbox's indexer seeing the same arrivals, they
    // lined up behind each other and in front of replies. Whoever holds the lock now goes first;
    // the indexer looks again on its next round.
    return try pool.writeWithoutTransaction { db in
      guard try Self.beginWithoutWaiting(db) else { return 0 }
      do {
        let added = try indexChunk(db, limit: limit)
        try db.execute(sql: "COMMIT")
        return added
      } catch {
        try? db.execute(sql: "ROLLBACK")
        throw error
      }
    }
  }

  private func indexChunk(_ db: Database, limit: Int) throws -> Int {
    let upto =
      try Int64.fetchOne(
        db, sql: "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto'") ?? 0
    guard
      let last = try Int64.fetchOne(
        db, sql: "SELECT max(id) FROM (SELECT id FROM mentions WHERE id > ? ORDER BY id LIMIT ?)",
        arguments: [upto, limit])
    else { return 0 }
    try db.execute(
      sql: """
        INSERT INTO mention_search (rowid, text, handle)
        SELECT m.id, m.text, a.handle FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.id > ? AND m.id <= ? ORDER BY m.id
        """, arguments: [upto, last])
    let added = db.changesCount
    try db.execute(
      sql: "UPDATE store_meta SET value = ? WHERE key = 'search_indexed_upto'", arguments: [String(last)])
    return added
  }

  /// How many mentions wait to be added to the full-text index.
  public func searchBacklog() throws -> Int {
    try pool.read { db in
      let upto =
        try Int64.fetchOne(
          db, sql: "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto'") ?? 0
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM mentions WHERE id > ?", arguments: [upto]) ?? 0
    }
  }
}

/// The unindexed matches of recent searches (see `tailMatches`), by the words searched. One per
/// `SQLiteStore`, like `SegmentCounts`.
final class TailMatches: Sendable {
  typealias Entry = (upto: Int64, scannedTo: Int64, edits: Int64, ids: [Int64])
  private let entries = Locked<[String: Entry]>([:])

  func get(_ key: String) -> Entry? {
    entries.withLock { $0[key] }
  }

  func set(_ key: String, _ entry: Entry) {
    entries.withLock { entries in
      if entries.count >= 8, entries[key] == nil { entries.removeAll() }
      entries[key] = entry
    }
  }
}
