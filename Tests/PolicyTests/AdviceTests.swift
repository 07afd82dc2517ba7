import Foundation
import Testing

@testable import Policy

@Suite("Advice (S3–S12)")
struct AdviceTests {
  let policy = DutchSet.policy
  let t0 = Date(timeIntervalSince1970: 1_800_000_000)

  func advise(
    _ text: String, author: String = "klant", followers: Int? = nil, staff: Bool = false,
    thread: [ThreadPost] = [], prior: Int = 0
  ) -> Advice {
    let input = ClassifierInput(
      text: text, authorHandle: author, followers: followers, platform: "x", isStaff: staff)
    let c = Classifier(policy).classify(input)
    return Advisor(policy).advise(
      AdviceContext(input: input, classification: c, time: t0, thread: thread, priorComplaints: prior))
  }

  @Test(
    "each category gets its action, channel and rules",
    arguments: [
      ("Dank jullie wel, top geholpen!", AdviceAction.thankOrStaySilent, AdviceChannel.samePlatform, "S6"),
      ("Hoe kan ik mijn abonnement opzeggen?", .answer, .samePlatform, "S12"),
      (
        "Mijn trein is alweer vertraagd en ik mis mijn afspraak", .apologiseThenFollowUp, .samePlatform, "S10"
      ),
      ("Acme geeft gratis tickets weg, deel dit!", .correctWithSources, .samePlatform, "S9"),
      ("Jullie zijn allemaal oplichters", .noReplyWatch, .none, "S8"),
      ("Ik zit in de trein.", .noAction, .none, ""),
    ])
  func actions(text: String, action: AdviceAction, channel: AdviceChannel, rule: String) {
    let a = advise(text)
    #expect(a.action == action, "\(text): \(a.explanation)")
    #expect(a.channel == channel)
    if !rule.isEmpty { #expect(a.rules.contains(rule)) }
    #expect(a.lang == "nl")
  }

  @Test("the template to start from is the category's in the mention's language")
  func templates() {
    #expect(
      advise("Mijn pakket is kapot aangekomen, ik wacht nog steeds op antwoord").templateID == "complaint.nl")
    let en = Advisor(policy).advise(
      AdviceContext(
        input: ClassifierInput(text: "x"),
        classification: Classification(
          category: .question, confidence: 1, lang: "en", signals: [], rumours: [], sentiment: 0), time: t0))
    #expect(en.templateID == "question.en")
    #expect(en.explanation.contains("holding reply"))
    #expect(Advisor(policy).holdingTemplate(lang: "nl")?.id == "holding.nl")
  }

  @Test("self-praise: don't react (S5)")
  func selfPraise() {
    let a = advise("Trots op ons geweldige team!", author: "@jan_acme")
    #expect(a.action == .dontAmplify)
    #expect(a.rules == ["S5"])
  }

  @Test("S4: a positive mention repeating a rumour is not amplified")
  func rumourPraise() {
    let a = advise("Geweldig dat Acme gratis tickets weggeeft! Top! 😍")
    #expect(a.action == .dontAmplify)
    #expect(a.rules.contains("S4"))
    #expect(a.explanation.contains("gratis-tickets"))
  }

  @Test("unfounded accusations are escalated to management (S8)")
  func unfounded() {
    let a = advise("Jullie zijn allemaal oplichters")
    #expect(a.escalate)
    #expect(a.escalation == [.unfoundedAccusation])
  }

  @Test("legal and press words, high reach and repeat complainers escalate; S7 suggests offline")
  func escalation() {
    let legal = advise("Mijn pakket is kwijt, ik schakel mijn advocaat in")
    #expect(legal.escalation.contains(.legalOrPress))
    #expect(legal.escalationWords == ["advocaat"])
    #expect(legal.channel == .considerOffline)
    #expect(legal.rules.contains("S7"))
    let reach = advise("Trein alweer vertraagd", followers: 50_000)
    #expect(reach.escalation.contains(.highReach))
    let repeated = advise("Trein alweer vertraagd", prior: 3)
    #expect(repeated.escalation.contains(.repeatComplainer))
    #expect(repeated.channel == .considerOffline)
    #expect(!advise("Dank jullie wel, top!", followers: 50_000).escalate)
  }

  @Test("S11: someone else already answered in the thread")
  func answeredByOthers() {
    let thread = [
      ThreadPost(
        authorHandle: "@helpful_hans", isOrganisation: false, text: "Kijk op de site", time: t0 + 60),
      ThreadPost(authorHandle: "klant", isOrganisation: false, text: "Iemand?", time: t0 + 120),
      ThreadPost(authorHandle: "@old", isOrganisation: false, text: "eerder", time: t0 - 60),
    ]
    let a = advise("Hoe kan ik mijn abonnement opzeggen?", thread: thread)
    #expect(a.answeredBy == ["@helpful_hans"])
    #expect(a.rules.contains("S11"))
    #expect(a.explanation.contains("@helpful_hans"))
    #expect(!a.organisationAnswered)
    let own = advise(
      "Hoe kan ik mijn abonnement opzeggen?",
      thread: [ThreadPost(authorHandle: "@acme", isOrganisation: false, text: "Via de app", time: t0 + 60)])
    #expect(own.answeredBy.isEmpty)
    #expect(own.organisationAnswered)
  }

  @Test("S10: a replied complaint whose follow-up is due is advised to follow up personally, offline (S7)")
  func followUpDue() {
    for (text, lang, word) in [
      ("My flight was cancelled and nobody answers", "en", "follow up personally"),
      ("Mijn trein is alweer vertraagd en ik mis mijn afspraak", "nl", "persoonlijk op"),
    ] {
      let input = ClassifierInput(text: text, lang: lang)
      let c = Classifier(policy).classify(input)
      let a = Advisor(policy).advise(
        AdviceContext(input: input, classification: c, time: t0, followUpDue: true))
      #expect(a.action == .followUpPersonally)
      #expect(a.channel == .considerOffline)
      #expect(a.rules == ["S10", "S7"])
      #expect(a.explanation.contains(word))
      #expect(a.lang == lang)
    }
  }

  @Test("the explanation is in English for English mentions")
  func english() {
    let input = ClassifierInput(text: "My flight was cancelled and nobody answers", lang: "en")
    let c = Classifier(policy).classify(input)
    let a = Advisor(policy).advise(AdviceContext(input: input, classification: c, time: t0))
    #expect(a.action == .apologiseThenFollowUp)
    #expect(a.explanation.contains("apologise"))
    #expect(a.lang == "en")
  }
}

@Suite("Reply checks (S9, S10, S13, S16)")
struct ReplyCheckTests {
  let policy = PolicyConfig.default
  let anna = TeamMember(name: "Anna de Vries", login: "anna")

  func codes(_ reply: String, _ category: Category = .question, platform: String = "x", lang: String = "nl")
    -> [String]
  {
    ReplyChecker.check(
      reply, mention: ReplyTarget(platform: platform, category: category, lang: lang), responder: anna,
      policy: policy
    ).map(\.code)
  }

  @Test(
    "the signature: present once, typed variants count",
    arguments: [
      ("Dat kan via de app. – Anna", 1), ("Dat kan via de app. - anna", 1), ("Dat kan via de app —Anna", 1),
      ("Dat kan via de app.", 0), ("– Anna Dat kan. – Anna", 2), ("Groet, Annabel", 0),
    ])
  func signatureCount(reply: String, count: Int) {
    #expect(Signature.occurrences(of: "– Anna", in: reply) == count)
  }

  @Test("signature findings are blocking")
  func signatureFindings() {
    #expect(codes("Dat kan via de app.").contains("signature_missing"))
    #expect(codes("Dat kan – Anna via de app – Anna").contains("signature_doubled"))
    #expect(codes("– Anna: dat kan via de app.") == ["signature_not_at_end"])
    #expect(codes("Dat kan via de app. – Anna").isEmpty)
  }

  @Test("Signature.apply appends once and never doubles")
  func apply() {
    let once = Signature.apply("Dank je!  ", responder: anna, policy: policy)
    #expect(once == "Dank je! – Anna")
    #expect(Signature.apply(once, responder: anna, policy: policy) == once)
    #expect(Signature.apply("Dank je! - anna", responder: anna, policy: policy) == "Dank je! - anna")
    var p = policy
    p.signature.format = "^{initials}"
    #expect(Signature.apply("Thanks", responder: anna, policy: p) == "Thanks ^AV")
    #expect(Signature.text(for: anna, policy: p) == "^AV")
  }

  @Test("length per platform with the signature counted")
  func lengths() {
    let url = "https://example.org/" + String(repeating: "a", count: 100)
    #expect(PlatformLength.count("hi \(url)", platform: "mastodon") == 26)
    #expect(PlatformLength.count("@anna@mastodon.social hoi", platform: "mastodon") == 9)
    #expect(PlatformLength.count("hi \(url)", platform: "x") == 26)
    #expect(PlatformLength.count("日本", platform: "x") == 4)
    #expect(PlatformLength.count("👍🏽👨‍👩‍👧", platform: "x") == 4)
    #expect(PlatformLength.count("café", platform: "x") == 4)
    #expect(PlatformLength.count("👨‍👩‍👧é", platform: "bluesky") == 2)
    let long = String(repeating: "a", count: 273)
    #expect(!codes(long + " – Anna").contains("too_long"))
    #expect(codes(long + "xxxxx – Anna").contains("too_long"))
    #expect(codes(long + "a", platform: "x").contains("too_long"))  // signature counted though missing
    #expect(!codes(String(repeating: "a", count: 480), platform: "mastodon").contains("too_long"))
  }

  @Test(
    "reproachful phrasing in a correction (S9)",
    arguments: [
      ("Zoals we al zeiden: er zijn geen gratis tickets. https://acme.example/x – Anna", "nl"),
      ("Eigenlijk klopt dat niet. https://acme.example/x – Anna", "nl"),
      ("As we clearly stated, there are no free tickets. https://acme.example/x – Anna", "en"),
      ("Obviously that is wrong: https://acme.example/x – Anna", "en"),
    ])
  func reproach(reply: String, lang: String) {
    #expect(codes(reply, .misinformation, lang: lang) == ["reproachful_phrase"])
  }

  @Test("a correction needs a source; shouting and !!! are flagged")
  func correction() {
    #expect(codes("Er zijn geen gratis tickets. – Anna", .misinformation) == ["source_missing"])
    #expect(
      codes("Er zijn GEEN GRATIS TICKETS!!! https://a.example/b – Anna", .misinformation).contains("shouting")
    )
    #expect(
      codes("Er zijn geen gratis tickets!!! https://a.example/b – Anna", .misinformation) == ["exclamations"])
    #expect(codes("Er zijn geen gratis tickets, zie https://a.example/b – Anna", .misinformation).isEmpty)
  }

  @Test("a complaint reply apologises (S10)")
  func apology() {
    #expect(codes("We kijken ernaar. – Anna", .complaint) == ["apology_missing"])
    #expect(codes("Wat vervelend! We kijken ernaar. – Anna", .complaint).isEmpty)
    #expect(codes("We're sorry, we'll look into it. – Anna", .complaint, lang: "en").isEmpty)
  }

  @Test("a template left as it was (S13), but not one made personal")
  func templateUnchanged() {
    let t = policy.template(id: "holding.nl")!.fill(["name": "Piet"])
    #expect(codes(t + " – Anna").contains("template_unchanged"))
    #expect(
      codes(t.replacingOccurrences(of: "Hoi", with: "Hallo") + " – Anna").contains("template_unchanged"))
    let personal =
      "Hoi Piet, we hebben je vraag over de treinen naar Zwolle ontvangen en zoeken uit welke bus er morgen rijdt. "
      + "Je hoort snel van ons. – Anna"
    #expect(!codes(personal).contains("template_unchanged"))
  }
}

@Suite("Reply checks: messages in the responder's language, links found cheaply")
struct ReplyCheckLanguageTests {
  let anna = TeamMember(name: "Anna de Vries", login: "anna")

  func messages(_ reply: String, _ category: Category, lang: String, messageLang: String) -> [String] {
    ReplyChecker.check(
      reply,
      mention: ReplyTarget(platform: "x", category: category, lang: lang, messageLang: messageLang),
      responder: anna, policy: .default
    ).map(\.message)
  }

  @Test("a Dutch reply is read with the Dutch lists; the finding is in the responder's language (S10)")
  func dutchReplyEnglishMessages() {
    #expect(
      messages("Hoi, we zoeken het uit. – Anna", .complaint, lang: "nl", messageLang: "en")
        == ["A reply to a complaint should apologise."])
    #expect(
      messages("Hoi, we zoeken het uit. – Anna", .complaint, lang: "nl", messageLang: "nl")
        == ["Een antwoord op een klacht hoort excuses te bevatten."])
    // "excuses" is on the Dutch list only: read as Dutch, whatever the message language.
    #expect(
      messages("Onze excuses, we zoeken het uit. – Anna", .complaint, lang: "nl", messageLang: "en").isEmpty)
    // Without a message language, the messages are in the reply's, as before.
    #expect(
      ReplyTarget(platform: "x", category: .complaint, lang: "nl").messageLang == "nl")
  }

  @Test("checkAndMeasure gives the findings of check and the platform's count of the text")
  func measure() {
    for platform in ["x", "mastodon", "bluesky", "rss"] {
      let text = "Zie https://example.nl/feiten voor de cijfers 😞 @bram@mastodon.nl – Anna"
      let target = ReplyTarget(platform: platform, category: .misinformation, lang: "nl", messageLang: "en")
      let (findings, length) = ReplyChecker.checkAndMeasure(
        text, mention: target, responder: anna, policy: .default)
      #expect(findings == ReplyChecker.check(text, mention: target, responder: anna, policy: .default))
      #expect(length == PlatformLength.count(text, platform: platform))
    }
  }

  @Test(
    "the byte scan before looking for links never misses one",
    arguments: [
      ("geen link hier", false), ("HTTPS://Example.nl/x", true), ("zie Www.example.nl", true),
      ("wwww.example.nl", true), ("ww.example.nl", false), ("htt p://x.nl", false), ("hhttp://x.nl", true),
      ("(http://x.nl)", true), ("Hé, wé wéten het", false), ("", false),
    ])
  func linkScan(text: String, may: Bool) {
    #expect(Links.mayHoldLink(text) == may)
    if !may { #expect(Links.find(in: text).isEmpty) }
  }
}

@Suite("The signature scan's ASCII shortcuts keep Unicode equality")
struct SignatureScanTests {
  @Test(
    "occurrences agree with Unicode equality: decomposed accents, the Kelvin sign, dashes, tabs",
    arguments: [
      ("Groet – Anna", "– Anna", 1), ("Groet —\tANNA", "– Anna", 1), ("Groet – Ann\u{00E9}", "– Anné", 1),
      ("Groet – Anne\u{301}", "– Anné", 1), ("Groet – \u{212A}im", "– Kim", 1),
      ("Groet –Kimberly", "– Kim", 0),
      ("– Anna\n– anna", "– Anna", 2),
    ])
  func occurrences(reply: String, signature: String, count: Int) {
    #expect(Signature.occurrences(of: signature, in: reply) == count)
  }

  @Test("the end is found in a long reply, also behind punctuation and spaces")
  func endsWith() {
    let long = String(repeating: "Dat zoeken we uit. ", count: 40)
    #expect(Signature.endsWithSignature(long + "– Anna", signature: "– Anna"))
    #expect(Signature.endsWithSignature(long + "– Anna !!  \n", signature: "– Anna"))
    #expect(!Signature.endsWithSignature(long + "– Anna. Tot snel", signature: "– Anna"))
    #expect(Signature.endsWithSignature("–Anna", signature: "– Anna"))
    #expect(!Signature.endsWithSignature("Anna", signature: "– Anna"))
    let punctuated = "– Anna" + String(repeating: ".", count: 100)
    #expect(Signature.endsWithSignature(long + punctuated, signature: "– Anna"))
  }
}
