/// Display widths of text in terminal columns, and truncation and wrapping by those widths.
///
/// A grapheme cluster is measured as a whole: wide East Asian characters and emoji take two
/// columns, combining marks add none, and ZWJ sequences, flags, keycaps and emoji with a
/// presentation selector are one two-column cluster.
public enum TextWidth {
  /// The ellipsis that marks truncated text.
  public static let ellipsis: Character = "…"

  /// The columns `text` takes on screen.
  public static func width(of text: String) -> Int {
    var total = 0
    for character in text { total += width(of: character) }
    return total
  }

  /// The columns one grapheme cluster takes: 0, 1 or 2.
  ///
  /// Control characters count as one column because the canvas shows them as a placeholder.
  public static func width(of character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x7F, scalars.count == 1 { return 1 }  // ASCII fast path, controls included
    var sawEmojiSelector = false
    var sawTextSelector = false
    var sawZWJ = false
    var regionalIndicators = 0
    for scalar in scalars {
      switch scalar.value {
      case 0xFE0F: sawEmojiSelector = true
      case 0xFE0E: sawTextSelector = true
      case 0x200D: sawZWJ = true
      case 0x1F1E6...0x1F1FF: regionalIndicators += 1
      default: break
      }
    }
    if regionalIndicators > 0 { return regionalIndicators >= 2 ? 2 : 1 }
    if isZeroWidth(first) {
      // A cluster made only of marks (a mark at the start of a string, a lone ZWSP).
      return scalars.allSatisfy(isZeroWidth) ? 0 : 1
    }
    if sawTextSelector { return isWide(first) && !first.properties.isEmoji ? 2 : 1 }
    if first.properties.isEmojiPresentation || isWide(first) { return 2 }
    if first.properties.isEmoji && (sawEmojiSelector || sawZWJ || scalars.contains(where: isEmojiModifier)) {
      return 2
    }
    return 1
  }

  /// True for scalars that take no column of their own: combining marks, joiners, selectors.
  public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v == 0x200B || v == 0x200C || v == 0x200D || v == 0x2060 || v == 0xFEFF { return true }
    if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return true }
    if (0x1160...0x11FF).contains(v) { return true }  // Hangul medial vowels and final consonants
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return true
    case .format: return !(0x0600...0x0605).contains(v) && v != 0x06DD && v != 0x110BD
    default: return false
    }
  }

  /// True for East Asian Wide and Fullwidth scalars (CJK, Hangul, kana, fullwidth forms).
  public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0x1100 { return false }
    var low = 0
    var high = wideRanges.count - 1
    while low <= high {
      let mid = (low + high) / 2
      let range = wideRanges[mid]
      if v < range.lowerBound {
        high = mid - 1
      } else if v > range.upperBound {
        low = mid + 1
      } else {
        return true
      }
    }
    return false
  }

  private static func isEmojiModifier(_ scalar: Unicode.Scalar) -> Bool {
    (0x1F3FB...0x1F3FF).contains(scalar.value)
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges outside the emoji, sorted.
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
    0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
    0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
    0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
    0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
    0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
    0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
    0x2E80...0x303E, 0x3041...0x3247, 0x3250...0x4DBF, 0x4E00...0xA4CF, 0xA960...0xA97F,
    0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
    0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x18CFF, 0x18D00...0x18D08,
    0x1AFF0...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
    0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
    0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
    0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
    0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
    0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
    0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
    0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
    0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]

  /// `text` cut to at most `width` columns, ending in "…" when something was cut.
  public static func truncate(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    if self.width(of: text) <= width { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = self.width(of: character)
      if used + w > width - 1 { break }
      out.append(character)
      used += w
    }
    out.append(ellipsis)
    return out
  }

  /// `text` padded with spaces (or truncated) to exactly `width` columns.
  public static func pad(_ text: String, to width: Int) -> String {
    let fitted = truncate(text, to: width)
    let missing = width - self.width(of: fitted)
    return missing > 0 ? fitted + String(repeating: " ", count: missing) : fitted
  }

  /// `text` wrapped into lines of at most `width` columns.
  ///
  /// Lines break at spaces; a word longer than a line is split between grapheme clusters; a
  /// newline starts a new line (an empty line stays empty). Spaces at a break are dropped.
  public static func wrap(_ text: String, to width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lines.append(contentsOf: wrapParagraph(Substring(paragraph), width: width))
    }
    return lines
  }

  private static func wrapParagraph(_ paragraph: Substring, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
      var wordWidth = self.width(of: String(word))
      let gap = line.isEmpty ? 0 : 1
      if lineWidth + gap + wordWidth <= width {
        if gap == 1 { line.append(" ") }
        line += word
        lineWidth += gap + wordWidth
        continue
      }
      if !line.isEmpty {
        lines.append(line)
        line = ""
        lineWidth = 0
      }
      var rest = Substring(word)
      while wordWidth > width {
        // Split a word that cannot fit on any line, keeping clusters whole.
        var piece = ""
        var pieceWidth = 0
        var index = rest.startIndex
        while index < rest.endIndex {
          let w = self.width(of: rest[index])
          if pieceWidth + w > width { break }
          piece.append(rest[index])
          pieceWidth += w
          index = rest.index(after: index)
        }
        if piece.isEmpty {
          // Only when width is 1 and the cluster is wide: emit it alone rather than loop forever.
          piece.append(rest[index])
          index = rest.index(after: index)
        }
        lines.append(piece)
        rest = rest[index...]
        wordWidth = self.width(of: String(rest))
      }
      line = String(rest)
      lineWidth = wordWidth
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }
}

/// Replaces what must never reach a terminal with something visible.
///
/// The Canvas runs every string through this, so a cell can never hold a control character:
/// C0 controls become Control Pictures (`␛`, `␇`, …), DEL becomes `␡`, and C1 controls, bidi
/// controls and line/paragraph separators become U+FFFD. Callers that want richer placeholders
/// (the main repo's `TerminalSafe`) sanitise before drawing.
public enum ControlCharacters {
  /// True when `scalar` could drive a terminal or reorder text.
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || isBidiControl(v) || v == 0x2028 || v == 0x2029
  }

  /// The visible stand-in for an unsafe scalar.
  public static func placeholder(for scalar: Unicode.Scalar) -> Unicode.Scalar {
    let v = scalar.value
    if v < 0x20 { return Unicode.Scalar(0x2400 + v)! }
    if v == 0x7F { return "\u{2421}" }
    return "\u{FFFD}"
  }

  /// `text` with every unsafe scalar replaced by its placeholder.
  public static func visible(_ text: String) -> String {
    if !text.unicodeScalars.contains(where: isUnsafe) { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      out.append(isUnsafe(scalar) ? placeholder(for: scalar) : scalar)
    }
    return String(out)
  }

  private static func isBidiControl(_ v: UInt32) -> Bool {
    v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v)
      || (0x2066...0x2069).contains(v)
  }
}
