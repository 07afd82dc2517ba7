import Foundation
import Inbox
import PostgresNIO

/// The team's store as commands and the inbox see it beside its topics (`ReputeStore`).
extension ServerStore: StoreHandle {
  public var location: StoreAddress { .server(address) }

  /// A server store is the team's: each person is the role they log in as.
  public var isShared: Bool { true }

  /// Who may write is the server's grants, not the way the store was opened.
  public var isReadOnly: Bool { false }

  /// The login role (`session_user`), asked once: the roster's `login` names it. Not the
  /// address's user: a server may map a login to another role (`pg_ident.conf`), and the
  /// server's word is what its grants go by.
  public func actingLogin() throws -> String {
    if let known = role.current { return known }
    let name = try bridge.run(timeout: 30) { session in
      try await session.values("SELECT session_user::text", as: String.self).first ?? ""
    }
    role.withLock { $0 = name }
    return name
  }

  /// Refuses a store `repute init` has not made, or one at another schema version than this
  /// build's: the commands never migrate a team's store by the way (`repute init` does, once, for
  /// everyone), and a newer one may hold what this build cannot keep.
  public func requireCurrentSchema() throws {
    let found: Int?
    do {
      found = try status().schemaVersion
    } catch {
      // A login without rights on the store's schema is refused the lookup: say why in the team's
      // words. A server out of reach says so itself (asking again would only say "reconnecting").
      if case InboxError.permissionDenied = error { try refuseWithoutRights() }
      throw error
    }
    guard let version = found else {
      throw InboxError.notFound(
        "no store in schema \(address.schema) on \(address) yet: repute init --store URL makes one")
    }
    if version < ServerSchema.known {
      throw InboxError.storeUnavailable(
        "the store at \(address) has schema version \(version), older than this repute knows "
          + "(\(ServerSchema.known)): repute init --store URL brings it up to date")
    }
  }

  /// The role that owns the store's schema (who ran the first `repute init`), nil without one:
  /// while the roster names no supervisor, the owner applies the first one, as a file's owner does.
  public func schemaOwner() throws -> String? {
    let schema = address.schema
    return try bridge.run(timeout: 30) { session in
      var binds = PostgresBindings()
      binds.append(schema)
      return try await session.values(
        "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1", binds: binds, as: String.self
      ).first
    }
  }

  /// Another connection to the same store.
  public func reopened(clock: ReputeClock) throws -> ServerStore {
    try ServerStore(address: address, clock: clock)
  }
}

/// Whether the store is whole is the server's own care (its WAL, its page checksums where the
/// cluster has them, its backups): there is no file here to read page by page.
extension ServerStore: IntegrityStore {
  /// Reaches the server and the store's schema (as `repute check` does); no pages are read here.
  @discardableResult public func verify() throws -> Int {
    guard try status().schemaVersion != nil else {
      throw InboxError.notFound(
        "no store in schema \(address.schema) on \(address) yet: repute init --store URL makes one")
    }
    return 0
  }

  /// Nothing is due: the server keeps its own pages whole.
  @discardableResult public func verifyIfDue(every: TimeInterval) throws -> Bool { false }
}
