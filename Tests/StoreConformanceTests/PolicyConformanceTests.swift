import Foundation
import Inbox
import Policy
import Testing

/// `PolicyStore` on both stores: the policy's versions, who applied them, and their trail.
@Suite struct PolicyConformanceTests {
  @Test("a new store has no policy; installing one makes version 1, once", arguments: TestStores.kinds)
  func install(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let policies = try store.as((any PolicyStore).self)
    #expect(try policies.currentPolicy() == nil)
    try policies.installPolicyIfMissing(source: "# the first\n", actor: "repute")
    try policies.installPolicyIfMissing(source: "# another\n", actor: "someone")
    let current = try #require(try policies.currentPolicy())
    #expect(
      current
        == StoredPolicy(version: 1, source: "# the first\n", appliedAt: TestStores.now, appliedBy: "repute"))
    let trail = try recordedTrail(store, "policy_")
    #expect(trail.map(\.action) == ["policy_installed"])
    #expect(trail.first?.detail == #"{"version":1}"#)
    #expect(trail.first?.at == TestStores.now)
  }

  @Test(
    "applying makes the next version; checked against one no longer in force, nothing is applied",
    arguments: TestStores.kinds)
  func apply(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let policies = try store.as((any PolicyStore).self)
    try policies.installPolicyIfMissing(source: "# one\n", actor: "repute")
    let second = try policies.applyPolicy(
      source: "# two\n", actor: "Sara", annotator: defaultAnnotator, replacing: 1)
    #expect(second.version == 2 && second.recomputed == 0)
    let third = try policies.applyPolicy(
      source: "# three\n", actor: "Sam", annotator: defaultAnnotator, replacing: nil)
    #expect(third.version == 3)
    #expect(
      throws: InboxError.invalidArgument(
        "policy version 3 was applied meanwhile (you checked against 2): nothing applied; try again")
    ) {
      try policies.applyPolicy(source: "# late\n", actor: "Sara", annotator: defaultAnnotator, replacing: 2)
    }
    let current = try #require(try policies.currentPolicy())
    #expect(current.version == 3 && current.source == "# three\n" && current.appliedBy == "Sam")
    let trail = try recordedTrail(store, "policy_")
    #expect(trail.map(\.action) == ["policy_installed", "policy_applied", "policy_applied"])
    #expect(trail.map(\.actor) == ["repute", "Sara", "Sam"])
    #expect(trail.last?.detail == #"{"version":3}"#)
  }

  @Test(
    "two supervisors applying at once on two handles get two versions, never one number twice",
    arguments: TestStores.kinds)
  func applyRace(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let policies = try store.as((any PolicyStore).self)
    try policies.installPolicyIfMissing(source: "# one\n", actor: "repute")
    let other = try secondHandle(store) as! any PolicyStore
    let outcomes = try raceHeldBack(
      store,
      {
        try policies.applyPolicy(source: "# a\n", actor: "Sara", annotator: defaultAnnotator, replacing: nil)
          .version
      },
      {
        try other.applyPolicy(source: "# b\n", actor: "Sam", annotator: defaultAnnotator, replacing: nil)
          .version
      })
    let versions = try outcomes.map { try $0.get() }
    #expect(Set(versions) == [2, 3])
    #expect(try policies.currentPolicy()?.version == 3)
  }
}
