import ArgumentParser
import Foundation
import Inbox
import ServerStore
import Store

/// `repute init` and `repute check` on the team's PostgreSQL store. Every other command opens it
/// through `StoreOptions.open` as any store (`ReputeStore`).
enum ServerCommands {
  /// Creates the store's schema on the server, or brings it up to date; harmless when it is.
  static func initialize(_ address: ServerAddress, command: InitCommand) throws {
    if command.group != nil || command.repairModes || command.name != nil {
      throw ValidationError(
        "--group, --repair-modes and --name are for a store file; on a server store the roles and grants "
          + "decide who may use it (docs/guide/team-server.md)")
    }
    try serverGuarded(address) { store in
      let done = try store.initialize()
      let place = "schema \(address.schema) on \(address)"
      if done.before == 0 {
        Output.line("created the store in \(place): schema version \(done.after)")
      } else if done.before == done.after {
        Output.line("the store in \(place) is up to date: schema version \(done.after)")
      } else {
        Output.line("migrated the store in \(place) from schema version \(done.before) to \(done.after)")
      }
    }
  }

  /// Says whether the server is reachable, who it says we are, and the store's schema version.
  static func check(_ address: ServerAddress, json: Bool) throws {
    try serverGuarded(address) { store in
      let status = try store.status()
      let known = ServerStore.knownSchemaVersion
      if json {
        var w = JSONWriter()
        w.string("store", address.description)
        w.bool("reachable", true)
        w.string("server", status.serverVersion)
        w.string("role", status.role)
        w.string("database", status.database)
        w.string("schema", address.schema)
        w.int("schema_version", status.schemaVersion)
        w.int("known_version", known)
        w.bool("tls", status.tls)
        Output.line(w.finish())
      } else {
        Output.line(
          "the PostgreSQL store at \(address) is reachable: PostgreSQL \(status.serverVersion), "
            + "connected as \(status.role) to \(status.database), \(status.tls ? "with" : "without") TLS")
        if let version = status.schemaVersion {
          Output.line("schema \(address.schema): version \(version) (this repute knows \(known))")
        }
      }
      guard status.schemaVersion != nil else {
        throw InboxError.notFound(
          "no store in schema \(address.schema) there yet: repute init --store URL makes one")
      }
    }
  }

  /// Opens the server store, runs `body`, closes it; every error as one line and exit status 2.
  /// What the address resolution warned about (a password file others may read) goes first.
  private static func serverGuarded(_ address: ServerAddress, _ body: (ServerStore) throws -> Void) throws {
    for warning in address.warnings {
      FileHandle.standardError.write(Data("repute: warning: \(TerminalSafe.sanitize(warning))\n".utf8))
    }
    try guarded {
      let store = try ServerStore(address: address)
      defer { store.close() }
      do {
        try body(store)
      } catch let error as ServerStoreError {
        throw InboxError.storeUnavailable(error.description)
      }
    }
  }
}
