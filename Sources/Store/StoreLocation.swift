import Foundation
import Inbox

/// Where the store lives: `--store`, else `$REPUTE_STORE`, else `$XDG_DATA_HOME/repute/repute.sqlite`
/// (with `~/.local/share` when `XDG_DATA_HOME` is unset). `--store` and `$REPUTE_STORE` may also
/// name the team's PostgreSQL server by URL (`address`).
public enum StoreLocation {
  /// The store for an explicit `--store` value (may be nil) and an environment: a file, or a server
  /// completed from the `PG*` variables and the password file as `psql` completes it.
  public static func address(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    login: @autoclosure () -> String = SystemLogin.current(),
    readPassFile: (String) -> ServerAddress.PassFileRead = ServerAddress.readPassFile
  ) throws -> StoreAddress {
    guard let value = named(explicit, environment), StoreAddress.isServerURL(value) else {
      return .file(try resolve(explicit: explicit, environment: environment))
    }
    return .server(
      try ServerAddress.resolve(
        url: value, environment: environment, login: login(), readPassFile: readPassFile))
  }

  /// The store file for an explicit `--store` value (may be nil) and an environment. A server URL
  /// is refused with a clear sentence: only what needs a file asks for one (`address` is the rest's
  /// way in), such as the demo's store or a file's modes.
  public static func resolve(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> String {
    if let value = named(explicit, environment), StoreAddress.isServerURL(value) {
      // A wrong address (a password in it) is said first: it is wrong for every command.
      _ = try ServerAddress.resolve(url: value, environment: environment, login: "") { _ in .missing }
      throw InboxError.invalidArgument(
        "this needs a store file, not the team's PostgreSQL store: give --store a file's path")
    }
    if let explicit, !explicit.isEmpty { return expand(explicit, environment) }
    if let path = environment["REPUTE_STORE"], !path.isEmpty { return expand(path, environment) }
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
      return xdg + "/repute/repute.sqlite"
    }
    guard let home = environment["HOME"], !home.isEmpty else {
      throw InboxError.invalidArgument(
        "cannot find a place for the store: set --store, REPUTE_STORE or HOME")
    }
    return home + "/.local/share/repute/repute.sqlite"
  }

  /// `--store`, else `$REPUTE_STORE`, as given.
  private static func named(_ explicit: String?, _ environment: [String: String]) -> String? {
    if let explicit, !explicit.isEmpty { return explicit }
    if let value = environment["REPUTE_STORE"], !value.isEmpty { return value }
    return nil
  }

  private static func expand(_ path: String, _ environment: [String: String]) -> String {
    if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] {
      return home + path.dropFirst()
    }
    return path
  }
}
