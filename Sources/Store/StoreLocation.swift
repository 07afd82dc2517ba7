import Foundation
import Inbox

/// Where the store lives: `--store`, else `$REPUTE_STORE`, else `$XDG_DATA_HOME/repute/repute.sqlite`
/// (with `~/.local/share` when `XDG_DATA_HOME` is unset).
public enum StoreLocation {
  /// The store path for an explicit `--store` value (may be nil) and an environment.
  public static func resolve(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> String {
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

  private static func expand(_ path: String, _ environment: [String: String]) -> String {
    if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] {
      return home + path.dropFirst()
    }
    return path
  }
}
