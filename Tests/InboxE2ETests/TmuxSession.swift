import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A private tmux server running one program in a pane of a fixed size, for end-to-end tests.
///
/// Every session has its own server (`tmux -L NAME`) and its own `TMUX_TMPDIR`, so tests never
/// touch the user's tmux or each other. tmux is started with `posix_spawn` + `waitpid` (not
/// `Foundation.Process`, which waits forever on the daemonised server), with an empty signal
/// mask and default handlers so the pane's program gets SIGWINCH. Output of tmux commands goes
/// through a file, never a pipe the daemon could hold open.
final class TmuxSession {
  /// A tmux command that failed, or a wait that timed out, with what was on screen.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// The pane's program's environment additions: a UTF-8 locale and a terminfo entry tmux fits.
  static let paneEnvironment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color"]

  /// True when a `tmux` executable is on the PATH.
  static let isAvailable: Bool = {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/tmux") }
  }()

  let serverName: String
  let directory: URL
  private var environment: [String: String]
  private var isKilled = false

  /// Starts `command` (run by `sh -c`) in a new detached session `width` × `height`.
  ///
  /// `extraEnvironment` is added to the pane's environment (e.g. `NO_COLOR`).
  init(command: String, width: Int = 100, height: Int = 30, extraEnvironment: [String: String] = [:]) throws {
    serverName = "tui-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(serverName)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil  // tests started from inside tmux must not talk to the user's server
    environment["TMUX_TMPDIR"] = directory.path
    self.environment = environment
    let paneEnvironment = TmuxSession.paneEnvironment.merging(extraEnvironment) { $1 }
    let assignments = paneEnvironment.sorted { $0.key < $1.key }.map {
      "\($0.key)=\(TmuxSession.quote($0.value))"
    }
    let paneCommand = "env " + assignments.joined(separator: " ") + " sh -c " + TmuxSession.quote(command)
    try tmux(["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), paneCommand])
    // Keep the pane (and what the program left on screen) after the command ends.
    try tmux(["set-option", "-t", "main", "remain-on-exit", "on"])
  }

  deinit { kill() }

  /// Stops the server and removes its directory. Safe to call twice.
  func kill() {
    guard !isKilled else { return }
    isKilled = true
    _ = try? tmux(["kill-server"])
    try? FileManager.default.removeItem(at: directory)
  }

  /// Quotes `text` for `sh`.
  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Runs `tmux -L NAME -f /dev/null ARGS…` and returns its standard output.
  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let output = directory.appendingPathComponent("out-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: output) }
    let status = try TmuxSession.spawn(
      "tmux", ["-L", serverName, "-f", "/dev/null"] + arguments, environment: environment, stdout: output.path
    )
    let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    guard status == 0 else {
      throw Failure(description: "tmux \(arguments.joined(separator: " ")) exited with \(status): \(text)")
    }
    return text
  }

  /// Sends keys by tmux name (`j`, `Down`, `NPage`, `C-c`, `Enter`).
  func sendKeys(_ keys: String...) throws { try tmux(["send-keys", "-t", "main"] + keys) }

  /// Sends raw bytes (a mouse report, an escape sequence) as if the terminal had sent them.
  func sendBytes(_ bytes: [UInt8]) throws {
    try tmux(["send-keys", "-t", "main", "-H"] + bytes.map { String($0, radix: 16) })
  }

  /// Pastes `text` as the terminal would: bracketed if the program asked for it.
  func paste(_ text: String) throws {
    try tmux(["set-buffer", "-b", "e2e", text])
    try tmux(["paste-buffer", "-p", "-b", "e2e", "-t", "main"])
  }

  /// Resizes the window (and so the pane) to `width` × `height`.
  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
  }

  /// A tmux format evaluated for the pane (`#{alternate_on}`, `#{pane_pid}`).
  func display(_ format: String) throws -> String {
    try tmux(["display-message", "-p", "-t", "main", format]).trimmingCharacters(in: .newlines)
  }

  /// The visible screen as text, one line per row.
  func capture() throws -> String { try tmux(["capture-pane", "-p", "-t", "main"]) }

  /// Polls the screen every `poll` microseconds until `condition` holds, or fails after `timeout`
  /// with the last screen.
  @discardableResult
  func waitFor(
    _ what: String, timeout: Duration = .seconds(10), poll: useconds_t = 50_000, _ condition: (String) -> Bool
  ) throws -> String {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var screen = ""
    repeat {
      screen = try capture()
      if condition(screen) { return screen }
      usleep(poll)
    } while clock.now < deadline
    throw Failure(description: "timed out waiting for \(what); screen was:\n\(screen)")
  }

  /// Polls the screen until it contains `text`.
  @discardableResult
  func waitFor(_ text: String, timeout: Duration = .seconds(10), poll: useconds_t = 50_000) throws -> String {
    try waitFor("\"\(text)\"", timeout: timeout, poll: poll) { $0.contains(text) }
  }

  /// Runs `program` (searched in PATH) to completion and returns its exit status.
  ///
  /// The child gets an empty signal mask and default signal handlers: a test runner's blocked
  /// signals would otherwise be inherited by tmux and its panes, and SIGWINCH never arrive.
  static func spawn(_ program: String, _ arguments: [String], environment: [String: String], stdout: String)
    throws
    -> Int32
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let error = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
    guard error == 0 else {
      throw Failure(description: "cannot start \(program): \(String(cString: strerror(error)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
      guard errno == EINTR else {
        throw Failure(description: "waitpid failed: \(String(cString: strerror(errno)))")
      }
    }
    // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
    if status & 0x7F == 0 { return (status >> 8) & 0xFF }
    return 128 + (status & 0x7F)
  }
}
