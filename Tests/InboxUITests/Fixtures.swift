import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI

/// A fixed time for every test: 2026-03-02 10:00 UTC (a Monday).
let fixedNow = RFC3339.parse("2026-03-02T10:00:00Z")!

/// A fresh store in a temporary folder, with the default policy plus a roster and a rumour.
func makeStore(now: Date = fixedNow) throws -> (SQLiteStore, PolicyConfig) {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inboxui-\(UUID().uuidString)")
  let store = try SQLiteStore(
    path: folder.path + "/repute.sqlite", mode: .createIfMissing, clock: .fixed(now))
  var policy = PolicyConfig.default
  policy.organisation = Organisation(names: ["Spoorlijn"], accounts: ["mastodon": ["spoorlijn@mastodon.nl"]])
  policy.team = [TeamMember(name: "Anna", login: "anna"), TeamMember(name: "Bram", login: "bram")]
  policy.rumours = [
    Rumour(id: "price-hike", patterns: ["prijzen omhoog"], facts: "2.9%", sources: ["https://x.example"])
  ]
  return (store, policy)
}

func mention(
  _ id: String, _ handle: String, minutesAgo: Double, _ text: String, platform: String = "mastodon",
  lang: String = "nl", thread: String? = nil, replyTo: String? = nil, now: Date = fixedNow
) -> IncomingMention {
  IncomingMention(
    platform: platform, externalID: id,
    author: Author(handle: handle, name: handle.capitalized, followers: 120),
    createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: lang, inReplyTo: replyTo,
    thread: thread, raw: "{}")
}

/// A small realistic queue: every kind of mention once.
let sampleMentions: [IncomingMention] = [
  mention(
    "m1", "sanne", minutesAgo: 95,
    "Mijn trein naar Utrecht is al voor de derde keer deze week geannuleerd en niemand weet iets.",
    thread: "t1"),
  mention(
    "m2", "pieter", minutesAgo: 80, "@sanne Via de app kun je de terugbetaling zelf aanvragen, top geregeld!",
    thread: "t1", replyTo: "m1"),
  mention(
    "m3", "tom", minutesAgo: 12, "Does anyone know whether a bike reservation is needed on Sunday?",
    lang: "en"),
  mention("m4", "lotte", minutesAgo: 30, "Wat een fijne conducteur vanochtend, dank jullie wel 😊"),
  mention("m5", "angry", minutesAgo: 25, "YOU ARE ALL CROOKS AND LIARS!!!", platform: "x", lang: "en"),
  mention("m6", "jager", minutesAgo: 8, "Ik hoor dat de prijzen omhoog gaan met 30 procent. Schandalig."),
]

func seededSource(_ mentions: [IncomingMention] = sampleMentions, language: UILanguage = .en) throws -> (
  StoreSource, SQLiteStore
) {
  let (store, policy) = try makeStore()
  _ = try store.ingest(mentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
  try store.indexSearch()
  return (StoreSource(store: store, policy: policy, strings: Strings(language)), store)
}

func makeApp(
  _ source: StoreSource, size: Size = Size(width: 120, height: 30), language: UILanguage = .en,
  script: [String] = []
) -> (InboxApp, MemoryTerminal) {
  let terminal = MemoryTerminal(size: size, events: Event.script(script), eventWhenExhausted: nil)
  let app = InboxApp(
    terminal: terminal, source: source, theme: .standard, strings: Strings(language), actor: "Anna",
    storeLabel: "test.sqlite", now: { fixedNow })
  return (app, terminal)
}

extension InboxApp {
  /// Feeds the script's events one by one, as the loop would.
  func play(_ terminal: MemoryTerminal, _ script: [String]) {
    terminal.send(script: script)
    while let event = terminal.nextEvent(timeout: .zero) { step(event) }
  }
}
