import ArgumentParser
import Desk
import Feeds
import Foundation
import Inbox
import Policy
import Store

struct ClassifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: "Classify texts or native mentions with the policy: a dry run that stores nothing.",
    discussion: """
      repute classify TEXT… judges each text; repute classify --file F.jsonl judges native mentions \
      and prints one JSON object per line, in input order, with category, confidence, signals, rules \
      and advice. The policy is --policy FILE, else the store's (when a store exists), else the default.
      """)

  @Option(name: .long, help: "The store whose policy to use (default: $REPUTE_STORE, …).")
  var store: String?

  @Option(help: "Use this policy file instead of the store's.")
  var policy: String?

  @Option(help: "The language of the texts (nl or en); detected when left out.")
  var lang: String?

  @Option(
    name: .customLong("ui-lang"),
    help: "The language of the advice and its words: nl or en (default: from LANG, as the inbox).")
  var uiLang: UILanguage?

  @Option(help: "Native JSON Lines mentions to classify (- for standard input).")
  var file: String?

  @Flag(help: "Print JSON (always JSON Lines with --file).")
  var json = false

  @Argument(help: "Texts to classify.")
  var texts: [String] = []

  func validate() throws {
    if texts.isEmpty && file == nil { throw ValidationError("give TEXT… or --file F.jsonl") }
    if !texts.isEmpty && file != nil { throw ValidationError("give either TEXT… or --file, not both") }
  }

  func run() throws {
    let config = try loadPolicy()
    let annotator = PolicyAnnotator(policy: config)
    if let file {
      let rejected = try classifyFile(file, annotator)
      if rejected > 0 { throw ExitCode(1) }
      return
    }
    let out = BufferedWriter()
    let s = Words(AdviceText.language(uiLang))
    for text in texts {
      let mention = IncomingMention(
        platform: "cli", externalID: "", author: Author(handle: ""), createdAt: Date(), text: text,
        lang: lang, raw: "")
      let result = annotator.classify(mention)
      // The explanation in the reader's language, as the inbox gives it.
      let advice = annotator.advise(mention, result, explainIn: s.language.rawValue)
      if json {
        out.line(Self.json(result, advice, mention: mention))
      } else {
        let signals = result.signals.map {
          "\(AdviceText.signal($0.kind, s)) \(TerminalSafe.sanitize($0.token))"
        }
        out.line(
          "\(AdviceText.category(result.category, s)) (\(String(format: "%.2f", result.confidence)), \(result.lang)): "
            + TerminalSafe.sanitize(text))
        if !signals.isEmpty {
          out.line("  \(AdviceText.signalsLabel(s)): " + signals.joined(separator: ", "))
        }
        let label = AdviceText.label(s) + ":"
        out.line(
          "  \(label.padding(toLength: 9, withPad: " ", startingAt: 0))"
            + AdviceText.summary(advice, s, escalateSeparator: " "))
        out.line("           " + TerminalSafe.sanitize(advice.explanation))
      }
    }
    out.flush()
  }

  private func loadPolicy() throws -> PolicyConfig {
    if let policy {
      do {
        return try PolicyFile.load(path: policy)
      } catch {
        for issue in error.issues { Output.error(TerminalSafe.sanitize(issue.description)) }
        throw ExitCode(2)
      }
    }
    // Parsed, not made empty: an option left unset by a parse is unreadable (`--as` on a server).
    var options = try StoreOptions.parse(store.map { ["--store", $0] } ?? [])
    // The team's server store has its policy as a file has; a file not made yet has the default.
    if case .file(let path) = try guarded({ try StoreLocation.address(explicit: store) }) {
      guard FileManager.default.fileExists(atPath: path) else { return .default }
      options.store = path
    }
    return try guarded { try PolicyContext.open(options, create: false).policy }
  }

  /// Native mentions in, one JSON object per line out, in input order; parsing overlaps judging.
  private func classifyFile(_ file: String, _ annotator: PolicyAnnotator) throws -> Int {
    let files = try guarded { try Ingester.expand([file]) }
    let explainIn = AdviceText.language(uiLang).rawValue
    let out = BufferedWriter()
    let rejected = RejectCounter()
    try guarded {
      try Ingester().stream(
        files,
        reject: { record in
          rejected.add()
          Output.error(record.description)
        },
        consume: { batch in
          for mention in batch {
            let result = annotator.classify(mention)
            var w = JSONWriter(reusing: out.takeScratch())
            Self.write(
              result, annotator.advise(mention, result, explainIn: explainIn), mention: mention, into: &w)
            out.line(bytes: w.finishBytes())
          }
        })
    }
    out.flush()
    return rejected.count
  }

  static func json(_ c: Classification, _ advice: Advice, mention: IncomingMention) -> String {
    var w = JSONWriter()
    write(c, advice, mention: mention, into: &w)
    return w.finish()
  }

  static func write(_ c: Classification, _ advice: Advice, mention: IncomingMention, into w: inout JSONWriter)
  {
    if !mention.externalID.isEmpty {
      w.string("platform", mention.platform)
      w.string("id", mention.externalID)
    } else {
      w.string("text", mention.text)
    }
    w.string("category", c.category.rawValue)
    w.decimal3("confidence", c.confidence)
    w.string("lang", c.lang)
    PolicyAnnotator.writeSignals(c, into: &w)
    w.strings("rumours", c.rumours)
    w.strings("rules", advice.rules)
    PolicyAnnotator.writeAdvice(advice, into: &w)
  }
}

/// `repute eval`: the classifier's figures on the labelled airline tweets. Only reads the corpus;
/// training (which writes the weights' Swift source) is `repute-dev train`.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Measure the classifier on the labelled airline tweets (evaluation only; not shipped).",
    discussion: """
      Reads airline-tweets-en/Tweets.csv from the corpora folder (default ../shared/corpora), keeps \
      rows with confidence ≥ 0.6 and prints (a) balanced positive/negative accuracy and (b) macro F1 \
      over positive/neutral/negative, with per-class precision and recall, for the held-out fifth \
      (never trained on, but looked at after several rule changes: docs/benchmarks.md), the four \
      tuning fifths, and all rows. Reads only; writes nothing.
      """,
    // A development command (CONTRIBUTING.md): it runs, but the user's `repute --help` omits it.
    shouldDisplay: false)

  @Option(help: "The corpora folder.")
  var corpora: String = "../shared/corpora"

  func run() throws {
    let path = corpora + "/airline-tweets-en/Tweets.csv"
    guard let data = FileManager.default.contents(atPath: path), let csv = String(data: data, encoding: .utf8)
    else {
      throw fail("\(path): not found (the evaluation reads the shared corpora, which are not shipped)")
    }
    let rows = Evaluation.airlineRows(csv: csv)
    let held = rows.filter { Evaluation.isHeldOut($0.id) }
    let rest = rows.filter { !Evaluation.isHeldOut($0.id) }
    for (name, set) in [("held-out", held), ("tuning", rest), ("all", rows)] {
      let start = Date()
      let report = Evaluation.run(set, policy: Evaluation.airlinePolicy)
      let seconds = Date().timeIntervalSince(start)
      Output.line("== \(name): \(set.count) rows, \(Int(Double(set.count) / max(seconds, 1e-9))) rows/s")
      Output.line(report.description)
    }
  }
}
