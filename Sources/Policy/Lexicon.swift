/// FNV-1a, 64 bits: the classifier hashes each token once and looks everything up by that hash.
@usableFromInline enum FNV {
  @usableFromInline static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
  @usableFromInline static let prime: UInt64 = 0x0000_0100_0000_01B3

  @inline(__always) @usableFromInline static func add(_ h: UInt64, _ byte: UInt8) -> UInt64 {
    (h ^ UInt64(byte)) &* prime
  }

  /// The hash of a phrase from the hashes of its words.
  @inline(__always) @usableFromInline static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var h = a &* 0x9E37_79B9_7F4A_7C15
    h ^= b &+ 0x632B_E59B_D9B4_E019 &+ (h << 6) &+ (h >> 2)
    return h
  }

  static func hash(_ s: String) -> UInt64 {
    var h = offset
    for b in s.utf8 { h = add(h, b) }
    return h
  }

  /// The hash of an emoji scalar, kept apart from word hashes.
  @inline(__always) static func emoji(_ v: UInt32) -> UInt64 {
    pair(0xE30E_0000_0000_0001, UInt64(v))
  }
}

/// What the classifier knows about one word or phrase.
struct LexEntry {
  struct Flags: OptionSet {
    let rawValue: UInt32
    static let negator = Flags(rawValue: 1 << 0)
    static let booster = Flags(rawValue: 1 << 1)
    static let whWord = Flags(rawValue: 1 << 2)
    static let questionVerb = Flags(rawValue: 1 << 3)
    static let request = Flags(rawValue: 1 << 4)
    static let complaint = Flags(rawValue: 1 << 5)
    static let insult = Flags(rawValue: 1 << 6)
    static let sweeping = Flags(rawValue: 1 << 7)
    static let firstPerson = Flags(rawValue: 1 << 8)
    static let contrast = Flags(rawValue: 1 << 9)
    static let dutch = Flags(rawValue: 1 << 10)
    static let english = Flags(rawValue: 1 << 11)
    static let thanks = Flags(rawValue: 1 << 12)
    static let hasEN = Flags(rawValue: 1 << 13)
    static let hasNL = Flags(rawValue: 1 << 14)
    static let emoji = Flags(rawValue: 1 << 15)
    static let secondPerson = Flags(rawValue: 1 << 16)
    static let irrealis = Flags(rawValue: 1 << 17)
    static let exasperation = Flags(rawValue: 1 << 18)
    static let greeting = Flags(rawValue: 1 << 19)
    static let venting = Flags(rawValue: 1 << 20)
    static let resolution = Flags(rawValue: 1 << 21)
  }

  var flags: Flags = []
  var valenceEN: Float = 0
  var valenceNL: Float = 0
  var boost: Float = 0
  var complaint: Float = 0
  var request: Float = 0
  var thanks: Float = 0
  /// Number of words, for phrases.
  var words: UInt8 = 1
}

/// An open-addressing table from 64-bit hash to entry: one multiply, one mask and usually one probe
/// per lookup, with no String built on the hot path.
struct HashTable {
  private var keys: [UInt64]
  private var values: [LexEntry]
  private let mask: Int

  init(_ entries: [UInt64: LexEntry]) {
    var cap = 16
    while cap < entries.count * 3 { cap <<= 1 }
    mask = cap - 1
    keys = Array(repeating: 0, count: cap)
    values = Array(repeating: LexEntry(), count: cap)
    for (k, v) in entries {
      let key = k == 0 ? 1 : k
      var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
      while keys[i] != 0 { i = (i + 1) & mask }
      keys[i] = key
      values[i] = v
    }
  }

  @inline(__always) func lookup(_ k: UInt64) -> LexEntry? {
    let key = k == 0 ? 1 : k
    var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    while true {
      let found = keys[i]
      if found == key { return values[i] }
      if found == 0 { return nil }
      i = (i + 1) & mask
    }
  }
}

/// The lexicons and cues, built once per process from the generated data and `Cues`.
final class Lexicon: Sendable {
  static let shared = Lexicon()

  let words: HashTable
  let phrases: HashTable
  /// Emoticons by the hash of their exact bytes.
  var emoticons: [UInt64: (String, Float)] { Emoticons.table }
  let longestPhrase = 4

  private init() {
    var words: [UInt64: LexEntry] = [:]
    var phrases: [UInt64: LexEntry] = [:]

    func edit(_ text: String, _ body: (inout LexEntry) -> Void) {
      let hashes = Tokenizer.wordHashes(text)
      guard !hashes.isEmpty else { return }
      if hashes.count == 1 {
        body(&words[hashes[0], default: LexEntry()])
      } else {
        var h = hashes[0]
        for x in hashes.dropFirst() { h = FNV.pair(h, x) }
        var e = phrases[h, default: LexEntry()]
        e.words = UInt8(hashes.count)
        body(&e)
        phrases[h] = e
      }
    }

    for line in LexiconData.vaderEN.split(separator: "\n") {
      let parts = line.split(separator: "\t")
      guard parts.count == 2, let v = Float(parts[1]) else { continue }
      edit(String(parts[0])) {
        $0.valenceEN = v
        $0.flags.insert(.hasEN)
      }
    }
    for line in LexiconData.patternNL.split(separator: "\n") {
      let parts = line.split(separator: "\t")
      guard parts.count == 2, let v = Float(parts[1]) else { continue }
      // pattern's polarity is -1…+1; VADER's scale is -4…+4, and a strong Dutch adjective should
      // weigh about as much as a strong English one.
      edit(String(parts[0])) {
        $0.valenceNL = v * 3
        $0.flags.insert(.hasNL)
      }
    }
    for (w, v) in Cues.englishValences {
      edit(w) {
        $0.valenceEN = Float(v)
        $0.flags.insert(.hasEN)
      }
    }
    for (w, v) in Cues.dutchValences {
      edit(w) {
        $0.valenceNL = Float(v)
        $0.flags.insert(.hasNL)
      }
    }
    for w in Cues.negators { edit(w) { $0.flags.insert(.negator) } }
    for (w, b) in Cues.boosters {
      edit(w) {
        $0.flags.insert(.booster)
        $0.boost = Float(b)
      }
    }
    for w in Cues.whWords { edit(w) { $0.flags.insert(.whWord) } }
    for w in Cues.questionVerbs { edit(w) { $0.flags.insert(.questionVerb) } }
    for (w, r) in Cues.requests {
      edit(w) {
        $0.flags.insert(.request)
        $0.request = Float(r)
      }
    }
    for (w, c) in Cues.complaints {
      edit(w) {
        $0.flags.insert(.complaint)
        $0.complaint = Float(c)
      }
    }
    for w in Cues.insults { edit(w) { $0.flags.insert(.insult) } }
    for w in Cues.sweeping { edit(w) { $0.flags.insert(.sweeping) } }
    for w in Cues.firstPerson { edit(w) { $0.flags.insert(.firstPerson) } }
    for w in Cues.contrasts { edit(w) { $0.flags.insert(.contrast) } }
    for w in Cues.dutch { edit(w) { $0.flags.insert(.dutch) } }
    for w in Cues.english { edit(w) { $0.flags.insert(.english) } }
    for (w, t) in Cues.thanks {
      edit(w) {
        $0.flags.insert(.thanks)
        $0.thanks = Float(t)
      }
    }
    // Dutch function words are not sentiment, whatever an adjective sense says ("naar" is mostly
    // "to", not "nasty"; "net" is "just", not "neat").
    for (h, e) in words where e.flags.contains(.dutch) {
      words[h]!.valenceNL = 0
    }
    for w in Cues.secondPerson { edit(w) { $0.flags.insert(.secondPerson) } }
    for w in Cues.irrealis { edit(w) { $0.flags.insert(.irrealis) } }
    for w in Cues.exasperation { edit(w) { $0.flags.insert(.exasperation) } }
    for w in Cues.greetings { edit(w) { $0.flags.insert(.greeting) } }
    for w in Cues.venting {
      edit(w) {
        $0.flags.insert([.venting, .complaint])
        if $0.complaint == 0 { $0.complaint = 1.0 }
      }
    }
    for w in Cues.resolutions { edit(w) { $0.flags.insert(.resolution) } }
    for (scalar, v) in Cues.emoji {
      var e = LexEntry()
      e.flags = [.emoji, .hasEN, .hasNL]
      e.valenceEN = Float(v)
      e.valenceNL = Float(v)
      words[FNV.emoji(scalar.value)] = e
    }
    self.words = HashTable(words)
    self.phrases = HashTable(phrases)
  }
}

/// Emoticons by the hash of their exact bytes; apart from `Lexicon`, because building the lexicon
/// tokenizes its phrases, and the tokenizer needs this table.
enum Emoticons {
  static let table: [UInt64: (String, Float)] = {
    var t: [UInt64: (String, Float)] = [:]
    for (s, v) in Cues.emoticons { t[FNV.hash(s)] = (s, Float(v)) }
    return t
  }()
}
