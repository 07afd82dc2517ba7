/// A terminal colour, from "whatever the terminal uses" to 24-bit RGB.
public enum Color: Hashable, Sendable {
  /// The terminal's own foreground or background colour.
  case `default`
  /// One of the 16 ANSI colours: 0–7 normal, 8–15 bright.
  case ansi(UInt8)
  /// One of the 256 xterm colours: 0–15 ANSI, 16–231 the 6×6×6 cube, 232–255 greys.
  case indexed(UInt8)
  /// A 24-bit colour.
  case rgb(UInt8, UInt8, UInt8)

  /// The ANSI colour names in palette order, as themes spell them.
  public static let ansiNames: [String] = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright-black", "bright-red", "bright-green", "bright-yellow",
    "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
  ]

  /// Parses `#rrggbb`, an ANSI name (`red`, `bright-red`, `light-red`, `gray`), or an index `0`…`255`.
  ///
  /// Returns nil for anything else, so a theme loader can report the bad value with its line.
  public init?(parsing text: String) {
    let lower = text.lowercased()
    if lower == "default" || lower == "reset" {
      self = .default
      return
    }
    if lower.hasPrefix("#") {
      let hex = lower.dropFirst()
      guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return nil }
      self = .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
      return
    }
    if let index = UInt8(lower) {
      self = .indexed(index)
      return
    }
    var normalised = String(lower.map { $0 == "_" ? "-" : $0 })
    if normalised.hasPrefix("light-") { normalised = "bright-" + normalised.dropFirst(6) }
    if normalised.hasSuffix("grey") { normalised = normalised.dropLast(4) + "gray" }
    switch normalised {
    case "gray": self = .ansi(8)
    case "bright-gray": self = .ansi(7)
    default:
      guard let index = Color.ansiNames.firstIndex(of: normalised) else { return nil }
      self = .ansi(UInt8(index))
    }
  }

  /// The RGB value xterm shows for this colour, nil for `.default`.
  public var rgbValue: (r: UInt8, g: UInt8, b: UInt8)? {
    switch self {
    case .default: return nil
    case .rgb(let r, let g, let b): return (r, g, b)
    case .ansi(let n): return Color.xtermRGB(index: Int(n & 15))
    case .indexed(let n): return Color.xtermRGB(index: Int(n))
    }
  }

  /// This colour as the nearest one a terminal of `depth` can show.
  public func reduced(to depth: ColorDepth) -> Color {
    switch (self, depth) {
    case (.default, _), (_, .trueColor): return self
    case (_, .monochrome): return .default
    case (.ansi(let n), .ansi8): return .ansi(n & 7)
    case (.ansi, _): return self
    case (.indexed(let n), .indexed256): return .indexed(n)
    case (.indexed(let n), _) where n < 16: return Color.ansi(n).reduced(to: depth)
    case (.rgb(let r, let g, let b), .indexed256): return .indexed(Color.nearest256(r, g, b))
    default:
      guard let (r, g, b) = rgbValue else { return .default }
      let candidates = depth == .ansi8 ? 0..<8 : 0..<16
      let best = candidates.min { lhs, rhs in
        Color.distance(Color.xtermRGB(index: lhs), (r, g, b))
          < Color.distance(Color.xtermRGB(index: rhs), (r, g, b))
      }!
      return .ansi(UInt8(best))
    }
  }

  /// The palette index a 256-colour terminal uses for this colour (after reduction), nil for `.default`.
  public var paletteIndex: Int? {
    switch self {
    case .default, .rgb: return nil
    case .ansi(let n): return Int(n)
    case .indexed(let n): return Int(n)
    }
  }

  static func xtermRGB(index: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
    let base: [(UInt8, UInt8, UInt8)] = [
      (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
      (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
      (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    if index < 16 { return base[index] }
    if index < 232 {
      let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
      let n = index - 16
      return (levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
    }
    let grey = UInt8(8 + 10 * (index - 232))
    return (grey, grey, grey)
  }

  static func distance(_ a: (r: UInt8, g: UInt8, b: UInt8), _ b: (r: UInt8, g: UInt8, b: UInt8)) -> Int {
    let dr = Int(a.r) - Int(b.r)
    let dg = Int(a.g) - Int(b.g)
    let db = Int(a.b) - Int(b.b)
    // Weighted for the eye's sensitivity: green counts most, blue least.
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db
  }

  /// The nearest colour of the cube or the grey ramp; the 16 ANSI colours are skipped because
  /// terminals recolour them.
  static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    func level(_ v: UInt8) -> Int {
      v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40
    }
    let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
    let average = (Int(r) + Int(g) + Int(b)) / 3
    let grey = average > 238 ? 255 : 232 + max(0, (average - 3) / 10)
    let target = (r: r, g: g, b: b)
    let cubeDistance = distance(xtermRGB(index: cube), target)
    let greyDistance = distance(xtermRGB(index: min(grey, 255)), target)
    return UInt8(greyDistance < cubeDistance ? min(grey, 255) : cube)
  }
}

/// How many colours a terminal can show; themes are reduced to it before drawing.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
  /// No colours at all (`NO_COLOR`, or a terminal without colour): attributes only.
  case monochrome = 0
  /// The 8 basic ANSI colours.
  case ansi8 = 8
  /// The 16 ANSI colours.
  case ansi16 = 16
  /// The xterm 256-colour palette.
  case indexed256 = 256
  /// 24-bit colour.
  case trueColor = 16_777_216

  public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The depth for a terminal reporting `colors` colours.
  public init(colors: Int) {
    switch colors {
    case ..<8: self = .monochrome
    case 8..<16: self = .ansi8
    case 16..<256: self = .ansi16
    case 256..<16_777_216: self = .indexed256
    default: self = .trueColor
    }
  }
}

/// Text attributes that do not depend on colour.
public struct Attributes: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Bold (or bright) text.
  public static let bold = Attributes(rawValue: 1 << 0)
  /// Dim (faint) text.
  public static let dim = Attributes(rawValue: 1 << 1)
  /// Foreground and background swapped.
  public static let reverse = Attributes(rawValue: 1 << 2)
  /// Underlined text.
  public static let underline = Attributes(rawValue: 1 << 3)
  /// Italic text.
  public static let italic = Attributes(rawValue: 1 << 4)

  /// The names themes use for each attribute, in a fixed order.
  public static let names: [(String, Attributes)] = [
    ("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline), ("italic", .italic),
  ]
}

/// How a cell looks: foreground, background and attributes.
public struct Style: Hashable, Sendable {
  /// The text colour; `.default` means the terminal's own (and "not set" when patching).
  public var fg: Color
  /// The background colour; `.default` means the terminal's own (and "not set" when patching).
  public var bg: Color
  /// Bold, dim, reverse, underline, italic.
  public var attributes: Attributes

  /// A style; everything defaults to the terminal's plain text.
  public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
    self.fg = fg
    self.bg = bg
    self.attributes = attributes
  }

  /// The plain terminal style.
  public static let plain = Style()

  /// This style with `other` laid on top: its colours where set, and the union of attributes.
  public func patched(with other: Style) -> Style {
    Style(
      fg: other.fg == .default ? fg : other.fg,
      bg: other.bg == .default ? bg : other.bg,
      attributes: attributes.union(other.attributes))
  }

  /// This style as a terminal of `depth` can show it.
  ///
  /// In monochrome a background colour marks an area (a selection, a status line), so it turns
  /// into reverse video rather than vanishing: the selection stays visible under `NO_COLOR`.
  public func reduced(to depth: ColorDepth) -> Style {
    if depth == .monochrome {
      var attributes = self.attributes
      if bg != .default { attributes.insert(.reverse) }
      return Style(attributes: attributes)
    }
    return Style(fg: fg.reduced(to: depth), bg: bg.reduced(to: depth), attributes: attributes)
  }
}
