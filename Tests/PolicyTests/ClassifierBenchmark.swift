import Foundation
import Testing

@testable import Policy

/// Throughput of the classifier core, for `docs/benchmarks.md`. Not a timed assertion: it runs
/// only when asked, and only prints. Build in release for real figures:
///
///     REPUTE_BENCH=1 swift test -c release --filter ClassifierBenchmark
@Suite("Classifier benchmark (opt-in)")
struct ClassifierBenchmark {
  @Test(
    "mentions per second on one core",
    .enabled(if: ProcessInfo.processInfo.environment["REPUTE_BENCH"] != nil, "set REPUTE_BENCH=1"))
  func throughput() {
    var texts = DutchSet.items.map(\.text)
    if let csv = Corpora.airline {
      texts += Evaluation.airlineRows(csv: csv, minConfidence: 0).prefix(10_000).map(\.text)
    }
    let classifier = Classifier(Evaluation.airlinePolicy)
    _ = classifier.classify(ClassifierInput(text: "warm up"))
    var checksum = 0
    let rounds = 20
    let start = ContinuousClock.now
    for _ in 0..<rounds {
      for t in texts {
        let c = classifier.classify(ClassifierInput(text: t))
        checksum &+= c.signals.count
      }
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let n = Double(texts.count * rounds)
    print(
      "classifier: \(Int(n / seconds)) mentions/s, \(String(format: "%.2f", seconds / n * 1e6)) µs each "
        + "(\(texts.count) texts × \(rounds), checksum \(checksum))")
    #expect(checksum > 0)
  }
}
