import CNcursesw
import CursesShim
import TerminalUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The real terminal: ncursesw presents a `Canvas` and turns keys, mouse, resizes and signals
/// into `Event`s. The only code in the program that calls curses.
///
/// One thread owns it. Create it, loop on `nextEvent(timeout:)` and `present(_:)`, and call
/// `shutdown()` when leaving (also after a `.terminated` event): that restores the terminal.
public final class NcursesTerminal: Terminal {
  /// Why the terminal could not be set up.
  public enum SetupError: Error, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, a CI job).
    case notATerminal
    /// `initscr` failed, usually because `TERM` names no known terminal.
    case initFailed(term: String)

    public var description: String {
      switch self {
      case .notATerminal: return "standard input and output must be a terminal"
      case .initFailed(let term): return "cannot start the terminal (TERM=\(term))"
      }
    }
  }

  /// The colours the terminal shows after `NO_COLOR` and the terminal's capabilities.
  public let colorDepth: ColorDepth
  /// The current size; updated when a resize is read.
  public private(set) var size: Size
  private var window: UnsafeMutablePointer<WINDOW>
  private var isActive = true
  /// The canvas presented last, with the terminal's size then.
  private var presented: (canvas: Canvas, size: Size)?
  /// Pairs allocated for (fg, bg) combinations, so `alloc_pair` runs once per combination.
  private var pairs: [PairKey: Int32] = [:]
  private var consecutiveEmptyReads = 0
  /// A descriptor that ends the wait for a key early, and how to read it empty (`wake(on:drain:)`).
  private var wakeSource: (descriptor: Int32, drain: () -> Void)?
  /// When a wake last ended a wait, and how close the next may follow it.
  private var lastWake: ContinuousClock.Instant?
  static let wakeGap: Duration = .milliseconds(100)

  private struct PairKey: Hashable {
    var fg: Int32
    var bg: Int32
  }

  // Key codes ncurses returns for the bracketed-paste markers, past its own KEY_MAX.
  private static let pasteBeginCode = Int32(KEY_MAX) + 1
  private static let pasteEndCode = Int32(KEY_MAX) + 2
  // Ctrl and Alt with the left and right arrows (xterm's modifyCursorKeys form), for word motions.
  private static let modifiedArrows: [(sequence: String, code: Int32, key: Key, modifiers: KeyModifiers)] = [
    ("\u{1B}[1;5D", Int32(KEY_MAX) + 3, .left, .ctrl), ("\u{1B}[1;5C", Int32(KEY_MAX) + 4, .right, .ctrl),
    ("\u{1B}[1;3D", Int32(KEY_MAX) + 5, .left, .alt), ("\u{1B}[1;3C", Int32(KEY_MAX) + 6, .right, .alt),
  ]

  /// Takes over the terminal: UTF-8 locale, raw keys, mouse, colours, bracketed paste, signals.
  ///
  /// - Parameter noColor: draw without colours (defaults to whether `NO_COLOR` is set and non-empty).
  public init(noColor: Bool = NcursesTerminal.noColorRequested()) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw SetupError.notATerminal }
    NcursesTerminal.ensureUTF8Locale()
    guard let screen = initscr() else {
      throw SetupError.initFailed(term: String(cString: getenv("TERM") ?? strdup("")))
    }
    window = screen
    // Signals only set a flag; the loop restores the terminal (endwin is not async-signal-safe).
    repute_install_signal_flags()
    raw()  // Ctrl-C, Ctrl-Z and Ctrl-S arrive as keys; the app decides what they do.
    noecho()
    nonl()  // Enter arrives as \r, and the output side stays fast.
    keypad(screen, true)
    meta(screen, true)
    _ = repute_set_escdelay(25)
    curs_set(0)
    // Press and release separately (no click timer), plus the wheel (buttons 4 and 5).
    mouseinterval(0)
    let mask =
      repute_button1_pressed() | repute_button1_released() | repute_button2_pressed()
      | repute_button3_pressed() | repute_button4_pressed() | repute_button5_pressed()
    mousemask(mask, nil)
    define_key("\u{1B}[200~", NcursesTerminal.pasteBeginCode)
    define_key("\u{1B}[201~", NcursesTerminal.pasteEndCode)
    for arrow in NcursesTerminal.modifiedArrows { define_key(arrow.sequence, arrow.code) }

    if !noColor && has_colors() {
      start_color()
      use_default_colors()
      let colors = Int(repute_colors())
      // A direct-colour terminfo (xterm-direct, tmux-direct) reports 2^24 colours and takes
      // colours as 0xRRGGBB. Otherwise the palette is used as is: redefining it with
      // can_change_color would change the user's own terminal colours.
      colorDepth = ColorDepth(colors: colors)
    } else {
      colorDepth = .monochrome
    }
    var rows: Int32 = 0
    var columns: Int32 = 0
    repute_getmaxyx(screen, &rows, &columns)
    size = Size(width: Int(columns), height: Int(rows))
    NcursesTerminal.writeRaw("\u{1B}[?2004h")
  }

  deinit { shutdown() }

  /// True when the environment asks for no colour (`NO_COLOR` set and not empty).
  public static func noColorRequested() -> Bool {
    guard let value = getenv("NO_COLOR") else { return false }
    return value.pointee != 0
  }

  /// Sets the locale from the environment, falling back to C.UTF-8 when it is not UTF-8:
  /// without a UTF-8 locale ncursesw shows wide characters as blanks.
  private static func ensureUTF8Locale() {
    setlocale(LC_ALL, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased()
    if codeset != "UTF-8" && codeset != "UTF8" {
      if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "en_US.UTF-8") }
    }
  }

  private static func writeRaw(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes {
        write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset)
      }
      if written <= 0 {
        if written < 0 && errno == EINTR { continue }
        return
      }
      offset += written
    }
    bytes.removeAll()
  }

  // MARK: Output

  public func present(_ canvas: Canvas) {
    guard isActive else { return }
    let rows = min(canvas.height, size.height)
    let columns = min(canvas.width, size.width)
    var frameStyles: [Style: (attributes: attr_t, pair: Int32)] = [:]
    // A row the same as in the frame before is left to curses, which keeps it: an inbox redraws
    // for a changed count on its status line, not its forty rows (issue 17).
    let before = presented.flatMap { $0.size == size && $0.canvas.size == canvas.size ? $0.canvas : nil }
    presented = (canvas, size)
    for row in 0..<rows {
      if let before, (0..<columns).allSatisfy({ before[row, $0] == canvas[row, $0] }) { continue }
      var column = 0
      while column < columns {
        let cell = canvas[row, column]
        if cell.isContinuation {
          // Only reached when the left half was cut off; keep the column blank.
          put(" ", style: cell.style, row: row, column: column, cache: &frameStyles)
          column += 1
          continue
        }
        let shown = put(cell.grapheme, style: cell.style, row: row, column: column, cache: &frameStyles)
        if cell.width == 2 && shown < 2 && column + 1 < columns {
          // ncurses thinks this cluster is narrower than the canvas does (a flag, an emoji
          // with VS16): fill the second column so the layout to its right stays put.
          put(" ", style: cell.style, row: row, column: column + 1, cache: &frameStyles)
        } else if cell.width == 2 && column + 1 >= columns {
          put(" ", style: cell.style, row: row, column: column, cache: &frameStyles)
        }
        column += max(1, cell.width)
      }
    }
    wnoutrefresh(window)
    doupdate()
  }

  /// Writes one cluster at `row`, `column`; returns the columns ncurses gives it.
  @discardableResult
  private func put(
    _ grapheme: String, style: Style, row: Int, column: Int,
    cache: inout [Style: (attributes: attr_t, pair: Int32)]
  ) -> Int {
    let (attributes, pair) = cache[style] ?? resolve(style)
    cache[style] = (attributes, pair)
    // The first scalar, then the combining ones ncurses can stack on it (it stores at most
    // CCHARW_MAX - 1 characters before the terminating zero).
    var characters: [wchar_t] = []
    var spacingWidth = 1
    for scalar in grapheme.unicodeScalars {
      let character = wchar_t(bitPattern: scalar.value)
      let width = repute_wcwidth(character)
      if characters.isEmpty {
        guard width > 0 else { characters.append(wchar_t(bitPattern: 0xFFFD)); continue }
        spacingWidth = Int(width)
        characters.append(character)
      } else if width == 0 && characters.count < Int(CCHARW_MAX) - 1 {
        characters.append(character)
      } else {
        break
      }
    }
    if characters.isEmpty { characters = [wchar_t(32)] }
    characters.append(0)
    var cell = cchar_t()
    var extendedPair = pair
    let ok = characters.withUnsafeBufferPointer { buffer in
      setcchar(&cell, buffer.baseAddress, attributes, 0, &extendedPair)
    }
    if ok == ERR {
      var blank: [wchar_t] = [wchar_t(bitPattern: 0xFFFD), 0]
      setcchar(&cell, &blank, attributes, 0, &extendedPair)
      spacingWidth = 1
    }
    mvwadd_wch(window, Int32(row), Int32(column), &cell)
    return spacingWidth
  }

  private func resolve(_ style: Style) -> (attributes: attr_t, pair: Int32) {
    var attributes = repute_a_normal()
    let attrs = style.attributes
    if attrs.contains(.bold) { attributes |= repute_a_bold() }
    if attrs.contains(.dim) { attributes |= repute_a_dim() }
    if attrs.contains(.reverse) { attributes |= repute_a_reverse() }
    if attrs.contains(.underline) { attributes |= repute_a_underline() }
    if attrs.contains(.italic) { attributes |= repute_a_italic() }
    guard colorDepth != .monochrome else { return (attributes, 0) }
    let reduced = style.reduced(to: colorDepth)
    let key = PairKey(fg: colorNumber(reduced.fg), bg: colorNumber(reduced.bg))
    if key.fg == -1 && key.bg == -1 { return (attributes, 0) }
    if let pair = pairs[key] { return (attributes, pair) }
    let pair = alloc_pair(key.fg, key.bg)
    guard pair > 0 else { return (attributes, 0) }  // pairs exhausted: plain rather than wrong
    pairs[key] = pair
    return (attributes, pair)
  }

  private func colorNumber(_ color: Color) -> Int32 {
    switch color {
    case .default: return -1
    case .ansi(let n): return Int32(n)
    case .indexed(let n): return Int32(n)
    case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
    }
  }

  // MARK: Input

  public func nextEvent(timeout: Duration) -> Event? {
    guard isActive else { return .terminated(.inputClosed) }
    if let signal = takeSignal() { return signal }
    let milliseconds = max(
      0,
      Int32(
        clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
    guard let wake = wakeSource, milliseconds > 0 else { return readKey(milliseconds) }
    // What curses already read ahead (the rest of a burst) is not seen by poll: take it first.
    if let event = readKey(0) { return event }
    var ready = [
      pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0),
    ]
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .milliseconds(Int64(milliseconds)))
    let count = poll(&ready, 2, milliseconds)
    if let signal = takeSignal() { return signal }
    if count > 0, ready[0].revents == 0, ready[1].revents != 0 {
      // Woken by the store alone. A burst of commits writes the WAL many times a second, and
      // each wake costs the inbox a pass (a look at `data_version`, a tick): within `wakeGap` of
      // the last wake, only a key ends the wait until the gap is over (issue 17: otherwise an
      // inbox's CPU follows everyone else's writes).
      wake.drain()
      let now = clock.now
      if let last = lastWake, last.advanced(by: Self.wakeGap) > now {
        let until = min(last.advanced(by: Self.wakeGap), deadline)
        if until > now {
          var keyboard = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
          let left = until - now
          let keyed = poll(
            &keyboard, 1,
            Int32(
              clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
                + 1))
          if let signal = takeSignal() { return signal }
          if keyed > 0 { return readKey(0) }
        }
      }
      lastWake = clock.now
      return nil
    }
    if count == 0 || (count > 0 && ready[0].revents == 0) { return nil }
    // A key, a hang-up, or a signal (a resize: curses answers it with KEY_RESIZE).
    return readKey(0)
  }

  /// Ends a wait for a key early when `descriptor` becomes readable (the store's change signal,
  /// so the inbox looks at a commit at once rather than at its next timer): the wait returns nil
  /// as a timeout does, after `drain` read the descriptor empty.
  public func wake(on descriptor: Int32, drain: @escaping () -> Void) {
    wakeSource = (descriptor, drain)
  }

  private func readKey(_ milliseconds: Int32) -> Event? {
    wtimeout(window, milliseconds)
    var character: wint_t = 0
    errno = 0
    let status = wget_wch(window, &character)
    if let signal = takeSignal() { return signal }
    switch status {
    case OK:
      consecutiveEmptyReads = 0
      return characterEvent(character)
    case KEY_CODE_YES:
      consecutiveEmptyReads = 0
      return keyCodeEvent(Int32(bitPattern: character))
    default:
      return inputClosed() ? .terminated(.inputClosed) : nil
    }
  }

  /// What is already waiting in the input (typed ahead, the rest of a paste), without waiting.
  public func queuedEvent() -> Event? { nextEvent(timeout: .zero) }

  private func takeSignal() -> Event? {
    let signal = repute_take_signal()
    return signal != 0 ? .terminated(.signal(signal)) : nil
  }

  /// Tells a closed terminal from a timeout after `get_wch` returned ERR.
  ///
  /// A hang-up shows in poll as POLLHUP/POLLERR/POLLNVAL. A pty that reports input ready yet
  /// gives ncurses nothing, again and again, is at end of file.
  private func inputClosed() -> Bool {
    if errno == EINTR { return false }
    var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, 0) >= 0 else { return errno != EINTR }
    if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
    if descriptor.revents & Int16(POLLIN) != 0 {
      consecutiveEmptyReads += 1
      return consecutiveEmptyReads >= 3
    }
    consecutiveEmptyReads = 0
    return isatty(STDIN_FILENO) != 1
  }

  private func characterEvent(_ value: wint_t) -> Event? {
    switch value {
    case 0x0D, 0x0A: return .key(KeyChord(.enter))
    case 0x09: return .key(KeyChord(.tab))
    case 0x7F, 0x08: return .key(KeyChord(.backspace))
    case 0x1B: return escapeEvent()
    case 0x00: return .key(KeyChord(.character(" "), modifiers: .ctrl))
    case 0x01...0x1A: return .key(.ctrl(Character(Unicode.Scalar(UInt8(0x60 + value)))))
    case 0x1C...0x1F:
      return .key(KeyChord(.character(Character(Unicode.Scalar(UInt8(0x40 + value)))), modifiers: .ctrl))
    default:
      guard let scalar = Unicode.Scalar(UInt32(value)), !ControlCharacters.isUnsafe(scalar) else {
        return nil
      }
      return .key(.char(Character(scalar)))
    }
  }

  /// Esc alone, or Alt with the key that follows at once (terminals send Alt-x as Esc x).
  private func escapeEvent() -> Event {
    wtimeout(window, 0)
    var next: wint_t = 0
    guard wget_wch(window, &next) == OK else { return .key(KeyChord(.escape)) }
    if case .key(var chord)? = characterEvent(next), chord.key != .escape {
      chord.modifiers.insert(.alt)
      return .key(chord)
    }
    return .key(KeyChord(.escape))
  }

  private func keyCodeEvent(_ code: Int32) -> Event? {
    switch code {
    case NcursesTerminal.pasteBeginCode: return .pasteBegin
    case NcursesTerminal.pasteEndCode: return .pasteEnd
    case (Int32(KEY_MAX) + 3)...(Int32(KEY_MAX) + 6):
      let arrow = NcursesTerminal.modifiedArrows.first { $0.code == code }!
      return .key(KeyChord(arrow.key, modifiers: arrow.modifiers))
    case KEY_RESIZE:
      var rows: Int32 = 0
      var columns: Int32 = 0
      repute_getmaxyx(window, &rows, &columns)
      size = Size(width: Int(columns), height: Int(rows))
      return .resize(size)
    case KEY_MOUSE: return mouseEvent()
    case KEY_UP: return .key(KeyChord(.up))
    case KEY_DOWN: return .key(KeyChord(.down))
    case KEY_LEFT: return .key(KeyChord(.left))
    case KEY_RIGHT: return .key(KeyChord(.right))
    case KEY_SR: return .key(KeyChord(.up, modifiers: .shift))
    case KEY_SF: return .key(KeyChord(.down, modifiers: .shift))
    case KEY_SLEFT: return .key(KeyChord(.left, modifiers: .shift))
    case KEY_SRIGHT: return .key(KeyChord(.right, modifiers: .shift))
    case KEY_PPAGE: return .key(KeyChord(.pageUp))
    case KEY_NPAGE: return .key(KeyChord(.pageDown))
    case KEY_HOME: return .key(KeyChord(.home))
    case KEY_END, KEY_LL: return .key(KeyChord(.end))
    case KEY_ENTER: return .key(KeyChord(.enter))
    case KEY_BACKSPACE: return .key(KeyChord(.backspace))
    case KEY_DC: return .key(KeyChord(.delete))
    case KEY_IC: return .key(KeyChord(.insert))
    case KEY_BTAB: return .key(KeyChord(.backTab))
    default:
      for n in 1...63 where code == repute_key_f(Int32(n)) { return .key(KeyChord(.function(n))) }
      return nil
    }
  }

  private func mouseEvent() -> Event? {
    var event = MEVENT()
    guard getmouse(&event) == OK else { return nil }
    let state = event.bstate
    var modifiers: KeyModifiers = []
    if state & repute_button_shift() != 0 { modifiers.insert(.shift) }
    if state & repute_button_ctrl() != 0 { modifiers.insert(.ctrl) }
    if state & repute_button_alt() != 0 { modifiers.insert(.alt) }
    let position = Position(row: Int(event.y), column: Int(event.x))
    let action: MouseEvent.Action
    if state & repute_button4_pressed() != 0 {
      action = .wheelUp
    } else if state & repute_button5_pressed() != 0 {
      action = .wheelDown
    } else if state & (repute_button1_pressed() | repute_button1_clicked()) != 0 {
      action = .press(.left)
    } else if state & repute_button1_released() != 0 {
      action = .release(.left)
    } else if state & (repute_button2_pressed() | repute_button2_clicked()) != 0 {
      action = .press(.middle)
    } else if state & (repute_button3_pressed() | repute_button3_clicked()) != 0 {
      action = .press(.right)
    } else {
      return nil
    }
    return .mouse(MouseEvent(action, at: position, modifiers: modifiers))
  }

  // MARK: Handing the terminal over

  /// Leaves curses mode for `body` (`$EDITOR` runs on the real terminal), then restores it:
  /// paste mode off and on again around it, and the whole screen redrawn afterwards.
  public func suspend(_ body: () -> Void) {
    guard isActive else {
      body()
      return
    }
    NcursesTerminal.writeRaw("\u{1B}[?2004l")
    def_prog_mode()
    endwin()
    body()
    reset_prog_mode()
    NcursesTerminal.writeRaw("\u{1B}[?2004h")
    clearok(window, true)
    presented = nil
    var rows: Int32 = 0
    var columns: Int32 = 0
    repute_getmaxyx(window, &rows, &columns)
    size = Size(width: Int(columns), height: Int(rows))
  }

  // MARK: Clipboard

  /// OSC 52 is taken by most terminal emulators (xterm, kitty, iTerm2, WezTerm, foot, Windows
  /// Terminal; tmux with `set-clipboard`), not by the Linux console or a dumb terminal. There is no
  /// way to ask, so this is a guess by `TERM`; the responder is asked before anything is sent.
  public var canCopyToClipboard: Bool {
    let term = getenv("TERM").map { String(cString: $0) } ?? ""
    return isActive && !term.isEmpty && term != "dumb" && term != "linux"
  }

  public func copyToClipboard(_ text: String) {
    guard isActive else { return }
    NcursesTerminal.writeRaw(OSC52.sequence(text))
  }

  // MARK: Shutdown

  public func shutdown() {
    guard isActive else { return }
    isActive = false
    mousemask(0, nil)
    NcursesTerminal.writeRaw("\u{1B}[?2004l")
    curs_set(1)
    endwin()
    repute_restore_signal_handlers()
  }
}
