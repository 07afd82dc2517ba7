/// One row of a key table: a chord, the command it runs, and what the help screen says.
public struct KeyBinding<Command: Hashable & Sendable>: Hashable, Sendable {
  /// The chord that triggers the command.
  public var chord: KeyChord
  /// The command.
  public var command: Command
  /// The help text for the command.
  public var description: String

  /// A binding.
  public init(_ chord: KeyChord, _ command: Command, _ description: String) {
    self.chord = chord
    self.command = command
    self.description = description
  }
}

/// An ordered key table for one mode: `KeyChord → Command`, with a description per binding.
///
/// Order matters only for the help listing; a chord may be bound once per table.
public struct KeyMap<Command: Hashable & Sendable>: Sendable {
  /// The mode's name, shown as the help section title.
  public var title: String
  /// The bindings in help order.
  public private(set) var bindings: [KeyBinding<Command>] = []
  private var index: [KeyChord: Int] = [:]

  /// An empty table.
  public init(title: String) { self.title = title }

  /// Errors building a table.
  public enum Error: Swift.Error, Hashable, CustomStringConvertible {
    /// The chord is already bound in this table.
    case duplicate(KeyChord, title: String)
    /// The notation names no key.
    case badNotation(String)

    public var description: String {
      switch self {
      case .duplicate(let chord, let title): return "\(title): \(chord.notation) is bound twice"
      case .badNotation(let text): return "not a key: \(text)"
      }
    }
  }

  /// Adds a binding; a chord bound twice is an error.
  public mutating func bind(_ chord: KeyChord, to command: Command, _ description: String) throws {
    guard index[chord] == nil else { throw Error.duplicate(chord, title: title) }
    index[chord] = bindings.count
    bindings.append(KeyBinding(chord, command, description))
  }

  /// Adds bindings for each chord in `notations` (`["j", "<Down>"]`) to one command.
  public mutating func bind(_ notations: [String], to command: Command, _ description: String) throws {
    for notation in notations {
      guard let chord = KeyChord(notation: notation) else { throw Error.badNotation(notation) }
      try bind(chord, to: command, description)
    }
  }

  /// The command bound to `chord`, if any.
  public func command(for chord: KeyChord) -> Command? {
    index[chord].map { bindings[$0].command }
  }

  /// Every chord bound to `command`, in table order.
  public func chords(for command: Command) -> [KeyChord] {
    bindings.filter { $0.command == command }.map(\.chord)
  }

  /// The commands bound, in first-binding order, each once.
  public var commands: [Command] {
    var seen = Set<Command>()
    return bindings.compactMap { seen.insert($0.command).inserted ? $0.command : nil }
  }

  /// The chords bound here that `other` also binds (for "no mode shadows a global key").
  public func shadowedChords<Other>(in other: KeyMap<Other>) -> [KeyChord] {
    bindings.map(\.chord).filter { other.command(for: $0) != nil }
  }

  /// One help entry per command: its chords' labels joined (`j, ↓`) and its description.
  public func helpEntries() -> [(keys: String, description: String)] {
    commands.map { command in
      let chords = chords(for: command)
      let description = bindings.first { $0.command == command }!.description
      return (chords.map(\.label).joined(separator: ", "), description)
    }
  }

  /// The help listing: the title, then `keys  description` rows with the keys column aligned.
  public func helpLines() -> [String] {
    let entries = helpEntries()
    let keysWidth = entries.map { TextWidth.width(of: $0.keys) }.max() ?? 0
    return [title] + entries.map { "  " + TextWidth.pad($0.keys, to: keysWidth) + "  " + $0.description }
  }
}

/// Key tables for several modes on top of one global table.
///
/// A mode's own bindings come first; the global table applies underneath unless the mode takes
/// text input (an editor, a search field), where every printable key is text.
public struct ModalKeyMap<Mode: Hashable & Sendable, Command: Hashable & Sendable>: Sendable {
  /// Bindings valid in every mode that does not take text.
  public var global: KeyMap<Command>
  /// Per-mode tables.
  public var modes: [Mode: KeyMap<Command>]
  /// Modes whose plain keys are text, so the global table does not apply.
  public var textInputModes: Set<Mode>

  /// A modal table.
  public init(global: KeyMap<Command>, modes: [Mode: KeyMap<Command>] = [:], textInputModes: Set<Mode> = []) {
    self.global = global
    self.modes = modes
    self.textInputModes = textInputModes
  }

  /// The command `chord` runs in `mode`: the mode's table first, then the global one.
  public func command(for chord: KeyChord, in mode: Mode) -> Command? {
    if let command = modes[mode]?.command(for: chord) { return command }
    return textInputModes.contains(mode) ? nil : global.command(for: chord)
  }

  /// For each mode that does not take text, the global chords it rebinds (should be empty).
  public func shadowingConflicts() -> [Mode: [KeyChord]] {
    var conflicts: [Mode: [KeyChord]] = [:]
    for (mode, table) in modes where !textInputModes.contains(mode) {
      let shadowed = table.shadowedChords(in: global)
      if !shadowed.isEmpty { conflicts[mode] = shadowed }
    }
    return conflicts
  }

  /// The commands among `all` that no table binds.
  public func unboundCommands(_ all: some Sequence<Command>) -> [Command] {
    let bound = Set(global.commands + modes.values.flatMap(\.commands))
    return all.filter { !bound.contains($0) }
  }
}
