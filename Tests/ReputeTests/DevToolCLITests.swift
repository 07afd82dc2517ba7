import Foundation
import Testing

/// Benchmarks and training live in the developers' `repute-dev`, never in the user's `repute`,
/// and the inbox benchmark works on a copy: the store it is pointed at is left byte for byte.
@Suite struct DevToolCLITests {
  /// Every file in the store's folder, by name, with its bytes.
  func snapshot(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }
    return files
  }

  @Test func theBenchmarkAndTrainingFlagsAreGoneFromRepute() throws {
    let dir = TempFolder()
    let r = try ReputeProcess.run(["inbox", "--bench-first-frame", "--store", dir.store])
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("Unknown option '--bench-first-frame'"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.store), "a usage error creates no store")
    let train = try ReputeProcess.run(["eval", "--train", "--corpora", dir.path])
    #expect(train.status == 64, "\(train.stderr)")
    #expect(train.stderr.contains("Unknown option '--train'"), "\(train.stderr)")
    let help = try ReputeProcess.run(["--help"])
    #expect(help.status == 0)
    #expect(!help.stdout.contains("bench") && !help.stdout.contains("train"), "\(help.stdout)")
  }

  @Test func theInboxBenchmarkLeavesTheStoreItIsGivenByteIdentical() throws {
    let dir = TempFolder()
    let input = dir.path + "/in.jsonl"
    writeMentions(input, range: 0..<60)
    let ingest = try ReputeProcess.run(["ingest", "--store", dir.store, input])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    let storeFolder = (dir.store as NSString).deletingLastPathComponent
    let before = try snapshot(storeFolder)
    let scratch = dir.path + "/tmp"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

    let r = try ReputeProcess.run(
      ["inbox-bench", "--store", dir.store, "--as", "Anna", "--pause", "0"],
      environment: ["TMPDIR": scratch, "REPUTE_NOW": "2026-11-24T10:00:00Z", "REPUTE_BENCH_SEARCH": "0"],
      program: "repute-dev")
    #expect(r.status == 0, "\(r.stderr)")
    // It ran all the way, a live arrival written (into the copy) included.
    #expect(r.stdout.contains("mentions: 60"), "\(r.stdout)")
    #expect(r.stdout.contains("live arrival: write"), "\(r.stdout)")
    #expect(r.stdout.contains("resident memory:"), "\(r.stdout)")

    let after = try snapshot(storeFolder)
    #expect(after.keys.sorted() == before.keys.sorted())
    for (name, bytes) in before { #expect(after[name] == bytes, "\(name) changed") }
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "the copy is removed")
  }

  @Test func theInboxBenchmarkNeedsAnExistingStoreAndCreatesNone() throws {
    let dir = TempFolder()
    let r = try ReputeProcess.run(["inbox-bench", "--store", dir.store], program: "repute-dev")
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("repute-dev: no store at \(dir.store)"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.store))
    let none = try ReputeProcess.run(["inbox-bench"], program: "repute-dev")
    #expect(none.status == 64, "no default store: --store is required")
  }
}
