import Foundation

/// What the commands and the inbox need of a store beyond its topics: where it is (for messages),
/// its clock, whether a team shares it, who the store says is acting, and another connection to
/// it for a thread of its own. A file store and the team's PostgreSQL store both answer it.
public protocol StoreHandle: Sendable {
  /// Where the store is: a file, or the team's server (its URL never carries a password).
  var location: StoreAddress { get }
  /// The store's clock: every time it records comes from it (`REPUTE_NOW` pins it).
  var clock: ReputeClock { get }
  /// Whether several people use the store, each known by their login: a file shared with a Unix
  /// group (`repute init --group`), or any server store. On a shared store the login decides who
  /// acts; `--as` and `REPUTE_USER` may only name the same person.
  var isShared: Bool { get }
  /// Whether the store was opened only to read it (a file someone may read but not write).
  var isReadOnly: Bool { get }
  /// Who the store says is acting: the operating system's login on a file, the login role
  /// (`session_user`) on a server. The roster's `login` is matched against it.
  func actingLogin() throws -> String
  /// Another handle on the same store with a connection of its own, for a thread of its own (the
  /// inbox's search indexer, the figures).
  func reopened(clock: ReputeClock) throws -> Self
}

extension StoreHandle {
  /// The store as messages name it: the file's path, or the server's URL without a password.
  public var storeName: String { location.description }

  /// Whether the store is the team's PostgreSQL store.
  public var isServer: Bool {
    if case .server = location { return true }
    return false
  }
}

/// Every store protocol in one: what a command or the inbox opens (`StoreOptions.open`), served
/// by `SQLiteStore` for a file and by `ServerStore` for a `postgres://` address. A piece that
/// needs less asks for less (`any QueueStore & ActionStore`); a piece that only one kind of
/// store has (a file's modes, a backup) asks for that store by its type and says so on the other.
public typealias ReputeStore = StoreHandle & MentionStore & QueueStore & ActionStore & OutboxStore
  & EscalationStore & ErasureStore & SourceStore & PolicyStore & NoticeStore & AssignStore & SnippetStore
  & ViewStore & PersonStore & PersonChangeSource & IntegrityStore & ChangeFeedStore
