import Foundation
import Testing

@testable import Policy

/// The decision model that weighs the lexicon pass's evidence (issue 3), and the evidence it added.
@Suite("Decision model: trained weights over the classifier's evidence")
struct DecisionModelTests {
  let classifier = Classifier(DutchSet.policy)

  func classify(_ text: String, lang: String? = nil) -> Classification {
    classifier.classify(ClassifierInput(text: text, lang: lang))
  }

  func has(_ c: Classification, _ kind: SignalKind) -> Bool {
    c.signals.contains { $0.kind == kind }
  }

  /// Evidence where element `praiseCase` decides positive, `complaintCase` negative, else neutral.
  func synthetic(_ n: Int) -> [(Evidence.Vector, Evaluation.Polarity)] {
    (0..<n).map { i in
      var x = [Float](repeating: 0, count: Evidence.count)
      x[Evidence.bias] = 1
      let side = Evaluation.Polarity.allCases[i % 3]
      let strength = Float(1 + i % 5)
      switch side {
      case .positive: x[Evidence.praiseCase] = strength
      case .negative: x[Evidence.complaintCase] = strength
      case .neutral: x[Evidence.noEvidence] = 1
      }
      // Noise that says nothing about the side.
      x[Evidence.length] = Float(i % 7) / 3
      return (x, side)
    }
  }

  @Test("training learns separable evidence, and the same examples give the same weights")
  func trainsAndIsDeterministic() {
    let examples = synthetic(300)
    let model = DecisionModel.train(examples)
    for (x, side) in examples {
      var v = x
      let (got, p) = v.withUnsafeMutableBufferPointer { model.decide($0) }
      #expect(got == side)
      #expect(p > 1.0 / 3 && p <= 1)
    }
    #expect(DecisionModel.train(examples) == model)
    // A model that never saw a side's evidence cannot invent it.
    let untrained = DecisionModel(positive: [], neutral: [], negative: [])
    var x = examples[0].0
    #expect(x.withUnsafeMutableBufferPointer { untrained.decide($0) }.1 < 0.34)
  }

  @Test("balance weighs a rare side up: with balance 1 it is found more often than with 0")
  func balanceWeighsSides() {
    // 10 positive examples among 200, their evidence overlapping the negative side's.
    var examples: [(Evidence.Vector, Evaluation.Polarity)] = []
    for i in 0..<200 {
      var x = [Float](repeating: 0, count: Evidence.count)
      x[Evidence.bias] = 1
      x[Evidence.praiseCase] = Float(i % 10) / 4
      examples.append((x, i % 20 == 0 ? .positive : .negative))
    }
    func positives(_ m: DecisionModel) -> Int {
      examples.filter { e in
        var v = e.0
        return v.withUnsafeMutableBufferPointer { m.decide($0) }.0 == .positive
      }.count
    }
    let mixed = positives(DecisionModel.train(examples, .init(balance: 0)))
    let equal = positives(DecisionModel.train(examples, .init(balance: 1)))
    #expect(equal > mixed)
  }

  @Test("the shipped weights match the evidence: one per element and side, names for all")
  func shippedMatchesEvidence() {
    #expect(Evidence.names.count == Evidence.count)
    #expect(Set(Evidence.names).count == Evidence.count)
    #expect(Evidence.count <= 64)
    let m = DecisionModel.shipped
    for side in [m.positive, m.neutral, m.negative] {
      #expect(side.count == Evidence.count)
      #expect(side.contains { $0 != 0 })
    }
  }

  @Test("the weights file the trainer writes reads back to the same weights")
  func sourceRoundTrip() throws {
    let model = DecisionModel.train(synthetic(90))
    let source = model.swiftSource(header: ["test"])
    #expect(source.hasPrefix("// test\n"))
    // Every weight line is "value,  // name", in element order, three times.
    let lines = source.split(separator: "\n").filter { $0.contains(",  // ") }
    #expect(lines.count == 3 * Evidence.count)
    let values = lines.map { Float($0.split(separator: ",")[0].trimmingCharacters(in: .whitespaces))! }
    let names = lines.map { String($0.split(separator: "//")[1].trimmingCharacters(in: .whitespaces)) }
    #expect(Array(names.prefix(Evidence.count)) == Evidence.names)
    for (a, b) in zip(values, model.positive + model.neutral + model.negative) {
      #expect(abs(a - b) <= 0.00005)
    }
  }

  @Test("the evidence the classifier hands the model has every element set from its own pass")
  func evidenceFromThePass() {
    let (c, x) = classifier.classifyWithEvidence(ClassifierInput(text: "Thanks, great flight!", lang: "en"))
    #expect(c.category == .praise)
    #expect(x.count == Evidence.count)
    #expect(x[Evidence.bias] == 1)
    #expect(x[Evidence.praiseCase] > 0)
    #expect(x[Evidence.thanks] > 0)
    // Products follow the base evidence: praise × thanks is among them.
    #expect(x[Evidence.baseCount...].contains { $0 > 0 })
    let (_, q) = classifier.classifyWithEvidence(ClassifierInput(text: "Waar is mijn pakket?", lang: "nl"))
    #expect(q[Evidence.questionMark] == 1)
    #expect(q[Evidence.praiseCase] == 0)
  }

  @Test(
    "S10, S11: exasperation is evidence of a complaint, in both languages",
    arguments: [
      ("Come on, fix this ASAP", "en"), ("What gives? Third time this week", "en"),
      ("Kom op zeg, los dit op", "nl"), ("Hoe moeilijk kan het zijn om op tijd te rijden", "nl"),
      ("Really?! Again?!", "en"),
    ])
  func exasperation(text: String, lang: String) {
    let (c, x) = classifier.classifyWithEvidence(ClassifierInput(text: text, lang: lang))
    #expect(x[Evidence.exasperation] > 0, "\(c.signals)")
    #expect(c.signals.contains { $0.kind == .exasperation }, "the responder sees why: \(c.signals)")
    #expect(Evaluation.Polarity(c.category) == .negative, "\(c.signals)")
  }

  @Test(
    "S12: a greeting opening a question, and an indirect question, make a question",
    arguments: [
      ("Hi! Can I take my bike on the train?", "en", true),
      ("Goedemorgen, mag mijn hond mee in de trein?", "nl", true),
      ("Graag hoor ik hoe ik een factuur kan downloaden", "nl", false),
      ("I was wondering whether the lounge opens before six", "en", false),
    ])
  func greetingsAndIndirectQuestions(text: String, lang: String, greeting: Bool) {
    let c = classify(text, lang: lang)
    #expect(c.category == .question, "\(c.signals)")
    #expect(has(c, .greeting) == greeting)
  }

  @Test(
    "S12: a question whose only complaint is a negation asks for information",
    arguments: [
      ("Hoe laat vertrekt de eerste trein naar Schiphol op zondag? Ik kan het niet vinden in de app.", "nl"),
      ("Where do I find my invoice? I can't see it in the app.", "en"),
    ])
  func questionWithNegation(text: String, lang: String) {
    let c = classify(text, lang: lang)
    #expect(c.category == .question, "\(c.signals)")
    // With a complaint cue it is a complaint again: the trouble is the point.
    let cancelled = classify(
      text + (lang == "nl" ? " Mijn trein is geannuleerd." : " My order was cancelled."), lang: lang)
    #expect(cancelled.category == .complaint, "\(cancelled.signals)")
  }

  @Test(
    "S8: an insult, also as a phrase, is never praise or information; venting is no experience",
    arguments: [
      ("@acme stelletje prutsers", "nl"), ("Acme kan de pot op 🖕", "nl"),
      ("Acme = a bunch of crooks. Full stop.", "en"),
      ("Acme, nooit meer. Wat een oplichters", "nl"),
    ])
  func insultsAreUnfounded(text: String, lang: String) {
    let c = classify(text, lang: lang)
    #expect(c.category == .unfounded, "\(c.signals)")
    #expect(c.signals.contains { $0.kind == .insult })
    // The same insult beside what happened is a complaint with substance (S10).
    let told = classify(
      text + (lang == "nl" ? ", mijn pakket is al 3 weken kwijt" : ", my parcel is lost"), lang: lang)
    #expect(told.category == .complaint, "\(told.signals)")
  }

  @Test("S5: staff praising the organisation with few words is still self-praise")
  func staffPraise() {
    let c = classifier.classify(
      ClassifierInput(
        text: "Trots op onze collega's, 50.000 pakketjes op tijd bezorgd 💪", lang: "nl",
        authorHandle: "@jan_acme"))
    #expect(c.category == .selfPraise, "\(c.signals)")
    // A staff member's complaint stays a complaint.
    let k = classifier.classify(
      ClassifierInput(text: "Mijn trein is alweer geannuleerd", lang: "nl", authorHandle: "@jan_acme"))
    #expect(k.category == .complaint)
  }

  @Test(
    "S3: a problem put right, beside praise, is praise",
    arguments: [
      ("Storing gemeld om 9 uur, om 11 uur was het opgelost. Netjes!", "nl"),
      ("My parcel was lost but they refunded it the next day, great service", "en"),
      ("Schadeclaim binnen een week afgehandeld en zonder gedoe uitbetaald 👌", "nl"),
    ])
  func problemPutRight(text: String, lang: String) {
    let c = classify(text, lang: lang)
    #expect(c.category == .praise, "\(c.signals)")
  }

  @Test("\"Beste\" that opens a mention greets; \"de beste\" praises")
  func besteGreetsOrPraises() {
    let greeting = classify("Beste Acme, wanneer rijdt de eerste trein?", lang: "nl")
    #expect(greeting.category == .question)
    #expect(!greeting.signals.contains { $0.kind == .positiveWord && $0.token == "Beste" })
    let praise = classify("Jullie conducteur was echt de beste, dank!", lang: "nl")
    #expect(praise.category == .praise, "\(praise.signals)")
  }

  @Test(
    "review: ordinary questions and reports with words the cue lists once took wrongly",
    arguments: [
      ("Do you need to book seats in advance?", "en", Category.question),
      ("How is it possible to change my seat?", "en", .question),
      ("Kunnen jullie zsm laten weten of mijn trein morgen rijdt?", "nl", .question),
      (
        "Mijn fiets stond in de trein, het zat in het rek boven stoel 12. Waar kan ik hem ophalen?", "nl",
        .question
      ),
      ("Dag 3 zonder internet en niemand belt terug", "nl", .complaint),
      ("Goedemiddag beste klantenservice, mijn pakket is kwijt", "nl", .complaint),
    ])
  func reviewedCues(text: String, lang: String, want: Category) {
    let c = classify(text, lang: lang)
    #expect(c.category == want, "\(c.signals)")
  }

  @Test("review: a file that is corrupt is no insult, and \"geregeld\" is also \"regularly\"")
  func ambiguousWords() {
    let pdf = classify("The ticket PDF you sent is corrupt, can you resend it?", lang: "en")
    #expect(pdf.category != .unfounded, "\(pdf.signals)")
    #expect(!pdf.signals.contains { $0.kind == .insult })
    let regular = classify("Geregeld vertraging op deze lijn, het personeel is wel vriendelijk", lang: "nl")
    #expect(!regular.signals.contains { $0.kind == .resolution })
  }

  @Test("review: \"!?\" at the end counts as \"?!\" does; only spaces join spelled-out letters")
  func tokenizerEdges() {
    #expect(Tokenizer.scan("Really!?").interrobangs == 1)
    #expect(Tokenizer.scan("Really?!").interrobangs == 1)
    let words = Tokenizer.words("ingang A t/m Z en a-b-c")
    #expect(!words.contains("atmz") && !words.contains("abc"), "\(words)")
    #expect(Tokenizer.words("je bent een s l e t").contains("slet"))
  }

  @Test("a greeting only counts where the mention opens")
  func greetingOnlyFirst() {
    #expect(!has(classify("I said hi to the driver", lang: "en"), .greeting))
    #expect(has(classify("@acme hallo, een vraag", lang: "nl"), .greeting))
  }

  @Test(
    "a word spelled out with spaces is read as the word, and hate so spelled is never praise",
    arguments: [
      ("Ze zijn v e r a c h t e l i j k.", "nl", "verachtelijk"),
      ("You are t e r r i b l e, the worst company", "en", "terrible"),
    ])
  func spacedLetters(text: String, lang: String, word: String) {
    let scan = Tokenizer.scan(text)
    #expect(scan.tokens.contains { $0.hash == FNV.hash(word) && $0.letters == Int16(word.count) })
    let c = classify(text, lang: lang)
    #expect(
      c.signals.contains {
        $0.kind == .negativeWord && $0.token.replacingOccurrences(of: " ", with: "") == word
      })
    #expect(Evaluation.Polarity(c.category) != .positive)
  }

  @Test("two single letters stay letters, and a single letter carries no sentiment")
  func singleLetters() {
    let scan = Tokenizer.scan("Plan B or plan C")
    #expect(scan.tokens.filter { $0.letters == 1 }.count == 2)
    let c = classify("Je bent gewoon een l", lang: "nl")
    #expect(!c.signals.contains { $0.kind == .positiveWord })
  }

  @Test("S3: a hope before \"maar\" or \"but\" governs nothing after it")
  func contrastEndsIrrealis() {
    let nl = classify("Nooit gedacht dat ik dit zou zeggen maar de nieuwe app is echt geweldig", lang: "nl")
    #expect(nl.category == .praise, "\(nl.signals)")
    let geweldig = nl.signals.first { $0.token == "geweldig" }?.weight ?? 0
    let plain = classify("De nieuwe app is echt geweldig", lang: "nl").signals.first {
      $0.token == "geweldig"
    }
    #expect(geweldig == plain?.weight)
  }

  @Test("a negation that flips a sentiment word is not also a bare negation")
  func flippedNegation() {
    let (_, flipped) = classifier.classifyWithEvidence(ClassifierInput(text: "Niet slecht", lang: "nl"))
    let (_, bare) = classifier.classifyWithEvidence(ClassifierInput(text: "Werkt niet", lang: "nl"))
    #expect(flipped[Evidence.negations] == 0)
    #expect(bare[Evidence.negations] == 1)
  }
}
