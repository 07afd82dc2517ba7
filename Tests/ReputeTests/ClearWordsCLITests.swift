import Foundation
import Testing

/// Clear words through the binary (issue 14): what went wrong, and what to do about it.
@Suite(.serialized) struct ClearWordsCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]

  /// A mistyped command is named as unknown with the nearest one, not blamed on the inbox.
  @Test func anUnknownCommandSuggestsTheNearest() throws {
    let dir = TempFolder()
    let r = try ReputeProcess.run(["lst", "--store", dir.store], environment: now)
    #expect(r.status == 64, "EX_USAGE: \(r.stderr)")
    #expect(r.stderr.contains("unknown command 'lst': did you mean 'list'?"), "\(r.stderr)")
    #expect(!r.stderr.contains("Unexpected argument"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.store), "a typo creates no store")
  }

  /// A word far from every command is unknown, with the list of commands to choose from.
  @Test func aWordFarFromEveryCommandListsThem() throws {
    let r = try ReputeProcess.run(["xyzzyplugh"], environment: now)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("unknown command 'xyzzyplugh'"), "\(r.stderr)")
    #expect(r.stderr.contains("list"), "\(r.stderr)")
  }

  /// A negative limit says what a limit must be.
  @Test func aNegativeLimitSaysWhatIsWrong() throws {
    let dir = TempFolder()
    let r = try ReputeProcess.run(["list", "--store", dir.store, "--limit", "-1"], environment: now)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("--limit must be at least 1"), "\(r.stderr)")
  }
}

/// The first run, with no store yet (issue 14).
@Suite(.serialized) struct FirstRunCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]

  /// `repute` with no store says where the store would be and how mentions get in, and makes none.
  @Test func theFirstRunSaysWhereTheStoreIsAndHowToFillIt() throws {
    let dir = TempFolder()
    for arguments in [[], ["inbox"]] {
      let r = try ReputeProcess.run(arguments, environment: now.merging(["REPUTE_STORE": dir.store]) { $1 })
      #expect(r.status == 1, "\(arguments): \(r.stderr)")
      #expect(r.stderr.contains("no store at \(dir.store) yet"), "\(r.stderr)")
      for way in ["repute demo", "repute ingest FILE", "repute watch"] {
        #expect(r.stderr.contains(way), "\(way): \(r.stderr)")
      }
      #expect(!FileManager.default.fileExists(atPath: dir.store), "no empty store made silently")
    }
  }
}
