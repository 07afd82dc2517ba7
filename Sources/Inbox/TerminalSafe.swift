/// The one sanitiser for text from outside: everything that shows a mention's text, an author's
/// name or any other foreign string passes it through here first.
///
/// Control characters, escape sequences and bidi overrides cannot drive the terminal afterwards:
/// each is replaced by a visible placeholder (`␛`, `␇`, `⟨RLO⟩`, …) so the responder still sees
/// that something odd was sent, without the terminal acting on it.
public enum TerminalSafe {
  /// How line breaks are treated.
  public enum Lines: Sendable {
    /// One line: a line break becomes `⏎` and a tab a space (queue rows, list output).
    case single
    /// Line breaks are kept as `\n` (CR LF folded) and tabs become spaces (detail pane, `show`).
    case multi
  }

  /// Returns `text` with every control character, escape sequence and bidi control made visible.
  public static func sanitize(_ text: String, lines: Lines = .single) -> String {
    if isPlain(text) { return text }
    var out = String.UnicodeScalarView()
    out.reserveCapacity(text.unicodeScalars.count + 8)
    var previousWasCR = false
    for scalar in text.unicodeScalars {
      let v = scalar.value
      defer { previousWasCR = (v == 0x0D) }
      switch v {
      case 0x0A:
        if lines == .multi {
          if !previousWasCR { out.append("\n") }
        } else if !previousWasCR {
          out.append("⏎")
          out.append(" ")
        }
      case 0x0D:
        if lines == .multi {
          out.append("\n")
        } else {
          out.append("⏎")
          out.append(" ")
        }
      case 0x09:
        out.append(" ")
      case 0x2028, 0x2029:
        if lines == .multi { out.append("\n") } else { out.append("⏎"); out.append(" ") }
      case 0x00..<0x20:
        // Control Pictures: U+2400 + code (␀ … ␟), so ESC shows as ␛ and BEL as ␇.
        out.append(Unicode.Scalar(0x2400 + v)!)
      case 0x7F:
        out.append("␡")
      case 0x80..<0xA0:
        out.append(contentsOf: placeholder(hex(v)).unicodeScalars)
      default:
        if let name = bidiName(v) {
          out.append(contentsOf: placeholder(name).unicodeScalars)
        } else {
          out.append(scalar)
        }
      }
    }
    return String(out)
  }

  /// True when `text` holds nothing the sanitiser would change.
  public static func isPlain(_ text: String) -> Bool {
    for byte in text.utf8 {
      if byte < 0x20 || byte == 0x7F { return false }
      // C1 controls are C2 80…C2 9F; bidi controls and line separators start with D8 (ALM) or E2 80/81.
      if byte == 0xC2 || byte == 0xD8 || byte == 0xE2 { return slowIsPlain(text) }
    }
    return true
  }

  private static func slowIsPlain(_ text: String) -> Bool {
    for scalar in text.unicodeScalars {
      let v = scalar.value
      if v < 0x20 || (0x7F..<0xA0).contains(v) || v == 0x2028 || v == 0x2029 || bidiName(v) != nil {
        return false
      }
    }
    return true
  }

  /// The short name of a bidirectional formatting character, or nil for any other scalar.
  static func bidiName(_ v: UInt32) -> String? {
    switch v {
    case 0x061C: return "ALM"
    case 0x200E: return "LRM"
    case 0x200F: return "RLM"
    case 0x202A: return "LRE"
    case 0x202B: return "RLE"
    case 0x202C: return "PDF"
    case 0x202D: return "LRO"
    case 0x202E: return "RLO"
    case 0x2066: return "LRI"
    case 0x2067: return "RLI"
    case 0x2068: return "FSI"
    case 0x2069: return "PDI"
    default: return nil
    }
  }

  private static func placeholder(_ name: String) -> String { "⟨\(name)⟩" }

  private static func hex(_ v: UInt32) -> String {
    let digits = Array("0123456789ABCDEF")
    return "U+00" + String(digits[Int(v >> 4)]) + String(digits[Int(v & 0xF)])
  }
}
