import Foundation
import Inbox
import Testing

@testable import ServerStore

/// The suite's own footing: each `TestStore` is a fresh store of its own, and PostgreSQL is either
/// covered or visibly not.
@Suite struct TestStoreTests {
  @Test("each test store is fresh and its own", arguments: TestStores.kinds)
  func eachStoreIsItsOwn(kind: StoreKind) throws {
    let one = try TestStore(kind)
    let other = try TestStore(kind)
    #expect(one.location != other.location)
    if kind == .postgres {
      let server = try one.as(ServerStore.self)
      #expect(try server.status().schemaVersion == ServerStore.knownSchemaVersion)
    }
  }

  @Test(
    "the conformance suite runs on PostgreSQL",
    .enabled(if: TestStores.kinds.contains(.postgres), Comment(rawValue: TestStores.howTo)))
  func postgresIsCovered() throws {
    let store = try TestStore(.postgres)
    #expect(try store.as(ServerStore.self).status().schemaVersion != nil)
  }
}
