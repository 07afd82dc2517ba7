import ArgumentParser
import Desk
import Feeds
import Foundation
import Inbox
import InboxUI
import Policy
import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `repute demo`: the inbox on a fresh store with realistic mentions, and more arriving.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract:
      "Open the inbox on a fresh demo store: Dutch and English mentions, new ones arriving every few seconds."
  )

  @Option(help: "Keep the demo store here instead of a temporary folder.")
  var store: String?

  @Option(name: .customLong("as"), help: "Who you are in the demo (default: Anna, from the demo roster).")
  var actingAs: String?

  @Option(help: "A theme name from themes/ or a path to a .toml file.")
  var theme: String?

  @Option(name: .customLong("ui-lang"), help: "The language of the inbox's own text: nl or en.")
  var uiLang: UILanguage?

  @Option(help: "Seconds between arriving mentions.")
  var every: Double = 4

  @Flag(help: "Seed the store and print its path, without opening the inbox.")
  var seedOnly = false

  func run() throws {
    try guarded {
      // Refused before anything is written: the demo's roster has Anna, Bram and Carmen de Wit.
      let actor = try DemoData.actor(actingAs)
      let path: String
      if let store {
        // The demo is a file of its own: a team's server store is no place for made-up mentions.
        path = try StoreLocation.resolve(explicit: store, environment: [:])
      } else {
        let folder = FileManager.default.temporaryDirectory
          .appendingPathComponent("repute-demo-\(getpid())").path
        path = folder + "/repute.sqlite"
      }
      let clock = try ReputeClock.fromEnvironment()
      let db = try SQLiteStore(path: path, mode: .createIfMissing, clock: clock)
      let policy = DemoData.policy
      try db.installPolicyIfMissing(source: PolicyFile.render(policy), actor: "demo")
      let counts = try DemoData.seed(into: db, policy: policy, now: clock.now())
      if seedOnly {
        Output.line("demo store: \(path) (\(counts.new) mentions)")
        return
      }
      let feeder = DemoFeeder(path: path, policy: policy, every: every, clock: clock)
      try InboxRunner.run(
        store: db, policy: policy, actor: actor, themeName: theme,
        language: uiLang ?? UILanguage.fromEnvironment(), label: "demo",
        whileRunning: { feeder.start() })
      feeder.stop()
      if store == nil {
        try? FileManager.default.removeItem(
          atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
      }
    }
  }
}

/// Stores a new demo mention every few seconds from a second connection, as another process would.
final class DemoFeeder: Sendable {
  private let path: String
  private let policy: PolicyConfig
  private let every: Double
  private let clock: ReputeClock
  private let stopped = Locked(false)

  init(path: String, policy: PolicyConfig, every: Double, clock: ReputeClock) {
    self.path = path
    self.policy = policy
    self.every = every
    self.clock = clock
  }

  func start() {
    let thread = Thread { [self] in
      guard let store = try? SQLiteStore(path: path, mode: .existing, clock: clock) else { return }
      let annotator = PolicyAnnotator(policy: policy)
      // Ids unique to this run: with a frozen clock (`REPUTE_NOW`) a second demo on a kept store
      // must not find its arrivals already stored.
      let run = UUID().uuidString.prefix(8).lowercased()
      var n = 0
      while !isStopped {
        Thread.sleep(forTimeInterval: every)
        if isStopped { break }
        let line = DemoData.arrival(n, run: String(run), now: clock.now())
        if let mention = try? DemoData.parse(line) {
          _ = try? store.ingest([mention], actor: "demo", annotator: annotator)
        }
        n += 1
      }
    }
    thread.start()
  }

  private var isStopped: Bool { stopped.current }

  func stop() {
    stopped.withLock { $0 = true }
  }
}

/// The demo organisation (a Dutch rail operator), its policy, and mentions written for the project.
enum DemoData {
  /// The demo's responder: Anna unless `--as` names someone else on the demo roster.
  static func actor(_ requested: String?) throws -> String {
    do {
      return try policy.resolveMember(requested: requested ?? "Anna", login: Identity.login()).name
    } catch let refusal as RosterRefusal {
      throw InboxError.permissionDenied(refusal.description)
    }
  }

  /// The default policy made the demo organisation's own (S1): its accounts, a staff member, a
  /// known rumour, and a small roster with Anna.
  static var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.organisation = Organisation(
      names: ["Spoorlijn", "Spoorlijn NL"],
      accounts: [
        "mastodon": ["spoorlijn@mastodon.nl"], "bluesky": ["spoorlijn.bsky.social"], "x": ["spoorlijn"],
      ])
    p.team = [
      TeamMember(name: "Anna", login: "anna"), TeamMember(name: "Bram", login: "bram"),
      TeamMember(name: "Carmen de Wit", login: "carmen", role: .supervisor),
    ]
    p.staffAccounts = ["eva.bsky.social"]
    p.rumours = [
      // Facts per language: a Dutch correction quotes Dutch facts (S9).
      Rumour(
        id: "price-hike-30", patterns: ["prijzen omhoog", "prices up", "\"30 procent\""],
        facts: [
          "nl": "De prijzen gaan op 1 januari met 2,9% omhoog, niet met 30%.",
          "en": "Fares rise by 2.9% on 1 January, not 30%.",
        ],
        sources: [
          "nl": ["https://spoorlijn.example/tarieven-2027"],
          "en": ["https://spoorlijn.example/en/fares-2027"],
        ]),
      Rumour(
        id: "counters-closing", patterns: ["loketten sluiten", "closing counter*", "loketten dicht"],
        facts: [
          "nl": "Alle bemande loketten blijven in 2027 open.",
          "en": "Every staffed counter stays open in 2027.",
        ],
        sources: ["": ["https://spoorlijn.example/loketten"]]),
    ]
    // The demo organisation works around the clock, so the demo tells the same story at any hour
    // of any day (overdue, due soon, cooling, holding): its windows count every hour, not only
    // service hours, and its schedule says so.
    let allDay = Shift("00:00-24:00")!
    p.serviceHours = ServiceHours(
      timeZone: TimeZone(identifier: "Europe/Amsterdam")!,
      week: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [allDay]) }))
    for category in p.windows.keys { p.windows[category]?.serviceHours = false }
    p.holdingFollowUpInServiceHours = false
    // It follows up a complaint within four hours of its answer (S10), so the demo shows that
    // clock running.
    p.windows[.complaint]?.followUp = .seconds(4 * 3600)
    return p
  }

  static func json(
    _ platform: String, _ id: String, _ handle: String, _ name: String, _ followers: Int, _ createdAt: Date,
    _ lang: String, _ text: String, replyTo: String? = nil, thread: String? = nil, staff: Bool = false
  ) -> String {
    var object: [String: Any] = [
      "platform": platform, "id": id, "created_at": RFC3339.format(createdAt), "lang": lang, "text": text,
      "author": ["handle": handle, "name": name, "followers": followers],
      "url":
        "https://\(platform == "bluesky" ? "bsky.app/profile/\(handle)/post" : "social.example/@\(handle)")/\(id)",
    ]
    if let replyTo { object["in_reply_to"] = replyTo }
    if let thread { object["thread"] = thread }
    if staff { object["staff"] = true }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  static func lines(now: Date) -> [String] {
    func ago(_ minutes: Double) -> Date { now.addingTimeInterval(-minutes * 60) }
    return [
      // A complaint, and a satisfied customer answering it in the same thread (S11).
      json(
        "mastodon", "demo-1", "sanne@mastodon.nl", "Sanne de Vries", 412, ago(95), "nl",
        "Mijn trein naar Utrecht is al voor de derde keer deze week geannuleerd en niemand bij de balie weet iets. Ik wacht nog steeds op mijn terugbetaling van vorige maand.",
        thread: "t-utrecht"),
      json(
        "mastodon", "demo-2", "pieter@mastodon.nl", "Pieter", 88, ago(80), "nl",
        "@sanne Via de app kun je de terugbetaling zelf aanvragen, bij mij was het binnen een week geregeld. Top geregeld door Spoorlijn!",
        replyTo: "demo-1", thread: "t-utrecht"),
      // A question, from someone with reach, touching a rumour.
      json(
        "bluesky", "demo-3", "mark.bsky.social", "Mark Jansen", 15_300, ago(42), "en",
        "Is it true that you are closing every station counter next year? My mother can't use the app.",
        thread: "t-counters"),
      json(
        "x", "demo-4", "lotte_reist", "Lotte", 230, ago(30), "nl",
        "Wat een fijne conducteur vanochtend op de intercity naar Zwolle! Dank jullie wel 😊"),
      json(
        "x", "demo-5", "angryvoice", "ANGRY", 51, ago(25), "en",
        "YOU ARE ALL CROOKS AND LIARS. Worst company in the world, everybody knows it!!!"),
      // A staff member praising the product (S5).
      json(
        "bluesky", "demo-6", "eva.bsky.social", "Eva (werkt bij Spoorlijn)", 640, ago(20), "nl",
        "Trots op ons team: de nieuwe dienstregeling van Spoorlijn is echt geweldig geworden!", staff: true),
      json(
        "mastodon", "demo-7", "tom@fosstodon.org", "Tom", 1200, ago(12), "en",
        "@spoorlijn Does anyone know whether the bike reservation is needed on the Sunday trains?"),
      // Misinformation: a claim on the policy's list of known rumours (S9).
      json(
        "x", "demo-8", "nieuwsjager", "Nieuwsjager", 48_000, ago(8), "nl",
        "Ik hoor dat bij Spoorlijn de prijzen per 1 januari met 30 procent omhoog gaan. Schandalig als dat klopt."
      ),
      // A complaint the team answered elsewhere; a later post in the thread reopens it.
      json(
        "bluesky", "demo-9", "ines.bsky.social", "Inês", 97, ago(180), "en",
        "Not happy at all: the wifi on the 8:15 Spoorlijn train was broken again and nobody answers my emails.",
        thread: "t-wifi"),
      json(
        "bluesky", "demo-9r", "spoorlijn.bsky.social", "Spoorlijn", 52_000, ago(150), "en",
        "@ines.bsky.social Sorry to hear that, Inês. We've passed it to the onboard team and will email you today. – Anna",
        replyTo: "demo-9", thread: "t-wifi"),
      json(
        "bluesky", "demo-9b", "ines.bsky.social", "Inês", 97, ago(3), "en",
        "Still no email, and the wifi was broken again this morning. Really disappointing.",
        replyTo: "demo-9r", thread: "t-wifi"),
      json(
        "mastodon", "demo-10", "kees@mastodon.social", "Kees", 33, ago(2), "nl",
        "Vandaag met Spoorlijn van Amersfoort naar Groningen, straks nog overstappen in Zwolle."),
      // Praise that repeats a rumour (S4: don't amplify).
      json(
        "x", "demo-11", "appfan", "App Fan", 410, ago(6), "nl",
        "Geweldig dat Spoorlijn alle loketten sluiten gaat, de app is veel beter! 👍"),
      json(
        "mastodon", "demo-12", "jeroen@mastodon.nl", "Jeroen", 150, ago(1), "nl",
        "Hoe laat vertrekt de eerste trein naar Schiphol op zondag? Ik kan het niet vinden in de app."),
      // A complaint Bram answered through the outbox: its personal follow-up is due (S10).
      json(
        "mastodon", "demo-13", "femke@mastodon.nl", "Femke", 260, ago(240), "nl",
        "Mijn fiets is beschadigd in het fietsrijtuig van de trein naar Leiden en de conducteur haalde zijn schouders op. Ik ben hier echt boos over."
      ),
    ]
  }

  /// The mentions that keep arriving while the demo runs.
  static func arrival(_ n: Int, run: String, now: Date) -> String {
    let pool: [(String, String, String, String, String)] = [
      (
        "x", "reiziger_zoe", "Zoë", "nl",
        "Weer 20 minuten vertraging bij Spoorlijn en geen enkele omroep. Waarom hoor ik niks?"
      ),
      (
        "mastodon", "li@mastodon.social", "Li Wei", "en",
        "Thank you @spoorlijn for finding my laptop bag at Den Haag Centraal! 🙏"
      ),
      (
        "bluesky", "bart.bsky.social", "Bart", "nl",
        "Kan ik met een OV-fiets abonnement ook in Zwolle terecht?"
      ),
      (
        "x", "truthseeker99", "Truth Seeker", "en",
        "Spoorlijn is a scam run by thieves, they steal from everyone!!!"
      ),
      (
        "mastodon", "fleur@mastodon.nl", "Fleur", "nl",
        "De prijzen gaan omhoog met 30 procent zeggen ze, klopt dat Spoorlijn?"
      ),
      (
        "bluesky", "oma.bsky.social", "Riet", "nl",
        "Vriendelijke hulp gehad bij het loket in Deventer, dank je wel!"
      ),
      (
        "x", "commuter_dan", "Dan", "en",
        "Third time this month my train to Amsterdam was cancelled. I want my money back."
      ),
    ]
    let item = pool[n % pool.count]
    return json(
      item.0, "demo-live-\(run)-\(n)", item.1, item.2, 20 + n * 37 % 900, now,
      item.3,
      item.4)
  }

  static func parse(_ line: String) throws -> IncomingMention {
    var bytes = Array(line.utf8)
    return try bytes.withUnsafeMutableBufferPointer { buffer in
      try NativeFormat().parse(UnsafeBufferPointer(buffer))
    }
  }

  static func seed(into store: SQLiteStore, policy: PolicyConfig, now: Date) throws -> IngestCounts {
    let annotator = PolicyAnnotator(policy: policy)
    // The team's own work, done a while ago: the same store at an earlier time.
    func earlier(_ minutes: Double) throws -> SQLiteStore {
      try SQLiteStore(path: store.path, mode: .existing, clock: .fixed(now.addingTimeInterval(-minutes * 60)))
    }
    // The two mentions the team answered arrived before the demo opened, so their history reads
    // in order: in, then answered.
    let answeredEarlier = ["demo-13": 240.0, "demo-3": 42]
    var counts = IngestCounts()
    for mention in try lines(now: now).map(parse) {
      let into = try answeredEarlier[mention.externalID].map(earlier) ?? store
      let one = try into.ingest([mention], actor: "demo", annotator: annotator)
      counts.new += one.new
    }
    func open(_ platform: String, _ externalID: String) throws -> Int64? {
      guard let id = try store.mentionID(platform: platform, externalID: externalID),
        try store.mention(id: id)?.status == .open
      else { return nil }
      return id
    }
    // The team answered Inês's first complaint outside Repute; her new post in that thread
    // reopens the conversation.
    if let id = try open("bluesky", "demo-9") { try store.markReplied(ids: [id], actor: "Anna") }
    // Bram apologised to Femke three hours ago; the personal follow-up is due next (S10).
    if let id = try open("mastodon", "demo-13") {
      try earlier(180).enqueueReply(
        mentionID: id, responder: "Bram", kind: .reply,
        text:
          "Wat vervelend, Femke, en sorry dat je zo te woord werd gestaan. Stuur je ons een DM met je reisgegevens? Dan regelen we de schade. – Bram",
        policy: policy)
    }
    // Anna sent Mark a holding reply (S12): the real answer about the counters is due next.
    if let id = try open("bluesky", "demo-3") {
      try earlier(35).enqueueReply(
        mentionID: id, responder: "Anna", kind: .holding,
        text: "We have received your question and are looking into it. You will hear from us soon. – Anna",
        policy: policy)
    }
    // Bram is writing an answer to Tom: the queue marks it ✎ so no one answers twice (S14).
    if let id = try open("mastodon", "demo-7") {
      try store.saveDraft(
        mentionID: id, author: "Bram", kind: .reply, text: "Hi Tom, on Sundays a bike reservation is")
    }
    return counts
  }
}
