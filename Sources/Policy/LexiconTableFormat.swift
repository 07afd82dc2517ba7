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

  /// Reads the table's text into a hash table of `count` entries. One pass over the bytes with
  /// the fields of the line at hand in a small buffer, and no closure or String on the way: the
  /// debug build (the tests') reads it in tens of millions of instructions, not hundreds.
  static func read(_ text: String, count: Int) -> HashTable {
    var table = HashTable(capacityFor: count)
    var text = text
    text.withUTF8 { bytes in
      guard var p = bytes.baseAddress else { return }
      let end = p + bytes.count
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { fields in
        var k = 0
        var v: UInt64 = 0
        while p < end {
          let b = p.pointee
          p += 1
          if b == 0x20 || b == 0x0A {
            if k < 16 { fields[k] = v }
            k += 1
            v = 0
            if b == 0x0A {
              table.insert(fields[0], entry(fields, k))
              k = 0
            }
          } else {
            v = v << 4 | UInt64(b <= 0x39 ? b &- 0x30 : b &- 0x57)
          }
        }
        if k > 0 || v != 0 {
          fields[Swift.min(k, 15)] = v
          table.insert(fields[0], entry(fields, k + 1))
        }
      }
    }
    return table
  }

  /// The entry of one line's `n` fields: hash, flags, words, present, then the weights present.
  private static func entry(_ fields: UnsafeMutableBufferPointer<UInt64>, _ n: Int) -> LexEntry {
    var e = LexEntry()
    e.flags = LexEntry.Flags(rawValue: UInt32(truncatingIfNeeded: fields[1]))
    e.words = UInt8(truncatingIfNeeded: fields[2])
    let present = fields[3]
    var next = 4
    if present & 1 != 0, next < n { (e.valenceEN, next) = (float(fields[next]), next + 1) }
    if present & 2 != 0, next < n { (e.valenceNL, next) = (float(fields[next]), next + 1) }
    if present & 4 != 0, next < n { (e.boost, next) = (float(fields[next]), next + 1) }
    if present & 8 != 0, next < n { (e.complaint, next) = (float(fields[next]), next + 1) }
    if present & 16 != 0, next < n { (e.request, next) = (float(fields[next]), next + 1) }
    if present & 32 != 0, next < n { e.thanks = float(fields[next]) }
    return e
  }

  @inline(__always) private static func float(_ bits: UInt64) -> Float {
    Float(bitPattern: UInt32(truncatingIfNeeded: bits))
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
