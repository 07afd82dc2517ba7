import Foundation
import Testing

/// Two commands that create the same new store at the same moment (a watcher and an inbox
/// started together, say) both succeed: neither fails on a migration the other just applied.
@Suite(.serialized) struct NewStoreRaceTests {
  @Test func twoProcessesCreatingOneStoreAtOnceBothSucceed() throws {
    for round in 0..<8 {
      let dir = TempFolder()
      let a = dir.write("a.jsonl", mentionLine(1))
      let b = dir.write("b.jsonl", mentionLine(2))
      let first = try ReputeProcess.start(["ingest", "--store", dir.store, a])
      let second = try ReputeProcess.start(["ingest", "--store", dir.store, b])
      let results = [first.wait(), second.wait()]
      #expect(results.map(\.status) == [0, 0], "round \(round): \(results.map(\.stderr))")
      let list = try ReputeProcess.run(["list", "--store", dir.store])
      #expect(list.lines.count == 2)
    }
  }
}
