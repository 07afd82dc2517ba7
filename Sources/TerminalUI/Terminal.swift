/// A terminal a program draws on and reads events from: ncurses in production, memory in tests.
///
/// Owned by one thread (the UI loop); implementations are not `Sendable`.
public protocol Terminal: AnyObject {
  /// The current size in columns and rows.
  var size: Size { get }
  /// How many colours the terminal shows; themes are reduced to this before drawing.
  var colorDepth: ColorDepth { get }
  /// Shows `canvas` (its size should equal `size`; extra cells are clipped).
  func present(_ canvas: Canvas)
  /// Waits up to `timeout` for the next event; nil when none came in time.
  ///
  /// After a `.terminated` event the program should call `shutdown()` and leave its loop.
  func nextEvent(timeout: Duration) -> Event?
  /// The next event when one is already waiting (typed ahead, the rest of a paste), without
  /// waiting; nil otherwise. The loop drains these before it draws, so a burst costs one frame.
  func queuedEvent() -> Event?
  /// Restores the terminal to the state the program found it in. Safe to call twice.
  func shutdown()
  /// Gives the terminal to another program for the duration of `body` (`$EDITOR`), then takes
  /// it back and redraws from scratch on the next `present`.
  func suspend(_ body: () -> Void)
  /// Whether the terminal is thought to take a clipboard copy by OSC 52 (`copyToClipboard`).
  var canCopyToClipboard: Bool { get }
  /// Puts `text` on the clipboard of the terminal's user with OSC 52, written straight to the
  /// terminal beside the drawn screen; nothing is drawn.
  func copyToClipboard(_ text: String)
}

extension Terminal {
  /// Terminals that cannot tell what is waiting deliver one event per loop pass.
  public func queuedEvent() -> Event? { nil }

  /// Terminals with nothing to hand over (memory, benchmarks) just run `body`.
  public func suspend(_ body: () -> Void) { body() }

  /// Terminals without a clipboard say so and ignore a copy.
  public var canCopyToClipboard: Bool { false }
  public func copyToClipboard(_ text: String) {}
}

/// OSC 52, the terminal's "set the clipboard" sequence: ESC ] 52 ; c ; BASE64 BEL.
public enum OSC52 {
  /// The sequence that puts `text` on the clipboard (`c`); the text travels as base64, so no
  /// byte of it can act on the terminal.
  public static func sequence(_ text: String) -> String {
    "\u{1B}]52;c;" + base64(Array(text.utf8)) + "\u{07}"
  }

  /// Standard base64 with padding (RFC 4648), here so TerminalUI stays free of Foundation.
  static func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let count = min(3, bytes.count - index)
      var chunk = UInt32(bytes[index]) << 16
      if count > 1 { chunk |= UInt32(bytes[index + 1]) << 8 }
      if count > 2 { chunk |= UInt32(bytes[index + 2]) }
      for position in 0..<4 {
        let sextet = Int((chunk >> UInt32(18 - 6 * position)) & 0x3F)
        out.append(position <= count ? alphabet[sextet] : UInt8(ascii: "="))
      }
      index += 3
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// A terminal in memory for tests: a scripted list of events in, the presented canvases out.
public final class MemoryTerminal: Terminal {
  /// The current size; a scripted `.resize` event changes it when it is delivered.
  public private(set) var size: Size
  /// The colour depth reported.
  public var colorDepth: ColorDepth
  /// The events still to deliver.
  public private(set) var pending: [Event]
  /// The last canvas presented, nil before the first frame.
  public private(set) var lastCanvas: Canvas?
  /// How many frames were presented.
  public private(set) var presentCount = 0
  /// True once `shutdown()` was called.
  public private(set) var isShutDown = false
  /// What `nextEvent` returns once the script is used up: `.terminated(.inputClosed)` by
  /// default, so an app loop under test ends; nil makes it behave like a quiet terminal.
  public var eventWhenExhausted: Event?

  /// A terminal of `size` that will deliver `events`.
  public init(
    size: Size = Size(width: 80, height: 24), colorDepth: ColorDepth = .trueColor, events: [Event] = [],
    eventWhenExhausted: Event? = .terminated(.inputClosed)
  ) {
    self.size = size
    self.colorDepth = colorDepth
    self.pending = events
    queuedBehind = Array(repeating: false, count: events.count)
    self.eventWhenExhausted = eventWhenExhausted
  }

  /// A terminal that will deliver a key script (`["j", "<Enter>", "Dank je!", "<C-x>"]`).
  public convenience init(size: Size = Size(width: 80, height: 24), script: [String]) {
    self.init(size: size, events: Event.script(script))
  }

  /// For each pending event, whether it arrived together with the one before it (a burst):
  /// `queuedEvent` hands those out, as a real terminal hands out what was typed ahead.
  private var queuedBehind: [Bool] = []

  /// Appends events to the script.
  public func send(_ events: [Event]) {
    queuedBehind += Array(repeating: false, count: events.count)
    pending.append(contentsOf: events)
  }

  /// Appends events that arrive together (fast typing, a paste): after the first is read, the
  /// rest are already waiting.
  public func send(burst events: [Event]) {
    queuedBehind += events.indices.map { $0 > 0 }
    pending.append(contentsOf: events)
  }

  /// Appends a key script.
  public func send(script: [String]) { send(Event.script(script)) }

  public func present(_ canvas: Canvas) {
    lastCanvas = canvas
    presentCount += 1
  }

  public func nextEvent(timeout: Duration) -> Event? {
    guard !pending.isEmpty else { return eventWhenExhausted }
    let event = pending.removeFirst()
    if !queuedBehind.isEmpty { queuedBehind.removeFirst() }
    if case .resize(let newSize) = event { size = newSize }
    return event
  }

  public func queuedEvent() -> Event? {
    guard queuedBehind.first == true else { return nil }
    return nextEvent(timeout: .zero)
  }

  public func shutdown() { isShutDown = true }

  /// Whether this terminal says it takes OSC 52 copies (off by default, as most terminals here).
  public var clipboardSupported = false
  /// What was copied to the clipboard, in order.
  public private(set) var copied: [String] = []
  public var canCopyToClipboard: Bool { clipboardSupported }
  public func copyToClipboard(_ text: String) { copied.append(text) }

  /// The last presented screen as lines, trailing spaces trimmed, each wide cluster once.
  public func screenText() -> [String] { lastCanvas?.textLines() ?? [] }
}
