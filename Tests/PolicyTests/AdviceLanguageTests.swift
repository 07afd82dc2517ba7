import Foundation
import Testing

@testable import Policy

/// The advice speaks the reader's language, whatever the mention's (issue 14: one language per
/// screen); the template and the reply language stay the mention's.
@Suite("Advice in the reader's language")
struct AdviceLanguageTests {
  let policy = DutchSet.policy
  let t0 = Date(timeIntervalSince1970: 1_800_000_000)

  @Test(
    "a Dutch mention's advice in English, and back",
    arguments: [
      "Dank jullie wel, top geholpen!", "Hoe kan ik mijn abonnement opzeggen?",
      "Mijn trein is alweer vertraagd en ik mis mijn afspraak", "Jullie zijn allemaal oplichters",
      "Ik zit in de trein.",
    ])
  func explanationFollowsTheReader(text: String) {
    let input = ClassifierInput(text: text, authorHandle: "klant", platform: "x")
    let c = Classifier(policy).classify(input)
    let advisor = Advisor(policy)
    let english = advisor.advise(AdviceContext(input: input, classification: c, time: t0, explainIn: "en"))
    let dutch = advisor.advise(AdviceContext(input: input, classification: c, time: t0, explainIn: "nl"))
    let mentionLanguage = advisor.advise(AdviceContext(input: input, classification: c, time: t0))
    #expect(dutch.explanation == mentionLanguage.explanation)
    #expect(english.explanation != dutch.explanation, "\(english.explanation)")
    for word in [" de ", " het ", " een ", " niet ", " je ", "Niets"] {
      #expect(!" \(english.explanation) ".contains(word), "\(word) in \(english.explanation)")
    }
    #expect(english.lang == "nl", "the reply's language stays the mention's")
    #expect(english.templateID == dutch.templateID)
  }
}

@Suite("Advice: small texts")
struct AdviceSmallTextTests {
  /// A word written twice is listed once: "(journalist, journalist)" said nothing more.
  @Test func escalationWordsAreListedOnce() {
    let text = "Ik ben journalist en als journalist wil ik weten waarom de trein uitviel."
    let input = ClassifierInput(text: text, authorHandle: "pers", platform: "x")
    let c = Classifier(.default).classify(input)
    let a = Advisor(.default).advise(
      AdviceContext(input: input, classification: c, time: Date(timeIntervalSince1970: 0), explainIn: "nl"))
    #expect(a.explanation.contains("(journalist)"), "\(a.explanation)")
    #expect(a.escalationWords.filter { $0 == "journalist" }.count == 1, "\(a.escalationWords)")
  }
}
