import Testing

@testable import Policy

/// The signals that keep questions and plain information apart from complaints and praise (issue 3),
/// each in Dutch and English.
@Suite("Neutral signals: questions, hopes, shared links, request forms")
struct NeutralSignalTests {
  let classifier = Classifier(DutchSet.policy)

  func classify(_ text: String, lang: String? = nil) -> Classification {
    classifier.classify(ClassifierInput(text: text, lang: lang))
  }

  func weight(_ c: Classification, _ kind: SignalKind, _ token: String) -> Double? {
    c.signals.first { $0.kind == kind && $0.token.lowercased() == token }?.weight
  }

  @Test(
    "the tokenizer marks the words of a sentence that ends with a question mark",
    arguments: [
      ("Mijn trein is vertraagd. Rijdt de bus wel?", [false, false, false, false, true, true, true, true]),
      ("Is flight 12 delayed? We board at 9", [true, true, true, true, false, false, false, false]),
      ("Waarom？ Daarom", [true, false]),
    ])
  func questionSentences(text: String, expected: [Bool]) {
    #expect(Tokenizer.scan(text).tokens.map(\.inQuestion) == expected)
  }

  @Test(
    "S12: a cue inside a question counts less than the same cue in a statement",
    arguments: [
      ("Is flight 1202 delayed?", "Flight 1202 is delayed.", "en", "delayed"),
      ("Is mijn trein van 8:12 vertraagd?", "Mijn trein van 8:12 is vertraagd.", "nl", "vertraagd"),
      (
        "Is the 9:40 to Utrecht cancelled today?", "The 9:40 to Utrecht is cancelled today.", "en",
        "cancelled"
      ),
      ("Wordt de trein van 17:05 geannuleerd?", "De trein van 17:05 wordt geannuleerd.", "nl", "geannuleerd"),
    ])
  func cueInQuestion(question: String, statement: String, lang: String, cue: String) {
    let q = classify(question, lang: lang)
    let s = classify(statement, lang: lang)
    let full = Double(Lexicon.shared.words.lookup(FNV.hash(cue))!.complaint)
    #expect(weight(s, .complaintCue, cue) == full)
    let w = weight(q, .complaintCue, cue)
    #expect(w != nil && abs(w! - full * Double(Classifier.Tune.questionCue)) < 1e-6)
    // Asked, it is a question; reported, a complaint.
    #expect(s.category == .complaint)
    #expect(q.category == .question)
  }

  /// English "delayed" is also a negative word (-1.2); the Dutch cue carries no valence of its own,
  /// so a Dutch delay question with nothing else negative has nothing to tip it to complaint.
  @Test("S12: a Dutch question about a delay with nothing else negative is a question")
  func plainDelayQuestion() {
    #expect(classify("Is mijn trein van 8:12 vertraagd?", lang: "nl").category == .question)
    #expect(classify("Is mijn pakket al onderweg of is het vertraagd?", lang: "nl").category == .question)
  }

  @Test(
    "S10: the same cue in a statement is still a complaint",
    arguments: [
      ("My flight is delayed again.", "en"), ("Mijn trein is alweer vertraagd.", "nl"),
      ("Flight 1202 cancelled and nobody tells us anything", "en"),
    ])
  func cueInStatement(text: String, lang: String) {
    #expect(classify(text, lang: lang).category == .complaint)
  }

  @Test(
    "S3: hopes, wishes and conditions praise nothing that happened",
    arguments: [
      ("Hopefully the new app will be great", "en", "great"),
      ("Hopelijk wordt de nieuwe app geweldig", "nl", "geweldig"),
      ("If you can fix it that would be amazing", "en", "amazing"),
      ("Als het lukt zou dat fantastisch zijn", "nl", "fantastisch"),
    ])
  func irrealis(text: String, lang: String, word: String) {
    let c = classify(text, lang: lang)
    let plain = classify((lang == "nl" ? "De app is " : "The app is ") + word, lang: lang)
    let w = weight(c, .positiveWord, word)
    let full = weight(plain, .positiveWord, word)
    #expect(w != nil && full != nil && abs(w! - full! * Double(Classifier.Tune.irrealis)) < 1e-6)
    #expect(c.sentiment < plain.sentiment)
  }

  @Test("S3: a conditional offer of help is not praise, in both languages")
  func conditionalNotPraise() {
    #expect(classify("If you can fix it that would be amazing", lang: "en").category != .praise)
    #expect(classify("Als jullie het kunnen oplossen zou dat fijn zijn", lang: "nl").category != .praise)
  }

  @Test("S3: a hope ends with its clause; praise after it still counts")
  func irrealisClause() {
    #expect(classify("Hopelijk tot snel, geweldige service vandaag!", lang: "nl").category == .praise)
    #expect(classify("Hope to see you soon. Great service today!", lang: "en").category == .praise)
  }

  @Test(
    "S3: a link shared without an own experience is information, not praise",
    arguments: [
      ("Mooi verhaal over het nieuwe station https://example.nl/x", "nl"),
      ("Nice piece on the new terminal http://t.co/x", "en"),
    ])
  func sharedLink(text: String, lang: String) {
    #expect(classify(text, lang: lang).category == .neutral)
  }

  @Test(
    "S3 only for shares: praise of an own experience with a photo link stays praise",
    arguments: [
      ("Wat een geweldige reis had ik vandaag, dank jullie wel! https://example.nl/foto", "nl"),
      ("I had a wonderful flight today, thank you! http://t.co/photo", "en"),
    ])
  func ownExperienceWithLink(text: String, lang: String) {
    #expect(classify(text, lang: lang).category == .praise)
  }

  @Test(
    "S12: request forms ask for an answer, with or without a question mark",
    arguments: [
      ("how do I change my seat", "en", "how do i"),
      ("Hoe kan ik mijn abonnement wijzigen", "nl", "hoe kan ik"),
      ("Is there wifi on the train", "en", "is there"), ("Is er wifi in de trein", "nl", "is er"),
      ("Is het mogelijk om mijn fiets mee te nemen", "nl", "is het mogelijk"),
      ("please dm me the details", "en", "please dm"),
    ])
  func requestForms(text: String, lang: String, phrase: String) {
    let c = classify(text, lang: lang)
    #expect(c.category == .question, "\(text): \(c.signals)")
    #expect(weight(c, .request, phrase) != nil, "\(text): \(c.signals)")
  }

  @Test("short forms of thanks are thanks", arguments: ["thnx!", "thks!"])
  func thanksForms(text: String) {
    let c = classify(text, lang: "en")
    #expect(c.category == .praise)
    #expect(c.signals.contains { $0.kind == .thanks })
  }
}
