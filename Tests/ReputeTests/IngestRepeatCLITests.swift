import Foundation
import Testing

/// Issue 17: `repute ingest` keys repeats on its reading thread (with the policy's verdict); the
/// writer folds by those keys across its batches of 10,000, in input order, with rejects named by
/// file and line as before. On a store file and on PostgreSQL alike (issue 18).
@Suite struct IngestRepeatCLITests {
  static func repeatLine(_ id: String, _ text: String) -> String {
    #"{"platform":"x","id":"\#(id)","author":{"handle":"klant"},"created_at":"2026-11-24T09:30:00Z","text":"\#(text)","lang":"nl"}"#
  }

  @Test(arguments: CLIStores.kinds) func repeatsAcrossBatchesFoldAndABadLineIsNamed(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    var lines = (1...21_000).map { mentionLine($0) }
    lines[4] = Self.repeatLine("r1", "Mijn pakket is nog steeds ZOEK, al 3 dagen")
    lines[10_004] = Self.repeatLine("r2", "mijn pakket is nog  steeds zoek, AL 3 dagen https://t.co/x")
    lines[14_999] = "{broken"
    lines[20_004] = Self.repeatLine("r3", "MIJN PAKKET IS NOG STEEDS ZOEK, AL 3 DAGEN")
    let file = dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
    let r = try store.run(nil, ["ingest", file])
    #expect(r.status == 1)
    #expect(r.lines.last == "ingested 20999 new, 0 duplicate, 1 rejected")
    #expect(
      r.lines.contains("2 of the new mentions repeat an earlier post of their author: folded into it (×N)"))
    let errors = r.stderr.split(separator: "\n")
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("\(file):15000: broken JSON") == true)
  }
}
