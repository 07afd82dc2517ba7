import Foundation
import Inbox
import Policy
import Testing

/// What the settings' and actions' writes cost on each store: a handful of actions one at a time
/// on 10,000 mentions, and a new policy's recomputation of them. Off by default (it prints, it
/// asserts nothing of time); run it with
///
///     REPUTE_BENCH=1 REPUTE_TEST_PG_URL="$(scripts/pg-throwaway.sh url)" \
///       swift test --filter SettingsBenchmark 2>&1 | grep MEASURE
///
/// Figures in docs/benchmarks-log.md ("Actions on the server store").
@Suite struct SettingsBenchmark {
  @Test(
    "the cost of actions and of a new policy on each store",
    .enabled(if: ProcessInfo.processInfo.environment["REPUTE_BENCH"] != nil, "set REPUTE_BENCH=1"),
    arguments: TestStores.kinds)
  func measure(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let a = try store.as((any MentionStore & ActionStore & PolicyStore).self)
    try a.installPolicyIfMissing(source: PolicyFile.render(.default), actor: "t")
    let texts = [
      "Hoe laat vertrekt de eerste trein naar Utrecht morgen?",
      "My parcel is still not here, third week, and nobody answers my emails.",
      "Thank you for the friendly help at the counter, great service!",
    ]
    for b in 0..<20 {
      _ = try a.ingest(
        (0..<500).map { i in incoming("m\(b)-\(i)", text: texts[i % 3] + " \(b)-\(i)", handle: "h\(i % 300)")
        },
        actor: "t", annotator: defaultAnnotator)
    }
    #expect(try a.mentionCount() == 10_000)
    let ids = try a.mentions(order: .newest, limit: 200, offset: 0).map(\.id)
    func time(_ label: String, _ n: Int, _ body: () throws -> Void) rethrows {
      let start = DispatchTime.now().uptimeNanoseconds
      try body()
      let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
      print(
        "MEASURE \(kind) \(label): \(String(format: "%.1f", ms)) ms total, \(String(format: "%.3f", ms / Double(n))) ms each over \(n)"
      )
    }
    try time("toggleClaim", 400) {
      for id in ids { try a.toggleClaim(id: id, actor: "Anna"); try a.toggleClaim(id: id, actor: "Anna") }
    }
    try time("claim+release", 400) {
      for id in ids {
        _ = try a.claim(id: id, actor: "Bram", takeOver: false); _ = try a.release(id: id, actor: "Bram")
      }
    }
    try time("recategorise", 200) {
      for id in ids { try a.recategorise(ids: [id], to: .complaint, policy: .default, actor: "Anna") }
    }
    try time("snooze", 200) {
      for id in ids { try a.snooze(ids: [id], until: TestStores.now.addingTimeInterval(60), actor: "Anna") }
    }
    try time("wakeSnoozed(200)", 1) { _ = try a.wakeSnoozed(now: TestStores.now.addingTimeInterval(120)) }
    var recomputed = 0
    try time("applyPolicy recompute (10000 mentions)", 1) {
      recomputed = try a.applyPolicy(
        source: PolicyFile.render(.default), actor: "s", annotator: defaultAnnotator, replacing: nil
      ).recomputed
    }
    print("MEASURE \(kind) recomputed \(recomputed)")
  }
}
