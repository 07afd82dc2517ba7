import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import ServerStore
import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Options every command that touches the store takes.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .long,
    help: """
      The store file, or the team's PostgreSQL store as postgres://[user@][host][:port]/dbname \
      (default: $REPUTE_STORE, else $XDG_DATA_HOME/repute/repute.sqlite).
      """)
  var store: String?

  @Option(
    name: .customLong("as"),
    help: "Who you are: a name, first name or login on the team's roster (a shared store uses your login).")
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

  /// The store this invocation works on: a file, or the team's PostgreSQL server. On a server a
  /// person is the role they log in as, so `--as` and `$REPUTE_USER` are refused there (issue 18).
  func address() throws -> StoreAddress {
    let address = try guarded { try StoreLocation.address(explicit: store) }
    if case .server = address {
      if actingAs != nil {
        throw ValidationError("on a PostgreSQL store you act as the role you log in as: leave out --as")
      }
      if let user = ProcessInfo.processInfo.environment["REPUTE_USER"], !user.isEmpty {
        throw ValidationError(
          "on a PostgreSQL store you act as the role you log in as: unset REPUTE_USER (it names someone for a store file)"
        )
      }
    }
    return address
  }

  /// The store path this invocation works on; for what only a file has (a server address is
  /// refused with a sentence saying so).
  func resolvedPath() throws -> String {
    try StoreLocation.resolve(explicit: store)
  }

  /// Opens the store: a file (created only when `create` is set) or the team's PostgreSQL store.
  /// `reading`: the command only reads, so someone who may read a file but not write it (an
  /// auditor, a backup) opens it read-only. A server store must have been made with `repute init`
  /// and be at this build's schema version (`ServerStore.requireCurrentSchema`).
  func open(create: Bool, reading: Bool = false) throws -> any ReputeStore {
    let clock = try ReputeClock.fromEnvironment()
    switch try address() {
    case .server(let server):
      for warning in server.warnings { Output.error("repute: warning: \(warning)") }
      let store = try ServerStore(address: server, clock: clock)
      do {
        try store.requireCurrentSchema()
      } catch {
        store.close()
        throw error
      }
      return store
    case .file(let path):
      var mode: SQLiteStore.Mode = create ? .createIfMissing : .existing
      if reading, !create, StoreFiles.isReadOnly(path) { mode = .readOnly }
      return try SQLiteStore(path: path, mode: mode, clock: clock)
    }
  }

  /// How strictly a command needs to know who is acting.
  enum Acting {
    /// Someone who replies, claims or drafts: a roster member, or the command is refused.
    case person
    /// Bookkeeping (ingest, policy, purge, polling): recorded by roster name when the roster
    /// knows the person, else by login; a name the roster does not know is still refused.
    case recorder
  }

  /// The person acting, by their canonical roster name (one name in the title, claims, drafts,
  /// signature, log and report). `--as` (else `$REPUTE_USER`) picks a roster member by name,
  /// first name or login; nobody named means the member with the store's login (the login role
  /// on a server). The rule itself is `ActingPerson.name`, which the inbox shares.
  func actor(for store: any StoreHandle, roster: PolicyConfig? = nil, acting: Acting = .recorder) throws
    -> String
  {
    let requested = actingAs ?? ProcessInfo.processInfo.environment["REPUTE_USER"]
    // The name goes into the log, the report and the signature of posted replies.
    for (name, source) in [(actingAs, "--as"), (actingAs == nil ? requested : nil, "REPUTE_USER")] {
      if let name, !TerminalSafe.isPlain(name) {
        throw InboxError.invalidArgument(
          "\(source) \"\(TerminalSafe.sanitize(name))\" has control characters; a responder's name may not")
      }
    }
    return try ActingPerson.name(
      on: store, named: requested.flatMap { $0.isEmpty ? nil : $0 }, roster: roster ?? PolicyConfig(team: []),
      need: acting == .person ? .person : .recorder)
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
/// (`InboxError`), SQLite's (busy, damaged, full: `StoreFailure`, naming the store) and the
/// PostgreSQL server's for a statement (`ServerStoreError`, naming the store and the SQLSTATE).
func guarded<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as InboxError {
    throw fail(error.description)
  } catch let error as ServerStoreError {
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

/// Refuses an option whose text is empty or only spaces (a note, a reason): a usage error.
func requireText(_ value: String, _ option: String, needs what: String = "text") throws {
  if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
    throw ValidationError("\(option) needs \(what)")
  }
}
