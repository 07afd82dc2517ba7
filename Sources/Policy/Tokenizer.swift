/// One token of a mention: a word, a number, an emoji or an emoticon.
struct Token {
  enum Kind: UInt8 {
    case word, number, emoji, emoticon
  }

  var hash: UInt64
  var kind: Kind
  /// Byte range in the original UTF-8 text.
  var start: Int32
  var end: Int32
  /// Byte range of the lowercased form in `Scan.lowered` (words and numbers).
  var lowStart: Int32
  var lowEnd: Int32
  /// At least two letters, all uppercase ("WORST").
  var allCaps: Bool
  /// Letters in the word; 32 bits, as a word can run to `Tokenizer.maximumScannedBytes` (16 bits
  /// overflowed at 32,768 letters and trapped).
  var letters: Int32
  /// First word of a sentence (after mentions and links at the start).
  var sentenceStart: Bool
  var hashtag: Bool
  /// First token after a clause break (, ; : . ! ? or a line break): negation doesn't reach back
  /// past it.
  var clauseStart: Bool = false
  /// In a sentence that ends with a question mark: "Is flight 1202 delayed?" asks about a delay, it
  /// does not report one (S12).
  var inQuestion: Bool = false
}

/// The result of one pass over a mention's text.
struct Scan {
  var tokens: [Token] = []
  /// The lowercased bytes of all words, back to back.
  var lowered: [UInt8] = []
  var questionMarks = 0
  var exclamations = 0
  var longestExclamationRun = 0
  /// Two single-letter words in a row, one space apart: maybe a word spelled out.
  var spacedLetters = false
  /// "?!" or "!?": an exasperated question.
  var interrobangs = 0
  var urls = 0
  var mentions = 0
  var capsWords = 0
  var longWords = 0
}

/// Splits text into tokens in one pass over its UTF-8 bytes, hashing each lowercased word as it goes.
///
/// Links and @-mentions are skipped (counted), `#tag` yields the word `tag`, letters and digits
/// split into words and numbers, emoji are tokens of their own (skin tones, variation selectors and
/// ZWJ continuations are dropped), and an emoticon must be a whole whitespace-separated chunk.
enum Tokenizer {
  /// The classifier and the reply checks read at most this many UTF-8 bytes of a text (cut back to
  /// a whole character); the rest is stored but not looked at. A post is a few hundred bytes and a
  /// feed's summary a few thousand, so this reaches far past any real one, while a runaway input
  /// (a 40,000-letter word, a megabyte field) costs a bounded time and every offset fits `Int32`.
  static let maximumScannedBytes = 1 << 16

  static func scan(_ text: String) -> Scan {
    var t = text
    return t.withUTF8 { buf in scan(buf) }
  }

  /// The word hashes of a text, for building lexicons and patterns.
  static func wordHashes(_ text: String) -> [UInt64] {
    scan(text).tokens.filter { $0.kind == .word || $0.kind == .number || $0.kind == .emoji }.map(\.hash)
  }

  /// The lowercased words of a text.
  static func words(_ text: String) -> [String] {
    let s = scan(text)
    return s.tokens.filter { $0.kind == .word || $0.kind == .number }.map {
      String(decoding: s.lowered[Int($0.lowStart)..<Int($0.lowEnd)], as: UTF8.self)
    }
  }

  @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
  }

  @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool {
    (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
  }

  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  /// Decodes the scalar at `i` (valid UTF-8 is guaranteed by String) and its length.
  @inline(__always) static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
    let b0 = UInt32(p[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0, i + 1 < p.count { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
    if b0 < 0xF0, i + 2 < p.count {
      return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
    }
    if i + 3 < p.count {
      return (
        (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
          | UInt32(p[i + 3] & 0x3F), 4
      )
    }
    return (0xFFFD, 1)
  }

  @inline(__always) static func isEmoji(_ v: UInt32) -> Bool {
    if v >= 0x1F000 && v <= 0x1FAFF { return true }
    if v >= 0x2600 && v <= 0x27BF { return true }
    if v >= 0x2B00 && v <= 0x2BFF { return true }
    if v == 0x231A || v == 0x231B || v == 0x23F3 || v == 0x23F0 || v == 0x2328 { return true }
    return false
  }

  /// Scalars that only modify the emoji before them.
  @inline(__always) static func isEmojiModifier(_ v: UInt32) -> Bool {
    v == 0xFE0F || v == 0xFE0E || (v >= 0x1F3FB && v <= 0x1F3FF) || v == 0x20E3
  }

  static func isLetter(_ v: UInt32) -> Bool {
    guard let s = Unicode.Scalar(v) else { return false }
    return s.properties.isAlphabetic
  }

  static func scan(_ whole: UnsafeBufferPointer<UInt8>) -> Scan {
    var n = min(whole.count, maximumScannedBytes)
    // Cut at the start of a character, never inside one.
    while n > 0, n < whole.count, whole[n] & 0xC0 == 0x80 { n -= 1 }
    var scanner = TextScanner(UnsafeBufferPointer(rebasing: whole[0..<n]))
    scanner.run()
    if scanner.out.spacedLetters { mergeSpacedLetters(&scanner.out, scanner.p) }
    return scanner.out
  }

  /// "v e r a c h t e l i j k", "s l e t": a word spelled out with spaces, to get past word
  /// filters, is read as the word (at least three single letters, one space apart). Their lowered
  /// bytes are already back to back, so the word's hash is one pass over them.
  static func mergeSpacedLetters(_ out: inout Scan, _ p: UnsafeBufferPointer<UInt8>) {
    var merged: [Token] = []
    merged.reserveCapacity(out.tokens.count)
    var k = 0
    let tokens = out.tokens
    while k < tokens.count {
      var e = k
      while e + 1 < tokens.count, tokens[e].kind == .word, tokens[e].letters == 1,
        tokens[e + 1].kind == .word, tokens[e + 1].letters == 1, tokens[e + 1].start == tokens[e].end + 1,
        p[Int(tokens[e].end)] == 0x20, !tokens[e + 1].clauseStart
      {
        e += 1
      }
      if e - k + 1 >= 3 {
        var t = tokens[k]
        var h = FNV.offset
        for b in out.lowered[Int(t.lowStart)..<Int(tokens[e].lowEnd)] { h = FNV.add(h, b) }
        t.hash = h
        t.end = tokens[e].end
        t.lowEnd = tokens[e].lowEnd
        t.letters = Int32(e - k + 1)
        t.allCaps = false
        t.inQuestion = tokens[e].inQuestion
        merged.append(t)
        k = e + 1
      } else {
        merged.append(tokens[k])
        k += 1
      }
    }
    out.tokens = merged
  }

  /// Marks the tokens of the sentence that a question mark just ended.
  @inline(__always) static func markQuestion(_ out: inout Scan, from: Int) {
    var k = from
    while k < out.tokens.count {
      out.tokens[k].inQuestion = true
      k += 1
    }
  }

  @inline(__always) static func append(_ out: inout Scan, _ clause: inout Bool, _ token: Token) {
    var t = token
    t.clauseStart = clause
    clause = false
    if t.letters == 1, let last = out.tokens.last, last.letters == 1, last.end + 1 == t.start {
      out.spacedLetters = true
    }
    out.tokens.append(t)
  }

  @inline(__always) static func startsLink(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
    func has(_ s: StaticString) -> Bool {
      let n = s.utf8CodeUnitCount
      guard i + n <= p.count else { return false }
      let base = s.utf8Start
      for k in 0..<n where (p[i + k] | (isASCIILetter(p[i + k]) ? 0x20 : 0)) != base[k] { return false }
      return true
    }
    return has("http://") || has("https://") || has("www.")
  }
}

/// One pass of `Tokenizer.scan` over the bytes of a text: where it is (`i`), what it has found
/// (`out`), and the state that carries from one byte to the next; one step per kind of token.
private struct TextScanner {
  let p: UnsafeBufferPointer<UInt8>
  let n: Int
  var out = Scan()
  var i = 0
  var chunkStart = true
  var sentenceStart = true
  var hashtag = false
  var clause = true
  /// Where the current sentence's tokens begin, to mark them when it ends with "?".
  var sentenceFrom = 0
  let emoticons = Emoticons.table

  init(_ p: UnsafeBufferPointer<UInt8>) {
    self.p = p
    n = p.count
    out.tokens.reserveCapacity(n / 4 + 4)
    out.lowered.reserveCapacity(n)
  }

  mutating func run() {
    while i < n {
      let b = p[i]
      if Tokenizer.isSpace(b) {
        space(b)
        continue
      }
      if chunkStart {
        chunkStart = false
        if chunkOpening(b) { continue }
      }
      if b == 0x40 {  // @mention, also @user@domain
        mention()
        continue
      }
      if b == 0x23 {  // #hashtag: the word after it counts
        hashtag = true
        i += 1
        continue
      }
      if Tokenizer.isDigit(b) {
        number()
        continue
      }
      var scalar: UInt32 = UInt32(b)
      var len = 1
      if b >= 0x80 { (scalar, len) = Tokenizer.decode(p, i) }
      if Tokenizer.isASCIILetter(b) || (b >= 0x80 && !Tokenizer.isEmoji(scalar) && Tokenizer.isLetter(scalar))
      {
        word()
        continue
      }
      if b >= 0x80 {
        nonASCII(scalar, len)
        continue
      }
      punctuation(b)
    }
  }

  @inline(__always) mutating func append(_ token: Token) {
    Tokenizer.append(&out, &clause, token)
  }

  @inline(__always) mutating func endSentence() {
    sentenceStart = true
    sentenceFrom = out.tokens.count
  }

  @inline(__always) mutating func space(_ b: UInt8) {
    if b == 0x0A {
      endSentence()
      clause = true
    }
    chunkStart = true
    hashtag = false
    i += 1
  }

  /// At the start of a whitespace-separated chunk: a link (to the next whitespace) or an emoticon
  /// (the whole chunk, short and made of the usual characters). Whether it read one.
  @inline(__always) mutating func chunkOpening(_ b: UInt8) -> Bool {
    if b == 0x68 || b == 0x48 || b == 0x77 || b == 0x57, Tokenizer.startsLink(p, i) {
      while i < n, !Tokenizer.isSpace(p[i]) { i += 1 }
      out.urls += 1
      return true
    }
    guard b < 0x80, !Tokenizer.isASCIILetter(b) || b == 0x78 || b == 0x58 || b == 0x44 else { return false }
    var j = i
    var h = FNV.offset
    while j < n, !Tokenizer.isSpace(p[j]), j - i <= 5 {
      h = FNV.add(h, p[j])
      j += 1
    }
    guard j - i >= 2, j == n || Tokenizer.isSpace(p[j]), emoticons[h] != nil else { return false }
    append(
      Token(
        hash: h, kind: .emoticon, start: Int32(i), end: Int32(j), lowStart: 0, lowEnd: 0,
        allCaps: false, letters: 0, sentenceStart: false, hashtag: false))
    i = j
    return true
  }

  @inline(__always) mutating func mention() {
    guard i + 1 < n, Tokenizer.isASCIILetter(p[i + 1]) || Tokenizer.isDigit(p[i + 1]) || p[i + 1] == 0x5F
    else {
      i += 1
      return
    }
    i += 1
    while i < n {
      let c = p[i]
      if Tokenizer.isASCIILetter(c) || Tokenizer.isDigit(c) || c == 0x5F || c == 0x2D || c == 0x40 {
        i += 1
      } else if c == 0x2E, i + 1 < n, Tokenizer.isASCIILetter(p[i + 1]) || Tokenizer.isDigit(p[i + 1]) {
        i += 1
      } else {
        break
      }
    }
    out.mentions += 1
  }

  @inline(__always) mutating func number() {
    let start = i
    let lowStart = out.lowered.count
    var h = FNV.offset
    while i < n,
      Tokenizer.isDigit(p[i])
        || ((p[i] == 0x2E || p[i] == 0x2C || p[i] == 0x3A) && i + 1 < n && Tokenizer.isDigit(p[i + 1]))
    {
      h = FNV.add(h, p[i])
      out.lowered.append(p[i])
      i += 1
    }
    append(
      Token(
        hash: h, kind: .number, start: Int32(start), end: Int32(i), lowStart: Int32(lowStart),
        lowEnd: Int32(out.lowered.count), allCaps: false, letters: 0, sentenceStart: false,
        hashtag: hashtag))
  }

  /// A word: letters, with apostrophes inside ("don't", "m'n"), lowered as it is hashed.
  @inline(__always) mutating func word() {
    let start = i
    let lowStart = out.lowered.count
    var h = FNV.offset
    var letters: Int32 = 0
    var upper: Int32 = 0
    while i < n {
      let c = p[i]
      if Tokenizer.isASCIILetter(c) {
        let lower = c | 0x20
        if c != lower { upper += 1 }
        letters += 1
        h = FNV.add(h, lower)
        out.lowered.append(lower)
        i += 1
        continue
      }
      if c == 0x27, i + 1 < n, Tokenizer.isASCIILetter(p[i + 1]), letters > 0 {
        h = FNV.add(h, 0x27)
        out.lowered.append(0x27)
        i += 1
        continue
      }
      if c >= 0x80, wordScalar(&h, &letters, &upper) { continue }
      break
    }
    let caps = letters >= 2 && upper == letters
    if letters >= 4 {
      out.longWords += 1
      if caps { out.capsWords += 1 }
    }
    append(
      Token(
        hash: h, kind: .word, start: Int32(start), end: Int32(i), lowStart: Int32(lowStart),
        lowEnd: Int32(out.lowered.count), allCaps: caps, letters: letters, sentenceStart: sentenceStart,
        hashtag: hashtag))
    sentenceStart = false
    hashtag = false
  }

  /// A non-ASCII scalar inside a word: a curly apostrophe, a letter, or a combining mark. Whether
  /// it belonged to the word (and was read).
  mutating func wordScalar(_ h: inout UInt64, _ letters: inout Int32, _ upper: inout Int32) -> Bool {
    let (v, l) = Tokenizer.decode(p, i)
    if v == 0x2019, i + l < n, Tokenizer.isASCIILetter(p[i + l]), letters > 0 {  // ’ as in don’t
      h = FNV.add(h, 0x27)
      out.lowered.append(0x27)
      i += l
      return true
    }
    if !Tokenizer.isEmoji(v), Tokenizer.isLetter(v), let s = Unicode.Scalar(v) {
      letters += 1
      if s.properties.isUppercase { upper += 1 }
      for lb in s.properties.lowercaseMapping.utf8 {
        h = FNV.add(h, lb)
        out.lowered.append(lb)
      }
      i += l
      return true
    }
    // Combining marks (a decomposed "é") stay with their word.
    if let s = Unicode.Scalar(v), s.properties.generalCategory == .nonspacingMark, letters > 0 {
      for lb in String(s).utf8 {
        h = FNV.add(h, lb)
        out.lowered.append(lb)
      }
      i += l
      return true
    }
    return false
  }

  /// A non-ASCII scalar that is not a letter: an emoji (a token, its modifiers and the rest of a
  /// ZWJ sequence dropped: the first scalar carries the meaning), or punctuation that ends a
  /// sentence (… ？ ！).
  mutating func nonASCII(_ scalar: UInt32, _ len: Int) {
    if Tokenizer.isEmoji(scalar) {
      append(
        Token(
          hash: FNV.emoji(scalar), kind: .emoji, start: Int32(i), end: Int32(i + len), lowStart: 0,
          lowEnd: 0, allCaps: false, letters: 0, sentenceStart: false, hashtag: false))
      i += len
      while i < n {
        let (v, l) = Tokenizer.decode(p, i)
        if Tokenizer.isEmojiModifier(v) {
          i += l
        } else if v == 0x200D {
          i += l
          if i < n { i += Tokenizer.decode(p, i).1 }
        } else {
          break
        }
      }
      return
    }
    if scalar == 0x2026 || scalar == 0xFF1F || scalar == 0xFF01 {
      if scalar == 0xFF1F {
        out.questionMarks += 1
        Tokenizer.markQuestion(&out, from: sentenceFrom)
      }
      endSentence()
    }
    i += len
  }

  /// ASCII punctuation: the marks that end a sentence or a clause, and the rest skipped.
  @inline(__always) mutating func punctuation(_ b: UInt8) {
    switch b {
    case 0x3F:  // ?
      out.questionMarks += 1
      if (i + 1 < n && p[i + 1] == 0x21) || (i > 0 && p[i - 1] == 0x21) { out.interrobangs += 1 }
      Tokenizer.markQuestion(&out, from: sentenceFrom)
      endSentence()
      clause = true
      i += 1
    case 0x21:  // !
      var run = 0
      while i < n, p[i] == 0x21 || p[i] == 0x31 && run > 0 && i + 1 < n && p[i + 1] == 0x21 {
        run += 1
        i += 1
      }
      out.exclamations += run
      out.longestExclamationRun = max(out.longestExclamationRun, run)
      endSentence()
      clause = true
    case 0x2E:  // .
      endSentence()
      clause = true
      i += 1
    case 0x2C, 0x3B, 0x3A, 0x28, 0x29:  // , ; : ( )
      clause = true
      i += 1
    default:
      i += 1
    }
  }
}
