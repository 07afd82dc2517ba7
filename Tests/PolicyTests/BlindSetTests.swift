import Policy
import Testing

/// Issue 3's blind set, classified with its own policy: the figures are printed per language and
/// per category with every miss, and the floors guard against regressions.
@Suite("Blind set: Dutch and English mentions labelled without knowing the rules")
struct BlindSetTests {
  struct Outcome: Sendable {
    var item: BlindItem
    var predicted: Category
    /// The ids of the policy's rumours the classifier found (S9, S4).
    var rumours: [String]
  }

  /// The floors, set once from the first measured run (2026-12-01: all 0.731 / 0.756 / 0.762,
  /// nl 0.720 / 0.752 / 0.750, en 0.750 / 0.763 / 0.780 for exact, (a), (b)), each 0.05 below it
  /// and rounded down. Labels are never changed to meet them.
  static let floors: [(lang: String?, exact: Double, a: Double, b: Double)] = [
    (nil, 0.68, 0.70, 0.71),
    ("nl", 0.67, 0.70, 0.70),
    ("en", 0.70, 0.71, 0.73),
  ]

  static let outcomes: [Outcome] = {
    let classifier = Classifier(BlindSet.policy)
    return BlindSet.items.map { item in
      let input = ClassifierInput(text: item.text, lang: item.lang, authorHandle: item.author)
      let c = classifier.classify(input)
      return Outcome(item: item, predicted: c.category, rumours: c.rumours)
    }
  }()

  @Test("the set is the one the issue asks for: 100 Dutch, 60 English, every category, known rumours")
  func shape() {
    let items = BlindSet.items
    #expect(items.count == 160)
    #expect(items.filter { $0.lang == "nl" }.count == 100)
    #expect(items.filter { $0.lang == "en" }.count == 60)
    #expect(Set(items.map(\.id)).count == items.count, "ids are unique")
    for lang in ["nl", "en"] {
      for c in Category.allCases {
        #expect(items.contains { $0.lang == lang && $0.category == c }, "\(lang) has \(c.rawValue)")
      }
    }
    // S5: self-praise is praise by the organisation's own staff, and only staff write it here.
    for item in items {
      #expect(
        BlindSet.policy.isStaff(item.author) == (item.category == .selfPraise),
        "\(item.id): a staff author is self-praise and only self-praise")
    }
    #expect(BlindSet.policy.rumours.count == 4)
    for rumour in BlindSet.policy.rumours {
      for pattern in rumour.patterns {
        if case .failure(let e) = RumourPattern.compile(pattern) {
          Issue.record("\(rumour.id): \(pattern): \(e.message)")
        }
      }
    }
  }

  @Test("figures per language and per category, with the misses, stay above the measured floors")
  func figures() {
    for floor in Self.floors {
      let outcomes = Self.outcomes.filter { floor.lang == nil || $0.item.lang == floor.lang }
      let name = floor.lang ?? "all"
      print(Self.describe(name, outcomes))
      let report = Self.polarity(outcomes)
      #expect(Self.exact(outcomes) >= floor.exact, "\(name): exact category accuracy")
      #expect(report.balancedPosNeg >= floor.a, "\(name): (a) balanced positive / negative")
      #expect(report.macroF1 >= floor.b, "\(name): (b) macro-F1 over the polarities")
    }
    print(Self.misses(Self.outcomes))
  }

  /// Exact-category accuracy: the share of items whose category is the label.
  static func exact(_ outcomes: [Outcome]) -> Double {
    guard !outcomes.isEmpty else { return 0 }
    return Double(outcomes.filter { $0.predicted == $0.item.category }.count) / Double(outcomes.count)
  }

  /// The polarity figures of issue 3, (a) and (b), over the items.
  static func polarity(_ outcomes: [Outcome]) -> Evaluation.Report {
    Evaluation.report(
      outcomes.map {
        (gold: Evaluation.Polarity($0.item.category), predicted: Evaluation.Polarity($0.predicted))
      }
    )
  }

  static func describe(_ name: String, _ outcomes: [Outcome]) -> String {
    let hits = outcomes.filter { $0.predicted == $0.item.category }.count
    var s = "blind set \(name): exact category accuracy \(f3(exact(outcomes))) (\(hits)/\(outcomes.count))\n"
    s += "polarity: \(polarity(outcomes))"
    s += "  category        n  predicted  hit  precision  recall\n"
    for c in Category.allCases {
      let n = outcomes.filter { $0.item.category == c }.count
      let predicted = outcomes.filter { $0.predicted == c }.count
      let hit = outcomes.filter { $0.item.category == c && $0.predicted == c }.count
      let precision = predicted > 0 ? Double(hit) / Double(predicted) : 0
      let recall = n > 0 ? Double(hit) / Double(n) : 0
      s += "  " + pad(c.rawValue, 14) + pad(String(n), 3, left: true) + pad(String(predicted), 11, left: true)
      s +=
        pad(String(hit), 5, left: true) + pad(f3(precision), 11, left: true) + pad(f3(recall), 8, left: true)
      s += "\n"
    }
    s += "  confusion (gold → predicted): "
    s += Category.allCases.map { g in
      let row = outcomes.filter { $0.item.category == g && $0.predicted != g }
      let counts = Dictionary(grouping: row, by: \.predicted).map { "\($0.key.rawValue) \($0.value.count)" }
      return counts.isEmpty ? nil : "\(g.rawValue) → " + counts.sorted().joined(separator: ", ")
    }.compactMap { $0 }.joined(separator: "; ")
    return s + "\n"
  }

  static func misses(_ outcomes: [Outcome]) -> String {
    let missed = outcomes.filter { $0.predicted != $0.item.category }
    var s = "blind set misses (\(missed.count)):\n"
    for o in missed {
      let rumours = o.rumours.isEmpty ? "" : " [rumour \(o.rumours.joined(separator: ", "))]"
      s += "  \(o.item.id) \(o.item.category.rawValue) → \(o.predicted.rawValue)\(rumours): \(o.item.text)\n"
      s += "      why \(o.item.category.rawValue): \(o.item.why)\n"
    }
    return s
  }

  static func f3(_ x: Double) -> String {
    let v = Int((x * 1000).rounded())
    if v >= 1000 { return "1.000" }
    let digits = String(v)
    return "0." + String(repeating: "0", count: 3 - digits.count) + digits
  }

  static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return left ? fill + s : s + fill
  }
}
