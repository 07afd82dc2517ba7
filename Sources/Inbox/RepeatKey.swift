/// The text a repeated post is recognised by (issue 16), with the two words a store can look for
/// it by: what ingest folds a repeat with. Computed with the policy's verdict on the reading
/// thread of `repute ingest` (`MentionAnnotation.repeatKey`), not by the writer: at a million
/// mentions the key and its probes were a third of the writing thread's CPU time.
public struct RepeatKey: Sendable, Hashable {
  /// The text lower case, links left out (a shortener or a tracking parameter differs between
  /// two copies of one post), runs of spaces as one.
  public let text: String
  /// The key's two longest words made only of ASCII letters and digits (the greater of two of
  /// the same length first): every repeat of the text holds each of them. Fewer when the key
  /// has fewer such words.
  public let probes: [String]

  public init(_ postText: String) {
    text = Self.key(postText)
    probes = Self.probes(text)
  }

  /// The key of a post's text. A text of ASCII alone (nearly every generated one, most real
  /// ones) is read byte by byte; any other through Swift's characters, as the key is defined.
  public static func key(_ postText: String) -> String {
    var postText = postText
    return postText.withUTF8 { asciiKey($0) } ?? characterKey(postText)
  }

  /// The key by its definition, on characters: what the ASCII path must give for ASCII text.
  static func characterKey(_ postText: String) -> String {
    var words: [Substring] = []
    for word in postText.lowercased().split(whereSeparator: \.isWhitespace) {
      if word.hasPrefix("http://") || word.hasPrefix("https://") || word.hasPrefix("www.") { continue }
      words.append(word)
    }
    return words.joined(separator: " ")
  }

  /// The probes by their definition, on characters.
  static func characterProbes(_ key: String) -> [String] {
    let words = Set(
      key.split(separator: " ").filter { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
    return words.sorted { ($0.count, $0) > ($1.count, $1) }.prefix(2).map(String.init)
  }

  /// The probes of a key: on its bytes when it is ASCII (each byte one character, and bytes
  /// compare as such characters do), else through its characters.
  public static func probes(_ key: String) -> [String] {
    var key = key
    return key.withUTF8 { asciiProbes($0) } ?? characterProbes(key)
  }

  /// ASCII's white space as `Character.isWhitespace` sees it (tab, line feed, vertical tab, form
  /// feed, carriage return, space; a CR LF pair is one character, white as well).
  @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
  }

  @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
    b >= 0x41 && b <= 0x5A ? b | 0x20 : b
  }

  /// Whether the word, lower-cased, starts with `prefix` (lower case ASCII).
  static func startsLower(_ word: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard word.count >= count else { return false }
    let p = prefix.utf8Start
    for i in 0..<count where lower(word[i]) != p[i] { return false }
    return true
  }

  /// The key of ASCII text; nil when the text holds anything else.
  static func asciiKey(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
    for b in utf8 where b >= 0x80 { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count)
    var i = 0
    let n = utf8.count
    while i < n {
      while i < n && isSpace(utf8[i]) { i += 1 }
      let start = i
      while i < n && !isSpace(utf8[i]) { i += 1 }
      if start == i { break }
      let word = UnsafeBufferPointer(rebasing: utf8[start..<i])
      if startsLower(word, "http://") || startsLower(word, "https://") || startsLower(word, "www.") {
        continue
      }
      if !out.isEmpty { out.append(0x20) }
      for b in word { out.append(lower(b)) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
  }

  /// The probes of an ASCII key; nil when the key holds anything else.
  static func asciiProbes(_ key: UnsafeBufferPointer<UInt8>) -> [String]? {
    for b in key where b >= 0x80 { return nil }
    // The two greatest distinct words by (length, bytes).
    var first: Range<Int>?
    var second: Range<Int>?
    func greater(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
      if a.count != b.count { return a.count > b.count }
      for (x, y) in zip(key[a], key[b]) where x != y { return x > y }
      return false
    }
    var i = 0
    let n = key.count
    while i < n {
      let start = i
      var plain = true
      while i < n && key[i] != 0x20 {
        if !isAlphanumeric(key[i]) { plain = false }
        i += 1
      }
      let word = start..<i
      i += 1
      guard plain, !word.isEmpty else { continue }
      if let f = first {
        if greater(word, f) {
          second = f
          first = word
        } else if greater(f, word) {
          if let s = second {
            if greater(word, s) { second = word }
          } else {
            second = word
          }
        }
      } else {
        first = word
      }
    }
    return [first, second].compactMap { r in
      r.map { String(decoding: UnsafeBufferPointer(rebasing: key[$0]), as: UTF8.self) }
    }
  }
}
