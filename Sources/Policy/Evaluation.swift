/// Measuring the classifier on labelled data, with figures that don't flatter a classifier that
/// calls everything a complaint.
public enum Evaluation {
  /// The three sides the labelled sets use.
  public enum Polarity: String, Sendable, Hashable, CaseIterable {
    case positive, neutral, negative

    /// praise and self-praise are positive; question and neutral neutral; the rest negative.
    public init(_ category: Category) {
      switch category {
      case .praise, .selfPraise: self = .positive
      case .question, .neutral: self = .neutral
      case .complaint, .unfounded, .misinformation: self = .negative
      }
    }
  }

  /// One labelled example.
  public struct Row: Sendable, Hashable {
    public var id: String
    public var text: String
    public var gold: Polarity
    public var lang: String?

    public init(id: String, text: String, gold: Polarity, lang: String? = nil) {
      self.id = id
      self.text = text
      self.gold = gold
      self.lang = lang
    }
  }

  public struct ClassFigures: Sendable, Hashable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int
  }

  /// The figures of issue 3.
  public struct Report: Sendable, CustomStringConvertible {
    public var rows: Int
    /// (a) Over positive and negative rows: mean of the recall of the negative side on negative
    /// rows and of everything else on positive rows. Always answering complaint scores 0.50.
    public var balancedPosNeg: Double
    /// (b) Macro-averaged F1 over positive / neutral / negative. Always complaint scores 0.26.
    public var macroF1: Double
    public var accuracy: Double
    public var perClass: [Polarity: ClassFigures]
    /// confusion[gold][predicted]
    public var confusion: [Polarity: [Polarity: Int]]

    public var description: String {
      var s = "rows \(rows)  balanced pos/neg (a) \(format(balancedPosNeg))"
      s += "  macro-F1 (b) \(format(macroF1))  accuracy \(format(accuracy))\n"
      for p in Polarity.allCases {
        let c = perClass[p]!
        s += "  \(p.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) P \(format(c.precision))"
        s += "  R \(format(c.recall))  F1 \(format(c.f1))  n=\(c.support)\n"
      }
      s += "  confusion (gold → predicted pos/neu/neg):\n"
      for g in Polarity.allCases {
        let row = Polarity.allCases.map { String(confusion[g]?[$0] ?? 0) }.joined(separator: " / ")
        s += "    \(g.rawValue): \(row)\n"
      }
      return s
    }
  }

  /// Figures for (gold, predicted) pairs.
  public static func report(_ pairs: [(gold: Polarity, predicted: Polarity)]) -> Report {
    var confusion: [Polarity: [Polarity: Int]] = [:]
    for (g, p) in pairs { confusion[g, default: [:]][p, default: 0] += 1 }
    func n(_ g: Polarity, _ p: Polarity) -> Int { confusion[g]?[p] ?? 0 }
    var perClass: [Polarity: ClassFigures] = [:]
    for c in Polarity.allCases {
      let tp = Double(n(c, c))
      let predicted = Double(Polarity.allCases.map { n($0, c) }.reduce(0, +))
      let actual = Double(Polarity.allCases.map { n(c, $0) }.reduce(0, +))
      let precision = predicted > 0 ? tp / predicted : 0
      let recall = actual > 0 ? tp / actual : 0
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      perClass[c] = ClassFigures(precision: precision, recall: recall, f1: f1, support: Int(actual))
    }
    let negatives = Double(Polarity.allCases.map { n(.negative, $0) }.reduce(0, +))
    let positives = Double(Polarity.allCases.map { n(.positive, $0) }.reduce(0, +))
    let negRecall = negatives > 0 ? Double(n(.negative, .negative)) / negatives : 0
    let posRecall = positives > 0 ? Double(positives - Double(n(.positive, .negative))) / positives : 0
    let balanced = (negRecall + posRecall) / 2
    let macro = Polarity.allCases.map { perClass[$0]!.f1 }.reduce(0, +) / 3
    let correct = Polarity.allCases.map { n($0, $0) }.reduce(0, +)
    return Report(
      rows: pairs.count, balancedPosNeg: balanced, macroF1: macro,
      accuracy: pairs.isEmpty ? 0 : Double(correct) / Double(pairs.count), perClass: perClass,
      confusion: confusion)
  }

  /// Classifies the rows with the policy and reports the figures.
  public static func run(_ rows: [Row], policy: PolicyConfig) -> Report {
    run(rows, policy: policy, model: .shipped)
  }

  static func run(_ rows: [Row], policy: PolicyConfig, model: DecisionModel) -> Report {
    let classifier = Classifier(policy, model: model)
    return report(
      rows.map { row in
        let c = classifier.classify(ClassifierInput(text: row.text, lang: row.lang))
        return (row.gold, Polarity(c.category))
      })
  }

  /// A stable split: true for the held-out fifth (FNV-1a of the id, mod 5 == 0). Never trained on
  /// (`crossValidate` refuses its rows), but measured between rule changes: docs/benchmarks.md
  /// counts the looks.
  public static func isHeldOut(_ id: String) -> Bool {
    fold(id) == 0
  }

  /// Which fifth a row is in: 0 is held out, 1–4 are the tuning folds.
  public static func fold(_ id: String) -> Int {
    Int(FNV.hash(id) % 5)
  }

  /// The evidence the classifier finds in each row, with the row's label: what the decision model
  /// is trained on. Rumour matches are decided by rule and left out.
  public static func evidence(_ rows: [Row], policy: PolicyConfig) -> [(Evidence.Vector, Polarity)] {
    let classifier = Classifier(policy)
    return rows.compactMap { row in
      let (c, x) = classifier.classifyWithEvidence(ClassifierInput(text: row.text, lang: row.lang))
      return c.rumours.isEmpty ? (x, row.gold) : nil
    }
  }

  /// Out-of-fold figures over the tuning folds (1–4): each fold classified by a model trained on
  /// the other three. Refuses held-out rows, so the held-out fifth stays unseen while tuning.
  public static func crossValidate(
    _ rows: [Row], policy: PolicyConfig, training: DecisionModel.Training = .init()
  ) -> Report {
    precondition(!rows.contains { isHeldOut($0.id) }, "cross-validation is for the tuning folds only")
    var pairs: [(gold: Polarity, predicted: Polarity)] = []
    for k in 1...4 {
      let train = rows.filter { fold($0.id) != k }
      let test = rows.filter { fold($0.id) == k }
      let model = DecisionModel.train(evidence(train, policy: policy), training)
      let classifier = Classifier(policy, model: model)
      for row in test {
        let c = classifier.classify(ClassifierInput(text: row.text, lang: row.lang))
        pairs.append((row.gold, Polarity(c.category)))
      }
    }
    return report(pairs)
  }

  /// The airline tweets (`Tweets.csv`, CC BY-NC-SA: read from `../shared/corpora/`, never copied):
  /// rows with `airline_sentiment_confidence` ≥ `minConfidence`.
  public static func airlineRows(csv: String, minConfidence: Double = 0.6) -> [Row] {
    let table = CSV.parse(csv)
    guard let header = table.first,
      let id = header.firstIndex(of: "tweet_id"), let label = header.firstIndex(of: "airline_sentiment"),
      let conf = header.firstIndex(of: "airline_sentiment_confidence"),
      let text = header.firstIndex(of: "text")
    else { return [] }
    var rows: [Row] = []
    for r in table.dropFirst() where r.count == header.count {
      guard let c = Double(r[conf]), c >= minConfidence, let p = Polarity(rawValue: r[label]) else {
        continue
      }
      rows.append(Row(id: r[id], text: unescapeHTML(r[text]), gold: p, lang: "en"))
    }
    return rows
  }

  /// The organisation names of the airline set: the policy an airline would have (S1).
  public static let airlinePolicy: PolicyConfig = {
    var p = PolicyConfig.default
    p.organisation.names = [
      "Virgin America", "United", "Southwest", "Delta", "US Airways", "American", "American Airlines",
      "JetBlue",
    ]
    return p
  }()

  static func unescapeHTML(_ s: String) -> String {
    guard s.contains("&") else { return s }
    return s.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
  }
}

/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines.
public enum CSV {
  public static func parse(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if inQuotes {
        if b == 0x22 {
          if i + 1 < bytes.count, bytes[i + 1] == 0x22 {
            field.append(0x22)
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          field.append(b)
        }
      } else {
        switch b {
        case 0x22: inQuotes = true
        case 0x2C:
          row.append(String(decoding: field, as: UTF8.self))
          field.removeAll(keepingCapacity: true)
        case 0x0A:
          row.append(String(decoding: field, as: UTF8.self))
          field.removeAll(keepingCapacity: true)
          rows.append(row)
          row = []
        case 0x0D: break
        default: field.append(b)
        }
      }
      i += 1
    }
    if !field.isEmpty || !row.isEmpty {
      row.append(String(decoding: field, as: UTF8.self))
      rows.append(row)
    }
    return rows
  }
}

private func format(_ x: Double) -> String {
  let v = Int((x * 1000).rounded())
  let s = String(v)
  if v >= 1000 { return "1.000" }
  return "0." + String(repeating: "0", count: 3 - s.count) + s
}
