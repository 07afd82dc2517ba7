import ArgumentParser
import Foundation
import Inbox
import Policy
import Store

#if canImport(Glibc)
  import Glibc
#endif

/// Options every command that touches the store takes.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .long, help: "The store file (default: $REPUTE_STORE, else $XDG_DATA_HOME/repute/repute.sqlite).")
  var store: String?

  @Option(
    name: .customLong("as"), help: "Who you are (a private store only; a shared store uses your login).")
  var actingAs: String?

  /// What a first run needs to hear: where the store will be and the ways mentions get in.
  static func firstRun(_ path: String) -> String {
    """
    no store at \(path) yet: nothing to show. To get mentions in:
      repute demo          look around: a demo store with Dutch and English mentions arriving live
      repute ingest FILE   store mentions from files (JSON Lines, Mastodon, Bluesky, X, RSS/Atom, CSV)
      repute watch         poll the live sources in your config (see the README, Live sources)
    then run repute again. repute init makes an empty store; --store PATH or REPUTE_STORE picks another.
    """
  }

  /// The store path this invocation works on.
  func resolvedPath() throws -> String {
    try StoreLocation.resolve(explicit: store)
  }

  /// Opens the store, creating it only when `create` is set. `reading`: the command only reads,
  /// so someone who may read the store but not write it (an auditor, a backup) opens it read-only.
  func open(create: Bool, reading: Bool = false) throws -> SQLiteStore {
    let clock = try ReputeClock.fromEnvironment()
    let path = try resolvedPath()
    var mode: SQLiteStore.Mode = create ? .createIfMissing : .existing
    if reading, !create, StoreFiles.isReadOnly(path) { mode = .readOnly }
    return try SQLiteStore(path: path, mode: mode, clock: clock)
  }

  /// The person acting. On a private store: `--as`, `$REPUTE_USER`, the roster name for the login,
  /// or the login. On a shared store the login decides: its roster entry's name, and `--as` or
  /// `$REPUTE_USER` only when they name that same person.
  func actor(for store: SQLiteStore, roster: PolicyConfig? = nil) throws -> String {
    let login = Identity.login()
    let member = roster?.member(login: login)
    let requested = actingAs ?? ProcessInfo.processInfo.environment["REPUTE_USER"]
    // The name goes into the log, the report and the signature of posted replies.
    for (name, source) in [
      (actingAs, "--as"), (actingAs == nil ? requested : nil, "REPUTE_USER"),
      (member?.name, "the roster's name"),
    ] {
      if let name, !TerminalSafe.isPlain(name) {
        throw InboxError.invalidArgument(
          "\(source) \"\(TerminalSafe.sanitize(name))\" has control characters; a responder's name may not")
      }
    }
    guard let requested, !requested.isEmpty else { return member?.name ?? login }
    if StoreFiles.isShared(path: store.path) {
      let allowed = [login, member?.name].compactMap { $0?.lowercased() }
      guard allowed.contains(requested.lowercased()) else {
        throw InboxError.permissionDenied(
          "on a shared store you act as your login (\(login)\(member.map { ", \($0.name) in the roster" } ?? "")); "
            + "--as and REPUTE_USER must name the same person")
      }
      return member?.name ?? login
    }
    return requested
  }
}

/// Who is at the keyboard, as the operating system knows them.
enum Identity {
  static func login() -> String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return ProcessInfo.processInfo.environment["USER"] ?? "uid\(geteuid())"
  }

  /// The login of the user `uid`, or `uid N` when it has none.
  static func name(_ uid: uid_t) -> String {
    if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid \(uid)"
  }
}

/// Ends the command with one clear line on stderr and an exit status, never a stack trace.
///
/// The message often carries outside text (a platform's error, a config value, a token file's
/// name, a teammate's name), so it passes through `TerminalSafe` here, once for every caller.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
  FileHandle.standardError.write(Data("repute: \(TerminalSafe.sanitize(message, lines: .multi))\n".utf8))
  return ExitCode(code)
}

/// Runs `body`, turning the errors a person can act on into one line and exit status 2: ours
/// (`InboxError`) and SQLite's (busy, damaged, full: `StoreFailure`, naming the store).
func guarded<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as InboxError {
    throw fail(error.description)
  } catch {
    if let message = StoreFailure.describe(error) { throw fail(message) }
    throw error
  }
}

/// Writes to stdout without Foundation's buffering surprises.
enum Output {
  /// A line on stdout. Commands sanitise each foreign field they print; this is the last guard
  /// (see `BufferedWriter.line`).
  static func line(_ text: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((TerminalSafe.sanitize(text, lines: .multi) + terminator).utf8))
  }

  /// A line on stderr, made terminal-safe (see `fail`): warnings carry platform messages.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((TerminalSafe.sanitize(text, lines: .multi) + "\n").utf8))
  }

  /// True when stdout is a terminal, so long text may be cut to fit.
  static var isTerminal: Bool { isatty(1) == 1 }
}
