import ArgumentParser
import Foundation
import Inbox
import Policy
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
  /// person is the role they log in as, so `--as` is refused there (issue 18).
  func address() throws -> StoreAddress {
    let address = try guarded { try StoreLocation.address(explicit: store) }
    if case .server = address, actingAs != nil {
      throw ValidationError("on a PostgreSQL store you act as the role you log in as: leave out --as")
    }
    return address
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
  /// first name or login; nobody named means the member with your login. On a shared store the
  /// login decides, and `--as` or `$REPUTE_USER` only when they name that same person. A name not
  /// on the roster is refused; so is a `.person` on a store without a roster (`repute init --name`).
  func actor(for store: SQLiteStore, roster: PolicyConfig? = nil, acting: Acting = .recorder) throws -> String
  {
    let login = Identity.login()
    let requested = actingAs ?? ProcessInfo.processInfo.environment["REPUTE_USER"]
    // The name goes into the log, the report and the signature of posted replies.
    for (name, source) in [(actingAs, "--as"), (actingAs == nil ? requested : nil, "REPUTE_USER")] {
      if let name, !TerminalSafe.isPlain(name) {
        throw InboxError.invalidArgument(
          "\(source) \"\(TerminalSafe.sanitize(name))\" has control characters; a responder's name may not")
      }
    }
    let named = requested.flatMap { $0.isEmpty ? nil : $0 }
    let roster = roster ?? PolicyConfig(team: [])
    do {
      if StoreFiles.isShared(path: store.path) {
        let member = roster.member(login: login)
        if let named {
          let same =
            named.lowercased() == login.lowercased()
            || (member != nil && roster.member(named: named) == member)
          guard same else {
            throw InboxError.permissionDenied(
              "on a shared store you act as your login (\(login)\(member.map { ", \($0.name) in the roster" } ?? "")); "
                + "--as and REPUTE_USER must name the same person")
          }
        }
        if acting == .person { return try roster.resolveMember(requested: nil, login: login).name }
        return member?.name ?? login
      }
      if roster.team.isEmpty {
        if acting == .person { throw RosterRefusal.noRoster }
        return named ?? login
      }
      if acting == .person || named != nil {
        return try roster.resolveMember(requested: named, login: login).name
      }
      return roster.member(login: login)?.name ?? login
    } catch let refusal as RosterRefusal {
      throw InboxError.permissionDenied(refusal.description)
    }
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

/// Refuses an option whose text is empty or only spaces (a note, a reason): a usage error.
func requireText(_ value: String, _ option: String, needs what: String = "text") throws {
  if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
    throw ValidationError("\(option) needs \(what)")
  }
}
