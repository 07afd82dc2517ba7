import Foundation
import Testing

@testable import Policy

/// The rules held at the moment of acting (issue 14): the checks on a reply that confirms a
/// rumour (S4) or is written in another language than the mention, and the classifier on a
/// journalist's question and a threat of legal action (S10, S12).
@Suite("rules at the moment of acting")
struct ActingRulesTests {
  static let policy: PolicyConfig = {
    var p = PolicyConfig.default
    p.organisation.names = ["Spoorlijn"]
    p.rumours = [
      Rumour(
        id: "counters-closing", patterns: ["loketten sluiten", "closing counter*", "loketten dicht"],
        facts: "Alle bemande loketten blijven in 2027 open.", sources: ["https://spoorlijn.example/loketten"])
    ]
    return p
  }()
  let anna = TeamMember(name: "Anna", login: "anna")

  func findings(_ reply: String, _ category: Category, lang: String = "nl") -> [Finding] {
    ReplyChecker.check(
      reply + " – Anna", mention: ReplyTarget(platform: "mastodon", category: category, lang: lang),
      responder: anna, policy: Self.policy)
  }

  @Test(
    "a reply that repeats a rumour without correcting it is blocked (S4)",
    arguments: [
      ("Ja, de loketten gaan dicht", true),
      ("Klopt, de loketten sluiten volgend jaar. Dank je!", true),
      ("Dank je! De loketten gaan niet dicht: alle bemande loketten blijven in 2027 open.", false),
      ("Een misverstand: de loketten sluiten niet.", false),
      ("Dank je wel voor je mooie woorden!", false),
    ])
  func confirmsRumour(reply: String, blocked: Bool) {
    let found = findings(reply, .praise)
    let s4 = found.first { $0.code == "confirms_rumour" }
    #expect((s4 != nil) == blocked, "\(reply): \(found)")
    if let s4 {
      #expect(s4.rule == "S4" && s4.severity == .blocking)
      #expect(s4.message.contains("counters-closing"))
    }
  }

  @Test("a correction that quotes the rumour with a negation is no confirmation (S9)")
  func correctionQuotesRumour() {
    let found = findings(
      "Hoi Wim, de loketten sluiten niet. Meer informatie: https://spoorlijn.example/loketten",
      .misinformation)
    #expect(!found.contains { $0.code == "confirms_rumour" }, "\(found)")
  }

  @Test(
    "a reply in another language than the mention is flagged",
    arguments: [
      ("Thank you for your kind words, we are glad you enjoyed the trip!", "nl", true),
      ("Dank je wel voor je mooie woorden, fijn dat je een goede reis had!", "en", true),
      ("Dank je wel voor je mooie woorden, fijn dat je een goede reis had!", "nl", false),
      ("Thank you for your kind words, we are glad you enjoyed the trip!", "en", false),
      // A Dutch reply with an English sentence in it: the facts were quoted in the wrong language.
      (
        "Hoi Wim, dank voor het delen. Wat er precies klopt: Fares rise by 2.9% on 1 January, not 30%. Meer informatie: https://spoorlijn.example/tarieven",
        "nl", true
      ),
      ("Hoi @wim, top! 👍", "nl", false),
    ])
  func wrongLanguage(reply: String, lang: String, flagged: Bool) {
    let found = findings(reply, .praise, lang: lang)
    let finding = found.first { $0.code == "wrong_language" }
    #expect((finding != nil) == flagged, "\(reply): \(found)")
    if let finding { #expect(finding.severity == .warning && finding.rule == "S13") }
  }

  @Test("a journalist's question is a question, escalated for the press words")
  func journalistQuestion() {
    let classifier = Classifier(Self.policy)
    for text in [
      "Goedemiddag, ik ben journalist bij het Dagblad en schrijf over de vertragingen op de lijn naar Zwolle. Kunt u vertellen hoeveel treinen er deze maand zijn uitgevallen?",
      "Ik ben journalist bij het Parool en schrijf over de vertragingen en annuleringen van deze week. Hoe verklaart u dat zoveel treinen zijn uitgevallen?",
      "Journalist van De Telegraaf hier: waarom zaten reizigers gisteren uren vast zonder informatie? Ik wil graag uw reactie.",
      "Ik ben journalist en schrijf een stuk over de klachten over jullie klantenservice. Kunt u reageren?",
      "Hi, I'm a journalist at The Guardian. Why were so many flights delayed and cancelled this week? I'd like a comment for my article.",
      "I'm a reporter at the Post writing about your lost luggage problems. Could you tell me how many bags were lost this month?",
    ] {
      let c = classifier.classify(ClassifierInput(text: text))
      #expect(c.category == .question, "\(text): \(c.signals)")
      #expect(!(c.escalationWords ?? []).isEmpty, "\(text)")
    }
  }

  @Test("a threat of legal action is a complaint, escalated for the legal words (S10)")
  func legalThreat() {
    let classifier = Classifier(Self.policy)
    for text in [
      "Mijn advocaat neemt contact met jullie op over de schade, dit wordt een rechtszaak.",
      "My lawyer will contact you about the damages, this is going to court.",
    ] {
      let c = classifier.classify(ClassifierInput(text: text))
      #expect(c.category == .complaint, "\(text): \(c.signals)")
      #expect(!(c.escalationWords ?? []).isEmpty, "\(text)")
    }
  }

  @Test(
    "the advice names the rule a reply would go against",
    arguments: [
      (AdviceAction.noReplyWatch, ["S8"], "S8"), (.dontAmplify, ["S5"], "S5"), (.dontAmplify, ["S4"], "S4"),
      (.apologiseThenFollowUp, ["S10", "S11"], nil), (.thankOrStaySilent, ["S3", "S6"], nil),
      (.noAction, [], nil),
    ] as [(AdviceAction, [String], String?)])
  func noReplyRule(action: AdviceAction, rules: [String], expected: String?) {
    let advice = Advice(
      action: action, channel: .none, escalation: [], escalationWords: [], templateID: nil, rules: rules,
      answeredBy: [], organisationAnswered: false, explanation: "", lang: "en")
    #expect(advice.noReplyRule == expected)
  }

  @Test("a rumour's facts and sources per language parse, render and read back; a plain string still parses")
  func factsPerLanguage() throws {
    let text = """
      [[rumours]]
      id = "price-hike"
      patterns = ["prijzen omhoog"]
      facts = { nl = "De prijzen stijgen met 2,9%.", en = "Fares rise by 2.9%." }
      sources = { nl = ["https://x.example/nl"], en = ["https://x.example/en"] }

      [[rumours]]
      id = "counters"
      patterns = ["loketten dicht"]
      facts = "Every counter stays open."
      sources = ["https://x.example/loketten"]
      """
    let p = try PolicyFile.parse(text: text, path: "p.toml")
    let hike = try #require(p.rumours.first)
    #expect(hike.facts(in: "nl") == "De prijzen stijgen met 2,9%.")
    #expect(hike.facts(in: "en") == "Fares rise by 2.9%.")
    #expect(hike.sources(in: "nl") == ["https://x.example/nl"])
    // Another language gets English, the first fallback.
    #expect(hike.facts(in: "de") == "Fares rise by 2.9%.")
    let counters = p.rumours[1]
    #expect(counters.facts(in: "nl") == "Every counter stays open.")
    #expect(counters.sources(in: "en") == ["https://x.example/loketten"])
    let rendered = PolicyFile.render(p)
    #expect(
      rendered.contains(#"facts = { en = "Fares rise by 2.9%.", nl = "De prijzen stijgen met 2,9%." }"#))
    #expect(rendered.contains(#"facts = "Every counter stays open.""#))
    #expect(try PolicyFile.parse(text: rendered, path: "p.toml") == p)
    // A language key that is not one is an error with its line.
    let bad = """
      [[rumours]]
      id = "x"
      patterns = ["a"]
      facts = { Dutch = "b" }
      """
    #expect(throws: PolicyFileError.self) { try PolicyFile.parse(text: bad, path: "bad.toml") }
  }
}
