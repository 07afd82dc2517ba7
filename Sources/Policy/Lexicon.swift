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

  /// An empty table with room for `count` entries at a load of at most a third.
  init(capacityFor count: Int) {
    var cap = 16
    while cap < count * 3 { cap <<= 1 }
    mask = cap - 1
    keys = Array(repeating: 0, count: cap)
    values = Array(repeating: LexEntry(), count: cap)
  }

  init(_ entries: [UInt64: LexEntry]) {
    self.init(capacityFor: entries.count)
    for (k, v) in entries { insert(k, v) }
  }

  /// Adds an entry whose hash is not in the table yet.
  mutating func insert(_ k: UInt64, _ v: LexEntry) {
    let key = k == 0 ? 1 : k
    var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    while keys[i] != 0 { i = (i + 1) & mask }
    keys[i] = key
    values[i] = v
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

  /// How many entries the table holds.
  var count: Int { keys.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }
}

/// The lexicons and cues, read at first use from the prebuilt table `LexiconTable` (generated from
/// what `LexiconBuilder` builds: `scripts/gen-lexicons.sh`), so a process pays a few million
/// instructions for them instead of building them from the lexicons' text.
final class Lexicon: Sendable {
  static let shared = Lexicon()

  let words: HashTable
  let phrases: HashTable
  /// Emoticons by the hash of their exact bytes.
  var emoticons: [UInt64: (String, Float)] { Emoticons.table }
  let longestPhrase = 4

  private init() {
    words = LexiconTableFormat.read(LexiconTable.words, count: LexiconTable.wordCount)
    phrases = LexiconTableFormat.read(LexiconTable.phrases, count: LexiconTable.phraseCount)
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
