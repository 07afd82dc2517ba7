/// The text form of the prebuilt lexicon table (`LexiconTable`, generated): one entry a line,
/// fields in lowercase hexadecimal separated by a space:
///
///     hash flags words present [valence…]
///
/// `present` has a bit for each of the six weights that is not zero (valenceEN, valenceNL, boost,
/// complaint, request, thanks, in that order, lowest bit first), and the line carries the bit
/// pattern of each such weight, so every `Float` comes back exactly. Reading it is a few million
/// instructions, against the ~430 M of building the lexicons from their text (`LexiconBuilder`).
enum LexiconTableFormat {
  /// The six weights of an entry, in the order of the `present` bits.
  static var weights: [WritableKeyPath<LexEntry, Float>] {
    [\.valenceEN, \.valenceNL, \.boost, \.complaint, \.request, \.thanks]
  }

  /// One entry's line, without its newline.
  static func line(_ hash: UInt64, _ e: LexEntry) -> String {
    var present = 0
    var values: [String] = []
    for (bit, path) in weights.enumerated() where e[keyPath: path].bitPattern != 0 {
      present |= 1 << bit
      values.append(String(e[keyPath: path].bitPattern, radix: 16))
    }
    let head = [
      String(hash, radix: 16), String(e.flags.rawValue, radix: 16), String(e.words, radix: 16),
      String(present, radix: 16),
    ]
    return (head + values).joined(separator: " ")
  }

  /// The lines of a table, sorted by hash so the generated file is the same on every run.
  static func lines(_ entries: [UInt64: LexEntry]) -> [String] {
    entries.keys.sorted().map { line($0, entries[$0]!) }
  }

  /// Reads the table's text into a hash table of `count` entries.
  static func read(_ text: String, count: Int) -> HashTable {
    var table = HashTable(capacityFor: count)
    var text = text
    text.withUTF8 { p in
      var i = 0
      let n = p.count
      /// The next hexadecimal field; stops after the space or newline that ends it.
      func field() -> UInt64 {
        var v: UInt64 = 0
        while i < n {
          let b = p[i]
          i += 1
          if b == 0x20 || b == 0x0A { break }
          v = v << 4 | UInt64(b <= 0x39 ? b &- 0x30 : b &- 0x57)
        }
        return v
      }
      while i < n {
        let hash = field()
        var e = LexEntry()
        e.flags = LexEntry.Flags(rawValue: UInt32(truncatingIfNeeded: field()))
        e.words = UInt8(truncatingIfNeeded: field())
        let present = Int(field())
        if present & 1 != 0 { e.valenceEN = Float(bitPattern: UInt32(truncatingIfNeeded: field())) }
        if present & 2 != 0 { e.valenceNL = Float(bitPattern: UInt32(truncatingIfNeeded: field())) }
        if present & 4 != 0 { e.boost = Float(bitPattern: UInt32(truncatingIfNeeded: field())) }
        if present & 8 != 0 { e.complaint = Float(bitPattern: UInt32(truncatingIfNeeded: field())) }
        if present & 16 != 0 { e.request = Float(bitPattern: UInt32(truncatingIfNeeded: field())) }
        if present & 32 != 0 { e.thanks = Float(bitPattern: UInt32(truncatingIfNeeded: field())) }
        table.insert(hash, e)
      }
    }
    return table
  }

  /// The generated Swift file: `LexiconTable`, from what `LexiconBuilder` builds.
  static func swiftFile() -> String {
    let (words, phrases) = LexiconBuilder.build()
    func literal(_ lines: [String]) -> String {
      "#\"\"\"\n" + lines.map { "    " + $0 + "\n" }.joined() + "    \"\"\"#"
    }
    return """
      // Generated from LexiconBuilder (LexiconData.swift and Cues.swift) by scripts/gen-lexicons.sh;
      // do not edit by hand. The format: LexiconTableFormat.

      enum LexiconTable {
        static let wordCount = \(words.count)
        static let phraseCount = \(phrases.count)
        static let words = \(literal(LexiconTableFormat.lines(words)))
        static let phrases = \(literal(LexiconTableFormat.lines(phrases)))
      }

      """
  }
}
