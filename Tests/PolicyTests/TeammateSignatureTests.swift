import Policy
import Testing

/// S16: a reply that ends with a teammate's signature is not signed a second time; it is blocked.
@Suite("Reply checks: a teammate's signature (S16)")
struct TeammateSignatureTests {
  let anna = TeamMember(name: "Anna de Vries", login: "anna")
  let sam = TeamMember(name: "Sam Bakker", login: "sam")
  let annaJansen = TeamMember(name: "Anna Jansen", login: "ajansen")

  var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.team = [anna, sam, annaJansen]
    return p
  }

  func findings(
    _ reply: String, responder: TeamMember? = nil, policy: PolicyConfig? = nil, lang: String = "en"
  )
    -> [Finding]
  {
    ReplyChecker.check(
      reply, mention: ReplyTarget(platform: "mastodon", category: .question, lang: lang),
      responder: responder ?? anna, policy: policy ?? self.policy)
  }

  @Test(
    "a teammate's signature at the end is found after folding dashes, case and spaces",
    arguments: [
      "Dat kan via de app. – Sam", "Dat kan via de app. - sam", "Dat kan via de app.\n—SAM",
      "Dat kan via de app –Sam!",
      "Dat kan via de app. – Anna – Sam",
    ])
  func teammateAtTheEnd(reply: String) {
    #expect(Signature.otherSigner(of: reply, responder: anna, policy: policy) == sam)
    // Not signed a second time: the text is left as it is, and the checks block it.
    #expect(Signature.apply(reply, responder: anna, policy: policy) == reply)
    let found = findings(reply)
    let blocking = found.filter { $0.severity == .blocking }
    #expect(blocking.map(\.code) == ["signed_as_other"])
    #expect(blocking.first?.rule == "S16")
    #expect(blocking.first?.message.hasPrefix("Signed as Sam, you are Anna: ") == true)
    #expect(!found.map(\.code).contains("signature_missing"))
  }

  @Test(
    "no teammate is named when the reply is the responder's, unsigned, or names a teammate inside",
    arguments: [
      "Dat kan via de app. – Anna", "Dat kan via de app.", "Sam heeft gelijk – Anna", "Vraag het Sam",
      "Groet, Samantha", "– Sam: dat kan via de app. – Anna",
    ])
  func noTeammate(reply: String) {
    #expect(Signature.otherSigner(of: reply, responder: anna, policy: policy) == nil)
    #expect(!findings(reply).map(\.code).contains("signed_as_other"))
  }

  @Test("an unsigned reply still gets the responder's signature; without a roster nobody else signs")
  func unsignedIsSigned() {
    #expect(
      Signature.apply("Dat kan via de app.", responder: anna, policy: policy) == "Dat kan via de app. – Anna")
    #expect(
      Signature.apply("Dat kan via de app. – Sam", responder: anna, policy: .default)
        == "Dat kan via de app. – Sam – Anna")
    #expect(
      findings("Dat kan via de app. – Sam", policy: .default, lang: "nl").map(\.code) == ["signature_missing"]
    )
  }

  @Test("teammates with the responder's first name sign alike; a full-name format tells them apart")
  func sameFirstName() {
    // "– Anna" is the same text for both Annas: it is the responder's own signature.
    #expect(Signature.otherSigner(of: "Graag gedaan. – Anna", responder: anna, policy: policy) == nil)
    var p = policy
    p.signature.format = "– {name}"
    let reply = "Graag gedaan. – Anna Jansen"
    #expect(Signature.otherSigner(of: reply, responder: anna, policy: p) == annaJansen)
    let message = findings(reply, policy: p).first { $0.code == "signed_as_other" }?.message
    #expect(message?.hasPrefix("Signed as Anna Jansen, you are Anna de Vries: ") == true)
  }

  @Test("a format without a dash: the longer signature at the end is the signer's")
  func longestWins() {
    let joanna = TeamMember(name: "Joanna Smit", login: "joanna")
    var p = policy
    p.team.append(joanna)
    p.signature.format = "{first_name}"
    #expect(Signature.otherSigner(of: "Tot snel, Joanna", responder: joanna, policy: p) == nil)
    #expect(Signature.otherSigner(of: "Tot snel, Joanna", responder: anna, policy: p) == joanna)
    #expect(Signature.otherSigner(of: "Tot snel, Anna", responder: joanna, policy: p) == anna)
  }

  @Test("the finding is in the responder's language")
  func dutchMessage() {
    let found = ReplyChecker.check(
      "Dat kan via de app. – Sam",
      mention: ReplyTarget(platform: "x", category: .question, lang: "nl", messageLang: "nl"),
      responder: anna,
      policy: policy)
    #expect(
      found.first { $0.code == "signed_as_other" }?.message
        == "Ondertekend als Sam, maar jij bent Anna: sluit af met \"– Anna\", niet met \"– Sam\".")
  }
}
