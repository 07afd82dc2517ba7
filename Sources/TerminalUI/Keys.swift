/// A key on the keyboard, without modifiers.
public enum Key: Hashable, Sendable {
  /// A printable character (a letter, a digit, a space, an emoji, …).
  case character(Character)
  /// Arrow up.
  case up
  /// Arrow down.
  case down
  /// Arrow left.
  case left
  /// Arrow right.
  case right
  /// Page up.
  case pageUp
  /// Page down.
  case pageDown
  /// Home.
  case home
  /// End.
  case end
  /// Enter / Return.
  case enter
  /// Escape.
  case escape
  /// Tab.
  case tab
  /// Shift-Tab.
  case backTab
  /// Backspace.
  case backspace
  /// Delete (forward).
  case delete
  /// Insert.
  case insert
  /// A function key, F1 = 1.
  case function(Int)
}

/// Ctrl, Alt (Meta) and Shift held with a key.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Control.
  public static let ctrl = KeyModifiers(rawValue: 1 << 0)
  /// Alt / Meta (sent as Esc before the key by most terminals).
  public static let alt = KeyModifiers(rawValue: 1 << 1)
  /// Shift, for keys whose shifted form is not a character of its own (S-Up).
  public static let shift = KeyModifiers(rawValue: 1 << 2)
}

/// A key with its modifiers: what a key binding matches.
///
/// Written in a vim-like notation: `j`, `G`, `?`, `<Enter>`, `<Esc>`, `<C-x>`, `<M-x>`, `<S-Tab>`,
/// `<Up>`, `<PgDn>`, `<F5>`, `<Space>`, `<lt>` (a literal `<`).
public struct KeyChord: Hashable, Sendable, CustomStringConvertible {
  /// The key.
  public var key: Key
  /// The modifiers held.
  public var modifiers: KeyModifiers

  /// A chord; Ctrl with a letter is stored with the lowercase letter.
  public init(_ key: Key, modifiers: KeyModifiers = []) {
    if modifiers.contains(.ctrl), case .character(let c) = key, c.isLetter {
      self.key = .character(Character(c.lowercased()))
    } else {
      self.key = key
    }
    self.modifiers = modifiers
  }

  /// A plain character key.
  public static func char(_ character: Character) -> KeyChord { KeyChord(.character(character)) }

  /// Ctrl with a letter.
  public static func ctrl(_ letter: Character) -> KeyChord { KeyChord(.character(letter), modifiers: .ctrl) }

  private static let names: [(String, Key)] = [
    ("Enter", .enter), ("Esc", .escape), ("Tab", .tab), ("BS", .backspace), ("Del", .delete),
    ("Up", .up), ("Down", .down), ("Left", .left), ("Right", .right), ("PgUp", .pageUp),
    ("PgDn", .pageDown), ("Home", .home), ("End", .end), ("Ins", .insert), ("Space", .character(" ")),
    ("lt", .character("<")), ("S-Tab", .backTab),
  ]

  private static let aliases: [String: Key] = [
    "cr": .enter, "return": .enter, "escape": .escape, "backspace": .backspace, "delete": .delete,
    "pageup": .pageUp, "pagedown": .pageDown, "insert": .insert, "backtab": .backTab,
  ]

  /// Parses the notation (`j`, `<C-x>`, `<Enter>`); nil when it names no key.
  public init?(notation: String) {
    if notation.count == 1, let c = notation.first, c != "<" || notation == "<" {
      self.init(.character(c))
      return
    }
    guard notation.hasPrefix("<"), notation.hasSuffix(">"), notation.count > 2 else { return nil }
    var body = Substring(notation.dropFirst().dropLast())
    if let (_, key) = KeyChord.names.first(where: { $0.0.lowercased() == body.lowercased() }) {
      self.init(key)
      return
    }
    var modifiers: KeyModifiers = []
    while body.count > 2, body.dropFirst().first == "-" {
      switch body.first!.uppercased() {
      case "C": modifiers.insert(.ctrl)
      case "M", "A": modifiers.insert(.alt)
      case "S": modifiers.insert(.shift)
      default: return nil
      }
      body = body.dropFirst(2)
    }
    let name = body.lowercased()
    if body.count == 1 {
      self.init(.character(body.first!), modifiers: modifiers)
    } else if let (_, key) = KeyChord.names.first(where: { $0.0.lowercased() == name }) {
      if key == .tab && modifiers == .shift {
        self.init(.backTab)
      } else {
        self.init(key, modifiers: modifiers)
      }
    } else if let key = KeyChord.aliases[name] {
      self.init(key, modifiers: modifiers)
    } else if name.hasPrefix("f"), let n = Int(name.dropFirst()), (1...63).contains(n) {
      self.init(.function(n), modifiers: modifiers)
    } else {
      return nil
    }
  }

  /// The chord in the notation `init(notation:)` reads.
  public var notation: String {
    var prefix = ""
    if modifiers.contains(.ctrl) { prefix += "C-" }
    if modifiers.contains(.alt) { prefix += "M-" }
    if modifiers.contains(.shift) { prefix += "S-" }
    let name: String
    if case .function(let n) = key {
      name = "F\(n)"
    } else if let (n, _) = KeyChord.names.first(where: { $0.1 == key }) {
      name = n
    } else if case .character(let c) = key {
      if prefix.isEmpty { return String(c) }
      name = String(c)
    } else {
      name = "?"
    }
    return name == "S-Tab" || !prefix.isEmpty || name.count > 1 ? "<\(prefix)\(name)>" : name
  }

  /// How the help screen shows the chord: `j`, `↑`, `PgDn`, `Ctrl-X`, `Enter`.
  public var label: String {
    var prefix = ""
    if modifiers.contains(.ctrl) { prefix += "Ctrl-" }
    if modifiers.contains(.alt) { prefix += "Alt-" }
    if modifiers.contains(.shift) { prefix += "Shift-" }
    let name: String
    switch key {
    case .up: name = "↑"
    case .down: name = "↓"
    case .left: name = "←"
    case .right: name = "→"
    case .character(" "): name = "Space"
    case .character(let c): name = modifiers.contains(.ctrl) ? c.uppercased() : String(c)
    case .backTab: name = "Shift-Tab"
    case .function(let n): name = "F\(n)"
    default: name = KeyChord.names.first(where: { $0.1 == key })?.0 ?? "?"
    }
    return prefix + name
  }

  public var description: String { notation }
}

/// A mouse button.
public enum MouseButton: Hashable, Sendable {
  /// The primary button.
  case left
  /// The middle button / wheel press.
  case middle
  /// The secondary button.
  case right
}

/// What the mouse did, and where.
public struct MouseEvent: Hashable, Sendable {
  /// The kind of mouse action.
  public enum Action: Hashable, Sendable {
    /// A button went down (or a click was reported).
    case press(MouseButton)
    /// A button went up.
    case release(MouseButton)
    /// The wheel turned up (away from the user).
    case wheelUp
    /// The wheel turned down (towards the user).
    case wheelDown
  }

  /// What happened.
  public var action: Action
  /// Where the pointer was, in screen cells.
  public var position: Position
  /// Modifiers held.
  public var modifiers: KeyModifiers

  /// A mouse event.
  public init(_ action: Action, at position: Position, modifiers: KeyModifiers = []) {
    self.action = action
    self.position = position
    self.modifiers = modifiers
  }
}

/// Why the terminal stopped delivering input; the loop should clean up and leave.
public enum TerminationReason: Hashable, Sendable {
  /// A signal asked the program to stop (SIGINT, SIGTERM, SIGHUP), by number.
  case signal(Int32)
  /// The terminal went away: end of input or hang-up.
  case inputClosed
}

/// Something that happened at the terminal.
public enum Event: Hashable, Sendable {
  /// A key press.
  case key(KeyChord)
  /// A mouse click or wheel turn.
  case mouse(MouseEvent)
  /// The terminal has a new size.
  case resize(Size)
  /// Bracketed paste started: the keys until `pasteEnd` are pasted text, not commands.
  case pasteBegin
  /// Bracketed paste ended.
  case pasteEnd
  /// The program should stop.
  case terminated(TerminationReason)

  /// Parses one step of a test script: a key notation (`j`, `<C-x>`), `<PasteBegin>`,
  /// `<PasteEnd>`, `<WheelUp@row,col>`, `<WheelDown@row,col>`, `<Click@row,col>`, or `<Resize@WxH>`.
  public init?(notation: String) {
    if let chord = KeyChord(notation: notation) {
      self = .key(chord)
      return
    }
    guard notation.hasPrefix("<"), notation.hasSuffix(">") else { return nil }
    let body = notation.dropFirst().dropLast()
    switch body.lowercased() {
    case "pastebegin": self = .pasteBegin
    case "pasteend": self = .pasteEnd
    default:
      let parts = body.split(separator: "@", maxSplits: 1)
      guard parts.count == 2 else { return nil }
      let name = parts[0].lowercased()
      if name == "resize" {
        let dims = parts[1].split(separator: "x").compactMap { Int($0) }
        guard dims.count == 2 else { return nil }
        self = .resize(Size(width: dims[0], height: dims[1]))
        return
      }
      let coordinates = parts[1].split(separator: ",").compactMap { Int($0) }
      guard coordinates.count == 2 else { return nil }
      let position = Position(row: coordinates[0], column: coordinates[1])
      switch name {
      case "click": self = .mouse(MouseEvent(.press(.left), at: position))
      case "wheelup": self = .mouse(MouseEvent(.wheelUp, at: position))
      case "wheeldown": self = .mouse(MouseEvent(.wheelDown, at: position))
      default: return nil
      }
    }
  }

  /// Expands a key script into events: each item is one notation (`<Enter>`, `j`) or, when it is
  /// not one, text typed character by character (`"Dank je!"`).
  public static func script(_ items: [String]) -> [Event] {
    items.flatMap { item -> [Event] in
      if let event = Event(notation: item) { return [event] }
      return item.map { .key(.char($0)) }
    }
  }
}
