import Foundation
import GRDB

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
  /// The rows a search finds: those the full-text index matches (`:match`), and those above its
  /// high-water mark that `repute_matches` finds. Sets the arguments it needs in `args`.
  ///
  /// The tail is scanned, so its cheap part comes first: on ASCII text, SQLite's own `instr`
  /// must find every folded token of the query in the text or the handle (handles are ASCII on
  /// the platforms Repute reads) before Swift looks; text with anything beyond ASCII (accents
  /// fold, so "cafe" finds "café") goes to Swift directly.
  static func searchedSQL(_ words: String, _ args: inout [String: DatabaseValueConvertible?]) -> String {
    "(m.id IN (SELECT rowid FROM mention_search WHERE mention_search MATCH :match) OR \(tailSQL(words, &args)))"
  }

  /// The matches above the index's high-water mark only.
  static func tailSQL(_ words: String, _ args: inout [String: DatabaseValueConvertible?]) -> String {
    args["words"] = words
    let tokens = SearchTail.words(words).flatMap { $0 }
    var prefilter = ""
    if !tokens.isEmpty, tokens.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
      let handle = "lower((SELECT handle FROM authors WHERE id = m.author_id))"
      let found = tokens.enumerated().map { index, token in
        args["tail\(index)"] = token
        return "(instr(lower(m.text), :tail\(index)) > 0 OR instr(\(handle), :tail\(index)) > 0)"
      }
      // More bytes than characters: something beyond ASCII, which only Swift folds right.
      prefilter =
        "AND (length(CAST(m.text AS BLOB)) != length(m.text) OR (\(found.joined(separator: " AND "))))"
    }
    return """
      (m.id > (SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto')
        \(prefilter)
        AND repute_matches(:words, m.text, (SELECT handle FROM authors WHERE id = m.author_id)))
      """
  }
}
