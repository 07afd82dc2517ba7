import Foundation
import Policy
import Testing

@testable import Inbox

@Suite struct PackedSignalsTests {
  private func json(_ signals: [Signal]) -> String {
    var w = JSONWriter()
    w.objects("signals", signals) { o, s in
      o.string("kind", s.kind.rawValue)
      o.string("token", s.token)
      o.decimal3("weight", s.weight)
    }
    return String(w.finish().dropFirst(#"{"signals":"#.count).dropLast())
  }

  @Test(arguments: [
    "my train is late again and nobody at the desk knows anything 😡",
    "mijn trein is weer te laat, waarom duurt het zo lang? dank jullie wel",
    "THIS IS A SCANDAL!!! always the same, never on time :( I heard they are going bankrupt",
    "thanks for the quick help today :-)", "", "ok",
  ])
  func theClassifiersSignalsReadBackAsTheSameJSON(text: String) {
    let annotator = PolicyAnnotator(policy: .default)
    let mention = IncomingMention(
      platform: "x", externalID: "1", author: Author(handle: "anna", followers: 20),
      createdAt: Date(timeIntervalSince1970: 1_795_512_600),
      text: text, lang: nil, raw: "{}")
    let classification = annotator.classify(mention)
    let packed = PackedSignals(classification.signals)
    #expect(packed.json == PolicyAnnotator.signalsJSON(classification))
    // What the store keeps is far narrower than the JSON it stands for.
    #expect(packed.text.utf8.count * 3 <= max(PolicyAnnotator.signalsJSON(classification).utf8.count, 2))
    #expect(annotator.annotate(mention).signalsJSON == PolicyAnnotator.signalsJSON(classification))
  }

  @Test func anyTokenAndWeightSurvive() {
    let signals = [
      Signal(kind: .complaintCue, token: "late", weight: 0.8),
      Signal(kind: .negativeWord, token: "c800:4:late", weight: -0.8),
      Signal(kind: .emoji, token: "😡", weight: -3),
      Signal(kind: .ownExperience, token: "", weight: 1),
      Signal(kind: .rumour, token: "quote \" back\\slash \u{1B}[2J\nnew 12:", weight: 0.0005),
      Signal(kind: .insult, token: "::", weight: -123_456.789),
      Signal(kind: .thanks, token: "nan", weight: .nan),
      Signal(kind: .shouting, token: "inf", weight: -.infinity),
      Signal(kind: .dampener, token: "zero", weight: -0.0001),
    ]
    let packed = PackedSignals(signals)
    #expect(packed.json == json(signals))
    #expect(packed.text.hasPrefix("c800:4:laten-800:11:c800:4:late"))
    #expect(PackedSignals(stored: packed.text) == packed)
  }

  @Test func everyKindHasItsOwnLetter() {
    let codes = SignalKind.allCases.map(PackedSignals.code)
    #expect(Set(codes).count == SignalKind.allCases.count)
    let signals = SignalKind.allCases.map { Signal(kind: $0, token: $0.rawValue, weight: 1) }
    #expect(PackedSignals(signals).decoded()?.map(\.kind) == SignalKind.allCases)
  }

  @Test func noSignalsIsAnEmptyTextAndAnEmptyArray() {
    #expect(PackedSignals([]).text == "")
    #expect(PackedSignals([]).json == "[]")
  }

  @Test func jsonFromAnOlderStoreReadsAsItIs() {
    let old = #"[{"kind":"thanks","token":"dank","weight":1.6}]"#
    #expect(PackedSignals(stored: old).json == old)
  }

  @Test(arguments: ["?800:4:late", "c800:9:late", "c800late", "c:4:late", "c800:-1:", "c800:4"])
  func damagedTextIsNoList(text: String) {
    #expect(PackedSignals(stored: text).json == nil)
  }
}
