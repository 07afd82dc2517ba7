import Foundation

/// The classifier's evidence about one mention, as numbers: the cases for praise, a complaint and
/// a question that the lexicon pass builds, and the counts behind them (S7: classify first).
///
/// The lexicons and the rules find the evidence; the decision model only weighs it. Each index
/// names one element of the vector; the element's meaning must not change without retraining
/// (`repute-dev train`), since the shipped weights are by index.
public enum Evidence {
  /// The evidence of one mention, `count` elements.
  public typealias Vector = [Float]

  static let bias = 0
  /// The case for praise: positive words, emoji and thanks, less what complaint cues take (S3).
  static let praiseCase = 1
  /// The case for a complaint: negative words, cues, insults, shouting, bare negations (S10, S15).
  static let complaintCase = 2
  /// The case for a question: question marks, interrogatives, requests (S12).
  static let questionCase = 3
  /// The summed valence, VADER-style (negation, boosters, a "but" clause, capitals).
  static let sentiment = 4
  static let positiveWords = 5
  static let negativeWords = 6
  static let thanks = 7
  static let complaintCues = 8
  static let requests = 9
  static let interrogatives = 10
  static let questionMark = 11
  static let insults = 12
  static let sweeping = 13
  static let shouting = 14
  static let firstPerson = 15
  /// An own bad experience: a complaint cue, or the first person with a cue or a number (S10).
  static let experience = 16
  static let numbers = 17
  static let negations = 18
  static let exclamations = 19
  /// A row of ?!?! or !!!.
  static let agitation = 20
  static let link = 21
  static let contrast = 22
  /// Nothing for praise, a complaint or a question: a plain mention (S3: stay silent).
  static let noEvidence = 23
  /// Words in the mention, a tenth per word up to 60.
  static let length = 24
  static let praiseOverComplaint = 25
  static let praiseOverQuestion = 26
  static let anyPraise = 27
  static let anyComplaint = 28
  /// The summed valence normalised to -1…1, as VADER's compound score.
  static let compound = 29
  /// A question that also has a case for a complaint ("why is my flight delayed?").
  static let questionAndComplaint = 30
  /// Both praise and complaint ("great job losing my bag").
  static let mixed = 31
  /// Demands, rhetorical questions and sighs ("come on", "fix this", "kom op"), and "?!".
  static let exasperation = 32
  /// A greeting opens the mention.
  static let greeting = 33
  /// The elements of the base evidence.
  static let baseCount = 34

  /// The elements whose pairwise products the model also weighs: how a case for praise and one
  /// for a complaint meet in one mention is what tells sarcasm from thanks and a question about a
  /// delay from a complaint about one, and a linear model cannot see that from the sums alone.
  static let core = [
    praiseCase, complaintCase, questionCase, thanks, complaintCues, experience, questionMark, compound,
  ]
  /// The cases whose squares are weighed too (a strong case is more than twice a weak one).
  static let squared = [praiseCase, complaintCase]
  /// Elements in use; the rest of the vector is zero.
  static let count = baseCount + core.count * (core.count - 1) / 2 + squared.count

  /// Fills the products after the base evidence; each factor is capped at 6 so that one long
  /// rant does not dominate.
  @inline(__always) static func expand(_ x: UnsafeMutableBufferPointer<Float>) {
    var k = baseCount
    for a in 0..<core.count {
      let xa = Swift.min(x[core[a]], 6)
      for b in (a + 1)..<core.count {
        x[k] = xa * Swift.min(x[core[b]], 6)
        k += 1
      }
    }
    for i in squared {
      let v = Swift.min(x[i], 6)
      x[k] = v * v
      k += 1
    }
  }

  /// What each element is called, for the trainer's report and the weights file.
  public static let names: [String] =
    baseNames
    + core.indices.flatMap { a in
      core.indices.dropFirst(a + 1).map { b in baseNames[core[a]] + "*" + baseNames[core[b]] }
    }
    + squared.map { baseNames[$0] + "^2" }

  static let baseNames: [String] = [
    "bias", "praise_case", "complaint_case", "question_case", "sentiment", "positive_words",
    "negative_words", "thanks", "complaint_cues", "requests", "interrogatives", "question_mark",
    "insults", "sweeping", "shouting", "first_person", "experience", "numbers", "negations",
    "exclamations", "agitation", "link", "contrast", "no_evidence", "length", "praise_over_complaint",
    "praise_over_question", "any_praise", "any_complaint", "compound", "question_and_complaint",
    "mixed", "exasperation", "greeting",
  ]
}

/// Weighs the evidence into positive, neutral or negative: a multinomial logistic regression, one
/// weight vector per side, trained on labelled mentions (`DecisionModel.train`).
///
/// Linear and small on purpose: every weight is one number a person can read next to the
/// evidence's name, and what the model may use is what the lexicon pass found, never a word of its
/// own, so it carries over to mentions and languages it was not trained on.
public struct DecisionModel: Sendable, Hashable {
  /// The three sides' weights back to back (positive, neutral, negative), `Evidence.count` each.
  let weights: [Float]

  public init(positive: [Float], neutral: [Float], negative: [Float]) {
    func padded(_ a: [Float]) -> [Float] {
      Array(a.prefix(Evidence.count)) + [Float](repeating: 0, count: Swift.max(0, Evidence.count - a.count))
    }
    weights = padded(positive) + padded(neutral) + padded(negative)
  }

  public var positive: [Float] { Array(weights[0..<Evidence.count]) }
  public var neutral: [Float] { Array(weights[Evidence.count..<(2 * Evidence.count)]) }
  public var negative: [Float] { Array(weights[(2 * Evidence.count)...]) }

  /// The side with the highest score, and its softmax probability.
  func decide(_ x: UnsafeMutableBufferPointer<Float>) -> (Evaluation.Polarity, Float) {
    let d = Evidence.count
    var s: Float = 0
    var u: Float = 0
    var n: Float = 0
    weights.withUnsafeBufferPointer { w in
      for i in 0..<d {
        let v = x[i]
        s += w[i] * v
        u += w[d + i] * v
        n += w[2 * d + i] * v
      }
    }
    let top = Swift.max(s, u, n)
    let total = expf(s - top) + expf(u - top) + expf(n - top)
    let side: Evaluation.Polarity = n == top ? .negative : (s == top ? .positive : .neutral)
    return (side, 1 / total)
  }

  /// How the trainer weighs the sides and restrains the weights.
  public struct Training: Sendable, Hashable {
    /// Each side's examples count (n / (3 · n_side))^balance: 0 keeps the data's mix, 1 weighs the
    /// three sides equally. Webcare queues differ in their mix, so the default leans to equal.
    public var balance: Double = 1
    /// L2 penalty on the weights (not the bias), per example.
    public var l2: Double = 1e-3
    public var iterations: Int = 600
    public var learningRate: Double = 0.5

    public init(balance: Double = 1, l2: Double = 1e-3, iterations: Int = 600, learningRate: Double = 0.5) {
      self.balance = balance
      self.l2 = l2
      self.iterations = iterations
      self.learningRate = learningRate
    }
  }

  /// Multinomial logistic regression by full-batch gradient descent with momentum, on standardised
  /// evidence; the weights returned apply to the raw evidence. Deterministic: the same examples
  /// give the same weights.
  public static func train(
    _ examples: [(Evidence.Vector, Evaluation.Polarity)], _ t: Training = Training()
  ) -> DecisionModel {
    let d = Evidence.count
    let sides = Evaluation.Polarity.allCases
    let n = Double(examples.count)
    guard n > 0 else { return DecisionModel(positive: [], neutral: [], negative: []) }
    // Standardise every element but the bias.
    var mean = [Double](repeating: 0, count: d)
    var sd = [Double](repeating: 1, count: d)
    for j in 1..<d {
      let m = examples.reduce(0) { $0 + Double($1.0[j]) } / n
      let v = examples.reduce(0) { $0 + (Double($1.0[j]) - m) * (Double($1.0[j]) - m) } / n
      mean[j] = m
      sd[j] = v > 1e-12 ? v.squareRoot() : 0
    }
    let xs: [[Double]] = examples.map { e in
      (0..<d).map { j in j == 0 ? 1 : (sd[j] > 0 ? (Double(e.0[j]) - mean[j]) / sd[j] : 0) }
    }
    let ys: [Int] = examples.map { e in sides.firstIndex(of: e.1)! }
    var perSide = [Double](repeating: 0, count: 3)
    for y in ys { perSide[y] += 1 }
    let sideWeight = perSide.map { c in c > 0 ? pow(n / (3 * c), t.balance) : 0 }
    let totalWeight = ys.reduce(0) { $0 + sideWeight[$1] }

    var w = [[Double]](repeating: [Double](repeating: 0, count: d), count: 3)
    var velocity = w
    let momentum = 0.9
    for _ in 0..<t.iterations {
      var grad = [[Double]](repeating: [Double](repeating: 0, count: d), count: 3)
      for (x, y) in zip(xs, ys) {
        var z = [0.0, 0.0, 0.0]
        for k in 0..<3 {
          var s = 0.0
          for j in 0..<d { s += w[k][j] * x[j] }
          z[k] = s
        }
        let top = z.max()!
        let e = z.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        let ex = sideWeight[y] / totalWeight
        for k in 0..<3 {
          let g = (e[k] / sum - (k == y ? 1 : 0)) * ex
          for j in 0..<d { grad[k][j] += g * x[j] }
        }
      }
      for k in 0..<3 {
        for j in 0..<d {
          let g = grad[k][j] + (j == 0 ? 0 : t.l2 * w[k][j])
          velocity[k][j] = momentum * velocity[k][j] - t.learningRate * g
          w[k][j] += velocity[k][j]
        }
      }
    }
    // Back to raw evidence: w·(x − mean)/sd = (w/sd)·x − Σ w·mean/sd.
    func raw(_ k: Int) -> [Float] {
      var out = [Float](repeating: 0, count: d)
      var b = w[k][0]
      for j in 1..<d where sd[j] > 0 {
        out[j] = Float(w[k][j] / sd[j])
        b -= w[k][j] * mean[j] / sd[j]
      }
      out[0] = Float(b)
      return out
    }
    return DecisionModel(positive: raw(0), neutral: raw(1), negative: raw(2))
  }

  /// The weights as the Swift source of `DecisionModel.shipped`, with a header saying how they were
  /// made.
  public func swiftSource(header: [String]) -> String {
    func list(_ v: [Float]) -> String {
      (0..<Evidence.count).map { i in
        let name = Evidence.names[i]
        return "      \(formatWeight(v[i])),  // \(name)"
      }.joined(separator: "\n")
    }
    var s = header.map { "// " + $0 }.joined(separator: "\n") + "\n\n"
    s += "extension DecisionModel {\n"
    s += "  /// The weights the classifier ships with (see the header for how they were made).\n"
    s += "  static let shipped = DecisionModel(\n"
    s += "    positive: [\n\(list(positive))\n    ],\n"
    s += "    neutral: [\n\(list(neutral))\n    ],\n"
    s += "    negative: [\n\(list(negative))\n    ])\n"
    s += "}\n"
    return s
  }
}

private func formatWeight(_ x: Float) -> String {
  let v = Int((Double(x) * 10000).rounded())
  let sign = v < 0 ? "-" : ""
  let a = abs(v)
  let frac = String(a % 10000)
  return "\(sign)\(a / 10000).\(String(repeating: "0", count: 4 - frac.count))\(frac)"
}
