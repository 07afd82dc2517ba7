import Foundation
import Policy
import Testing

/// The airline tweets live outside the repository (CC BY-NC-SA: evaluation only, never copied).
enum Corpora {
  /// `../shared/corpora/` next to the package root, found from this file's path, or
  /// `$REPUTE_CORPORA`.
  static let root: URL =
    ProcessInfo.processInfo.environment["REPUTE_CORPORA"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpora")

  static func text(_ relative: String) -> String? {
    let url = root.appendingPathComponent(relative)
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return String(data: data, encoding: .utf8)
  }

  static let airline: String? = text("airline-tweets-en/Tweets.csv")
  static let hatecheck: String? = text("hatecheck-nl/hatecheck-nl.csv")
}

/// Every run of this test is another look at the held-out fifth, and its floors were set after
/// seeing the figures: the held-out fifth is never trained on but is not untouched
/// (docs/benchmarks.md counts the looks).
@Suite("Evaluation on the airline tweets")
struct AirlineEvaluationTests {
  /// VADER's figures on these rows (0.71, 0.46, `docs/benchmarks.md`) come from the Python
  /// package, which a test cannot run; this checks the aims only.
  @Test(
    "held-out figures meet the aims of issue 3: (a) balanced pos/neg > 0.85, (b) macro-F1 > 0.70",
    .enabled(if: Corpora.airline != nil, "../shared/corpora/airline-tweets-en is absent"))
  func heldOut() throws {
    let rows = Evaluation.airlineRows(csv: Corpora.airline!)
    #expect(rows.count > 14_000)
    let held = rows.filter { Evaluation.isHeldOut($0.id) }
    let train = rows.filter { !Evaluation.isHeldOut($0.id) }
    let heldReport = Evaluation.run(held, policy: Evaluation.airlinePolicy)
    let trainReport = Evaluation.run(train, policy: Evaluation.airlinePolicy)
    let fullReport = Evaluation.run(rows, policy: Evaluation.airlinePolicy)
    print("airline held-out:\n\(heldReport)")
    print("airline train:\n\(trainReport)")
    print("airline full:\n\(fullReport)")
    #expect(heldReport.balancedPosNeg > 0.85)
    #expect(heldReport.macroF1 > 0.70)
  }
}
