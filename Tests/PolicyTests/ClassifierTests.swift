import Foundation
import Testing

@testable import Policy

@Suite("Classifier (S7: classify first)")
struct ClassifierTests {
  let classifier = Classifier(DutchSet.policy)

  func classify(_ text: String, lang: String? = nil, author: String = "klant", staff: Bool = false)
    -> Classification
  {
    classifier.classify(ClassifierInput(text: text, lang: lang, authorHandle: author, isStaff: staff))
  }

  @Test("the Dutch set: accuracy per category and overall")
  func dutchSet() {
    var correct = 0
    var perCategory: [Category: (Int, Int)] = [:]
    var misses: [String] = []
    for item in DutchSet.items {
      let c = classify(item.text, author: item.author, staff: item.staff)
      let ok = c.category == item.category
      if ok {
        correct += 1
      } else {
        misses.append("  want \(item.category.rawValue), got \(c.category.rawValue): \(item.text)")
      }
      let (a, b) = perCategory[item.category] ?? (0, 0)
      perCategory[item.category] = (a + (ok ? 1 : 0), b + 1)
      #expect(c.lang == "nl", "\(item.text)")
    }
    let accuracy = Double(correct) / Double(DutchSet.items.count)
    print("Dutch set: \(correct)/\(DutchSet.items.count) = \(accuracy)")
    for c in Category.allCases {
      if let (a, b) = perCategory[c] { print("  \(c.rawValue): \(a)/\(b)") }
    }
    print(misses.joined(separator: "\n"))
    #expect(DutchSet.items.count >= 60)
    #expect(accuracy >= 0.8)
    // Polarity never flips: no complaint or unfounded item is read as praise, nor the reverse.
    for item in DutchSet.items {
      let got = Evaluation.Polarity(classify(item.text, author: item.author, staff: item.staff).category)
      let want = Evaluation.Polarity(item.category)
      if want != .neutral { #expect(got != (want == .positive ? .negative : .positive), "\(item)") }
    }
  }

  @Test(
    "negation and intensifiers",
    arguments: [
      ("Het eten was niet slecht", Evaluation.Polarity.positive),
      ("De service was niet goed", .negative),
      ("I am not happy at all with this", .negative),
      ("Not bad at all, nice flight", .positive),
      ("Echt waardeloos", .negative),
      ("This is great", .positive),
      ("This is not great", .negative),
    ])
  func negation(text: String, want: Evaluation.Polarity) {
    let c = classify(text)
    #expect(Evaluation.Polarity(c.category) == want, "\(text): \(c.signals)")
  }

  @Test("an intensifier strengthens, and shows as a signal")
  func intensifier() {
    let plain = classify("waardeloos")
    let strong = classify("echt waardeloos")
    #expect(strong.sentiment < plain.sentiment)
    #expect(strong.signals.contains { $0.kind == .intensifier && $0.token == "echt" })
    #expect(classify("not happy at all").signals.contains { $0.kind == .negation && $0.token == "not" })
  }

  @Test(
    "emoji and emoticons carry sentiment",
    arguments: [("Trein weer te laat 😡", SignalKind.emoji, "😡"), ("Thanks for the help :)", .emoticon, ":)")])
  func emoji(text: String, kind: SignalKind, token: String) {
    #expect(classify(text).signals.contains { $0.kind == kind && $0.token == token })
  }

  /// Each is a question (S12: answer it soon), even "Waarom … geen bus?", whose complaint cue
  /// counts less inside a question; without a question mark the opening word alone says so.
  @Test(
    "questions in both languages",
    arguments: [
      ("Hoe laat vertrekt de laatste trein?", [SignalKind.interrogative, .questionMark]),
      ("Kan ik mijn ticket omruilen", [.interrogative]),
      ("What time does the office open?", [.interrogative, .questionMark]),
      ("Can I bring my bike on the train", [.interrogative]),
      ("Waarom rijdt er vandaag geen bus naar Houten?", [.interrogative, .questionMark]),
    ])
  func questions(text: String, questionSignals: [SignalKind]) {
    let c = classify(text)
    #expect(c.category == .question, "\(text): \(c.signals)")
    #expect(Set(c.signals.map(\.kind)).intersection([.questionMark, .interrogative]) == Set(questionSignals))
  }

  @Test("a plain question is a question, not a complaint")
  func plainQuestion() {
    #expect(classify("Hoe laat vertrekt de laatste trein naar Utrecht?").category == .question)
    #expect(classify("Where can I find my booking number?", lang: "en").category == .question)
  }

  @Test(
    "complaint cues mark an own bad experience",
    arguments: [
      ("My flight was cancelled and I am still waiting for a refund", "cancelled"),
      ("Pakket kapot aangekomen, ik wacht nog steeds op antwoord", "kapot"),
      ("Trein vertraagd en geen antwoord van de klantenservice", "geen antwoord"),
    ])
  func complaints(text: String, cue: String) {
    let c = classify(text)
    #expect(c.category == .complaint, "\(text): \(c.signals)")
    #expect(c.signals.contains { $0.kind == .complaintCue && $0.token.lowercased() == cue })
  }

  @Test("insults and sweeping accusations without specifics are unfounded (S8)")
  func unfounded() {
    let c = classify("Jullie zijn allemaal oplichters")
    #expect(c.category == .unfounded)
    #expect(c.signals.contains { $0.kind == .insult && $0.token == "oplichters" })
    #expect(classify("YOU ARE ALL LIARS AND THIEVES", lang: "en").signals.contains { $0.kind == .shouting })
    // With a concrete experience it is a complaint, insult or not.
    #expect(
      classify("Idioten, mijn trein is al twee uur vertraagd en niemand zegt iets").category == .complaint)
  }

  @Test("a known rumour is misinformation (S9); a positive one is still flagged (S4)")
  func rumours() {
    let c = classify("Acme geeft gratis tickets weg, deel dit bericht!")
    #expect(c.category == .misinformation)
    #expect(c.rumours == ["gratis-tickets"])
    let happy = classify("Geweldig dat Acme gratis tickets weggeeft! Top! 😍")
    #expect(happy.rumours == ["gratis-tickets"])
    #expect(happy.category == .praise)
  }

  @Test("staff praising the organisation is self-praise (S5)")
  func selfPraise() {
    #expect(classify("Wat een geweldig team hebben we!", author: "@Jan_Acme").category == .selfPraise)
    #expect(classify("Wat een geweldig team hebben we!", staff: true).category == .selfPraise)
    #expect(classify("Wat een geweldig team hebben jullie!").category == .praise)
    #expect(
      classify("Wat een geweldig team", author: "jan_acme").signals.contains { $0.kind == .staffAuthor })
  }

  @Test(
    "language is detected when missing",
    arguments: [("Ik wacht al een uur op de bus", "nl"), ("I have been waiting for an hour", "en")])
  func language(text: String, lang: String) {
    #expect(classify(text).lang == lang)
    #expect(classify(text, lang: "de").lang == "de")
  }

  @Test("muted words and authors never enter the queue")
  func muted() {
    var p = DutchSet.policy
    p.noise = Noise(mutedWords: ["winactie", "follow back"], mutedAuthors: ["@SpamBot"])
    let c = Classifier(p)
    #expect(c.isMuted(ClassifierInput(text: "Doe mee met de WINACTIE!")))
    #expect(c.isMuted(ClassifierInput(text: "pls follow back")))
    #expect(!c.isMuted(ClassifierInput(text: "follow the signs back")))
    #expect(c.isMuted(ClassifierInput(text: "hoi", authorHandle: "spambot")))
    #expect(!c.isMuted(ClassifierInput(text: "hoi", authorHandle: "anna")))
  }

  @Test("the organisation's own name carries no sentiment")
  func ownName() {
    var p = PolicyConfig.default
    p.organisation.names = ["United"]
    #expect(
      Classifier(p).classify(ClassifierInput(text: "Flying United tomorrow", lang: "en")).category == .neutral
    )
  }

  @Test(
    "odd input does not trip the tokenizer",
    arguments: [
      "", "   ", "🤷🏽‍♀️", "@a@b.c", "#", "!!!???", "e\u{301}e\u{301}n", "https://x.y", ":-)", "ÉÉN TWEE DRIE",
    ])
  func oddInput(text: String) {
    let c = classify(text)
    #expect(c.confidence >= 0 && c.confidence <= 1)
  }

  @Test("tokens: links and mentions are skipped, hashtags and ’ are words")
  func tokens() {
    #expect(Tokenizer.words("@acme Don’t #FAIL https://t.co/x at 7:45") == ["don't", "fail", "at", "7:45"])
    #expect(Tokenizer.words("ÉéN géén") == ["één", "géén"])
  }
}

@Suite("Dutch HateCheck: a hateful message is never praise")
struct HateCheckTests {
  @Test(
    "hateful Dutch messages are not classified as praise",
    .enabled(if: Corpora.hatecheck != nil, "../shared/corpora/hatecheck-nl is absent"))
  func hatecheck() {
    let table = CSV.parse(Corpora.hatecheck!)
    let header = table[0]
    let text = header.firstIndex(of: "test_case")!
    let label = header.firstIndex(of: "label_gold")!
    let classifier = Classifier(.default)
    var hateful = 0
    var praise = 0
    var negative = 0
    for row in table.dropFirst() where row.count == header.count && row[label] == "hateful" {
      hateful += 1
      let c = classifier.classify(ClassifierInput(text: row[text], lang: "nl"))
      if c.category == .praise || c.category == .selfPraise { praise += 1 }
      if Evaluation.Polarity(c.category) == .negative { negative += 1 }
    }
    let rate = Double(praise) / Double(hateful)
    print("hatecheck-nl: \(hateful) hateful, \(praise) praise (\(rate)), \(negative) negative side")
    #expect(hateful > 1000)
    #expect(rate < 0.05)
  }
}

@Suite("Handles compare folded")
struct HandleTests {
  @Test(arguments: [
    ("JetBlue", "jetblue"), ("  @@Anna_NS ", "anna_ns"), ("plain", "plain"), ("@x", "x"), ("\t@Bob\t", "bob"),
    ("Ünïcode", "ünïcode"), (" @Ärger ", "ärger"),
  ])
  func normalise(raw: String, expected: String) {
    #expect(Handle.normalise(raw) == expected)
  }
}
