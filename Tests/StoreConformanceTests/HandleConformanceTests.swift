import Foundation
import Inbox
import Store
import Testing

@testable import ServerStore

/// What every command and the inbox open: the whole composition (`ReputeStore`) on both stores,
/// and what `StoreHandle` promises beside the topics.
@Suite struct HandleConformanceTests {
  @Test("each store is a whole ReputeStore", arguments: TestStores.kinds)
  func eachStoreIsAWholeReputeStore(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let whole = try store.as((any ReputeStore).self)
    #expect(whole.clock.now() == TestStores.now)
    #expect(!whole.isReadOnly)
    #expect(whole.isServer == (kind == .postgres))
    switch whole.location {
    case .file(let path): #expect(kind == .sqlite && path == store.location)
    case .server(let address): #expect(kind == .postgres && address.schema == store.location)
    }
    #expect(whole.storeName == whole.location.description)
  }

  @Test("the acting login is the system's on a file, the login role on a server", arguments: TestStores.kinds)
  func actingLogin(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let whole = try store.as((any ReputeStore).self)
    switch kind {
    case .sqlite:
      #expect(try whole.actingLogin() == SystemLogin.current())
      #expect(!whole.isShared, "a private file is nobody else's")
    case .postgres:
      #expect(try whole.actingLogin() == store.as(ServerStore.self).status().role)
      #expect(whole.isShared, "a server store is the team's")
    }
  }

  @Test(
    "a reopened handle is the same store on its own connection, with its own clock",
    arguments: TestStores.kinds)
  func reopened(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let whole = try store.as((any ReputeStore).self)
    let later = TestStores.now.addingTimeInterval(3600)
    let other = try whole.reopened(clock: .fixed(later))
    #expect(other.location == whole.location)
    #expect(other.clock.now() == later)
    #expect(try other.actingLogin() == whole.actingLogin())
    let distinct = ObjectIdentifier(other as AnyObject) != ObjectIdentifier(whole as AnyObject)
    #expect(distinct, "the same handle, not another")
  }
}
