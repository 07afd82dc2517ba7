import Foundation
import Inbox
import Policy
import PostgresNIO
import Store
import TestServerSupport
import Testing

@testable import ServerStore

/// What the ingest tests need beyond `incoming(...)`: a second handle on the same store (another
/// process, another machine), a policy in force, a forgotten post. The policy is written
/// directly where the store's own protocol for it is not on both stores yet.
extension TestStore {
  /// Another handle on the same store, as a second process or machine opens it.
  func secondHandle(clock: ReputeClock = TestStores.clock) throws -> any MentionStore {
    switch kind {
    case .sqlite: return try SQLiteStore(path: location, clock: clock)
    case .postgres:
      let url = try #require(TestStores.serverURL)
      return try ServerStore(
        address: TestPostgres.address(TestPostgres.url(url, schema: location)), clock: clock)
    }
  }

  /// Puts `policy` in force, as `repute policy apply` does on a store without mentions.
  func putInForce(_ policy: PolicyConfig) throws {
    let source = PolicyFile.render(policy)
    switch kind {
    case .sqlite:
      let sqlite = store as! SQLiteStore
      _ = try sqlite.applyPolicy(source: source, actor: "test", annotator: PolicyAnnotator(policy: policy))
    case .postgres:
      let server = store as! ServerStore
      var binds = PostgresBindings()
      binds.append(source)
      let bound = binds
      try server.bridge.run { session in
        try await session.ingestStatement(
          """
          INSERT INTO policies (version, source, applied_at, applied_by)
          SELECT coalesce(max(version), 0) + 1, $1, 0, 'test' FROM policies
          """, binds: bound)
      }
    }
  }

  /// Forgets the stored post `mention` by `repute purge`'s own call (`ErasureStore.purge`) with
  /// a cutoff just after it: a tombstone stays, and a later ingest of the post stores nothing.
  func forget(_ mention: IncomingMention) throws {
    _ = try `as`((any ErasureStore).self).purge(
      before: mention.createdAt.addingTimeInterval(1), actor: "test")
  }
}
