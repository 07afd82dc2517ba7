import Policy

/// The classifier's signals as the store keeps them: a compact text, decoded to JSON where read.
///
/// The JSON array (`[{"kind":"complaint_cue","token":"late","weight":0.8},…]`) averaged 297
/// bytes a mention, as much as the raw record; written a million times at ingest it was a third
/// of the `mentions` table. The packed form says the same in about a fifth of that: per signal
/// one letter for its kind, the weight in thousandths (`n` when it has none), the token's length
/// in UTF-8 bytes and the token itself, e.g. `c800:4:late` and `n-800:4:late`. The length, not a
/// separator, ends a token, so any text is a token. `[]` packs to the empty text. Text that
/// starts with `[` is JSON already (a store written before the packed form) and reads as is.
public struct PackedSignals: Sendable, Hashable {
  /// What the store's `signals` column holds.
  public let text: String

  /// The packed text as stored (from the `signals` column).
  public init(stored text: String) { self.text = text }

  public init(_ signals: [Signal]) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(signals.count * 12)
    for s in signals {
      bytes.append(Self.code(s.kind))
      if s.weight.isFinite, abs(s.weight) < 1e15 {
        // Rounded as `JSONWriter.decimal3` rounds, so the JSON read back is the JSON written before.
        Self.appendDecimal(Int64((s.weight * 1000).rounded()), to: &bytes)
      } else {
        bytes.append(UInt8(ascii: "n"))
      }
      bytes.append(UInt8(ascii: ":"))
      var token = s.token
      token.withUTF8 { utf8 in
        Self.appendDecimal(Int64(utf8.count), to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: utf8)
      }
    }
    text = String(decoding: bytes, as: UTF8.self)
  }

  /// The signals as the JSON array `PolicyAnnotator.signalsJSON` writes; nil when the text is
  /// not a packed list (it was damaged).
  public var json: String? {
    if text.utf8.first == UInt8(ascii: "[") { return text }
    guard let items = decoded() else { return nil }
    var w = JSONWriter()
    w.objects("signals", items) { o, s in
      o.string("kind", s.kind.rawValue)
      o.string("token", s.token)
      o.decimal3("weight", s.thousandths.map { Double($0) / 1000 })
    }
    let object = w.finish()
    // The array alone: drop the wrapping `{"signals":` … `}`.
    return String(object.dropFirst(#"{"signals":"#.count).dropLast())
  }

  /// The signals, their weights in thousandths (nil: none); nil when the text is damaged or JSON.
  public func decoded() -> [(kind: SignalKind, token: String, thousandths: Int64?)]? {
    var items: [(kind: SignalKind, token: String, thousandths: Int64?)] = []
    let bytes = Array(text.utf8)
    var i = 0
    func number() -> Int64? {
      var negative = false
      if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
        negative = true
        i += 1
      }
      var value: Int64 = 0
      var digits = 0
      while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), digits < 18 {
        value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
        i += 1
        digits += 1
      }
      return digits == 0 ? nil : (negative ? -value : value)
    }
    func colon() -> Bool {
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
      i += 1
      return true
    }
    while i < bytes.count {
      guard let kind = Self.kinds[bytes[i]] else { return nil }
      i += 1
      var weight: Int64?
      if i < bytes.count, bytes[i] == UInt8(ascii: "n") {
        i += 1
      } else {
        guard let w = number() else { return nil }
        weight = w
      }
      guard colon(), let length = number(), length >= 0, colon(), length <= bytes.count - i else {
        return nil
      }
      let end = i + Int(length)
      items.append((kind, String(decoding: bytes[i..<end], as: UTF8.self), weight))
      i = end
    }
    return items
  }

  private static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
    var m = value
    if m < 0 {
      bytes.append(UInt8(ascii: "-"))
      m = -m
    }
    // The digits least significant first, then turned around in place: no buffer of their own.
    let start = bytes.count
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
      m /= 10
    } while m > 0
    bytes[start...].reverse()
  }

  /// Each kind's letter. Stored in every store: a letter never changes meaning, a new kind takes
  /// a letter not used yet.
  static func code(_ kind: SignalKind) -> UInt8 {
    let letter: Unicode.Scalar =
      switch kind {
      case .positiveWord: "p"
      case .negativeWord: "n"
      case .negation: "g"
      case .intensifier: "i"
      case .dampener: "d"
      case .emoji: "e"
      case .emoticon: "o"
      case .thanks: "t"
      case .questionMark: "q"
      case .interrogative: "w"
      case .request: "r"
      case .complaintCue: "c"
      case .ownExperience: "x"
      case .insult: "s"
      case .sweeping: "a"
      case .shouting: "h"
      case .exclamation: "b"
      case .contrast: "v"
      case .rumour: "u"
      case .staffAuthor: "f"
      case .exasperation: "z"
      case .greeting: "y"
      case .resolution: "k"
      }
    return UInt8(letter.value)
  }

  private static let kinds: [UInt8: SignalKind] = Dictionary(
    uniqueKeysWithValues: SignalKind.allCases.map { (code($0), $0) })
}
