/// A compiled rumour pattern: every term must occur in the mention, in any order.
///
/// Syntax, kept small so matching is a few hash comparisons per token rather than a regular
/// expression (NSRegularExpression is very slow on Linux):
/// - `gratis tickets`: both words, anywhere, in any order;
/// - `"free tickets"`: the words next to each other, in this order;
/// - `ticket*`: a word starting with `ticket`;
/// - `gratis|free`: either.
/// Words are matched case-insensitively, as the classifier's tokenizer splits them.
public struct RumourPattern: Sendable, Hashable {
  /// One way to satisfy a term: a run of words, the last of which may be a prefix.
  struct Alternative: Sendable, Hashable {
    var hashes: [UInt64]
    /// Lowercased UTF-8 of the last word when it is a prefix (`ticket*`).
    var prefix: [UInt8]?
  }

  /// All terms must match; a term matches when any of its alternatives does.
  var terms: [[Alternative]]
  public let source: String

  public struct CompileError: Error, Sendable, Hashable {
    public var message: String
  }

  public static func compile(_ source: String) -> Result<RumourPattern, CompileError> {
    var terms: [[Alternative]] = []
    // Split into terms on whitespace outside quotes.
    var rawTerms: [String] = []
    var current = ""
    var inQuote = false
    for ch in source {
      if ch == "\"" {
        inQuote.toggle()
        current.append(ch)
      } else if ch.isWhitespace, !inQuote {
        if !current.isEmpty { rawTerms.append(current) }
        current = ""
      } else {
        current.append(ch)
      }
    }
    if inQuote { return .failure(CompileError(message: "a quote is not closed")) }
    if !current.isEmpty { rawTerms.append(current) }
    if rawTerms.isEmpty { return .failure(CompileError(message: "the pattern is empty")) }

    for term in rawTerms {
      var alternatives: [Alternative] = []
      for alt in term.split(separator: "|", omittingEmptySubsequences: false) {
        var text = String(alt)
        if text.isEmpty { return .failure(CompileError(message: "empty alternative in '\(term)'")) }
        var quoted = false
        if text.hasPrefix("\"") {
          guard text.count >= 2, text.hasSuffix("\"") else {
            return .failure(CompileError(message: "a quoted phrase must be a whole alternative: '\(alt)'"))
          }
          text = String(text.dropFirst().dropLast())
          quoted = true
        } else if text.contains("\"") {
          return .failure(CompileError(message: "a quoted phrase must be a whole alternative: '\(alt)'"))
        }
        var prefix = false
        if text.hasSuffix("*") {
          text.removeLast()
          prefix = true
        }
        if text.contains("*") {
          return .failure(CompileError(message: "'*' may only end a word: '\(alt)'"))
        }
        let words = Tokenizer.words(text)
        let hashes = Tokenizer.wordHashes(text)
        if words.isEmpty || hashes.count != words.count {
          return .failure(CompileError(message: "'\(alt)' has no words to match"))
        }
        if !quoted, words.count > 1 {
          return .failure(
            CompileError(message: "'\(alt)' splits into several words; quote it as a phrase: \"\(text)\""))
        }
        if prefix, words.last!.count < 3 {
          return .failure(CompileError(message: "a prefix needs at least 3 letters: '\(alt)'"))
        }
        alternatives.append(
          Alternative(
            hashes: prefix ? Array(hashes.dropLast()) : hashes,
            prefix: prefix ? Array(words.last!.utf8) : nil))
      }
      terms.append(alternatives)
    }
    return .success(RumourPattern(terms: terms, source: source))
  }

  /// True when every term occurs in the scanned text.
  func matches(_ scan: Scan) -> Bool {
    terms.allSatisfy { alternatives in alternatives.contains { Self.occurs($0, in: scan) } }
  }

  static func occurs(_ alt: Alternative, in scan: Scan) -> Bool {
    let tokens = scan.tokens
    let need = alt.hashes.count + (alt.prefix == nil ? 0 : 1)
    guard tokens.count >= need else { return false }
    outer: for i in 0...(tokens.count - need) {
      for (k, h) in alt.hashes.enumerated() where tokens[i + k].hash != h { continue outer }
      if let prefix = alt.prefix {
        let t = tokens[i + alt.hashes.count]
        let len = Int(t.lowEnd - t.lowStart)
        guard t.kind == .word, len >= prefix.count else { continue }
        let base = Int(t.lowStart)
        for (k, b) in prefix.enumerated() where scan.lowered[base + k] != b { continue outer }
      }
      return true
    }
    return false
  }
}

/// A word or phrase to find in a mention (muted words, escalation words): hashes of its words.
struct PhraseMatcher: Sendable {
  let phrases: [(text: String, hashes: [UInt64])]
  /// Phrase indexes by the hash of their first word: one pass over the tokens finds them all.
  private let byFirstWord: [UInt64: [Int]]
  /// The same first words in an open-addressing set: most tokens start no phrase, and this says
  /// so with one multiply and a probe instead of a Dictionary's SipHash.
  private let firstWords: [UInt64]
  private let mask: Int

  init(_ list: [String]) {
    phrases = list.compactMap { p in
      let h = Tokenizer.wordHashes(p)
      return h.isEmpty ? nil : (p, h)
    }
    var index: [UInt64: [Int]] = [:]
    for (i, p) in phrases.enumerated() { index[p.hashes[0], default: []].append(i) }
    byFirstWord = index
    var cap = 16
    while cap < index.count * 3 { cap <<= 1 }
    mask = cap - 1
    var keys = [UInt64](repeating: 0, count: cap)
    for k in index.keys {
      let key = k == 0 ? 1 : k
      var i = Self.slot(key, mask)
      while keys[i] != 0 { i = (i + 1) & mask }
      keys[i] = key
    }
    firstWords = keys
  }

  @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
  }

  @inline(__always) func mayStart(_ k: UInt64) -> Bool {
    let key = k == 0 ? 1 : k
    var i = Self.slot(key, mask)
    while true {
      let found = firstWords[i]
      if found == key { return true }
      if found == 0 { return false }
      i = (i + 1) & mask
    }
  }

  /// The phrases that occur in the scan, as written in the list, in list order.
  func matches(_ scan: Scan) -> [String] {
    if phrases.isEmpty { return [] }
    let t = scan.tokens
    var found: [Int] = []
    for i in t.indices {
      guard mayStart(t[i].hash), let candidates = byFirstWord[t[i].hash] else { continue }
      next: for p in candidates where !found.contains(p) {
        let hashes = phrases[p].hashes
        guard i + hashes.count <= t.count else { continue }
        for (k, h) in hashes.enumerated().dropFirst() where t[i + k].hash != h { continue next }
        found.append(p)
      }
    }
    return found.sorted().map { phrases[$0].text }
  }
}

extension PolicyConfig {
  /// The ids of the known rumours a text repeats (a pattern of theirs matches), as the classifier
  /// finds them: for filling a correction's `{facts}` and `{sources}` where no classification is at
  /// hand.
  public func rumours(repeatedIn text: String) -> [String] {
    guard !rumours.isEmpty else { return [] }
    let scan = Tokenizer.scan(text)
    return rumours.filter { r in
      r.patterns.contains { (try? RumourPattern.compile($0).get())?.matches(scan) == true }
    }.map(\.id)
  }
}
