import ArgumentParser
import Feeds
import Foundation
import Inbox
import Store

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Open Repute on a fresh demo store with realistic mentions in Dutch and English.")

  @Option(help: "Keep the demo store here instead of a temporary folder.")
  var store: String?

  func run() throws {
    try guarded {
      let path: String
      if let store {
        path = store
      } else {
        let folder = FileManager.default.temporaryDirectory
          .appendingPathComponent("repute-demo-\(getpid())").path
        path = folder + "/repute.sqlite"
      }
      let db = try SQLiteStore(path: path, mode: .createIfMissing, clock: try ReputeClock.fromEnvironment())
      let counts = try DemoData.seed(into: db, now: Date())
      Output.line("demo store: \(path) (\(counts.new) mentions)")
      Output.line("")
      for mention in try db.mentions(order: .newest, limit: 50, offset: 0) {
        Output.line(TextFormat.row(mention, now: Date(), cut: Output.isTerminal ? 60 : nil))
      }
      Output.line("")
      Output.line("The interactive inbox is not built yet: this is the demo queue as `repute list` shows it.")
      Output.line("Try: repute show ID --store \(path)")
    }
  }
}

/// Realistic mentions written for the project, in Dutch and English, covering every category.
enum DemoData {
  /// The demo mentions as native JSON Lines, dated relative to `now`.
  static func lines(now: Date) -> [String] {
    func at(_ minutesAgo: Double) -> String {
      RFC3339.format(now.addingTimeInterval(-minutesAgo * 60))
    }
    func json(
      _ platform: String, _ id: String, _ handle: String, _ name: String, _ followers: Int,
      _ minutesAgo: Double, _ lang: String, _ text: String, replyTo: String? = nil, thread: String? = nil,
      staff: Bool = false
    ) -> String {
      var object: [String: Any] = [
        "platform": platform, "id": id, "created_at": at(minutesAgo), "lang": lang, "text": text,
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
    return [
      json(
        "mastodon", "demo-1", "sanne@mastodon.nl", "Sanne de Vries", 412, 95, "nl",
        "Mijn trein naar Utrecht is al voor de derde keer deze week geannuleerd en niemand bij de balie weet iets. Ik wacht nog steeds op mijn terugbetaling van vorige maand.",
        thread: "t-utrecht"),
      json(
        "mastodon", "demo-2", "pieter@mastodon.nl", "Pieter", 88, 80, "nl",
        "@sanne Via de app kun je de terugbetaling zelf aanvragen, bij mij was het binnen een week geregeld.",
        replyTo: "demo-1", thread: "t-utrecht"),
      json(
        "bluesky", "demo-3", "mark.bsky.social", "Mark Jansen", 15_300, 42, "en",
        "Is it true that you are closing every station counter next year? My mother can't use the app.",
        thread: "t-counters"),
      json(
        "x", "demo-4", "lotte_reist", "Lotte", 230, 30, "nl",
        "Wat een fijne conducteur vanochtend op de intercity naar Zwolle! Dank jullie wel 😊"),
      json(
        "x", "demo-5", "angryvoice", "ANGRY", 51, 25, "en",
        "YOU ARE ALL CROOKS AND LIARS. Worst company in the world, everybody knows it!!!"),
      json(
        "bluesky", "demo-6", "eva.bsky.social", "Eva (werkt bij ons)", 640, 20, "nl",
        "Trots op ons team: de nieuwe dienstregeling is echt geweldig geworden!", staff: true),
      json(
        "mastodon", "demo-7", "tom@fosstodon.org", "Tom", 1200, 12, "en",
        "Does anyone know whether the bike reservation is needed on the Sunday trains?"),
      json(
        "x", "demo-8", "nieuwsjager", "Nieuwsjager", 48_000, 8, "nl",
        "Ik hoor dat de prijzen per 1 januari met 30% omhoog gaan. Schandalig als dat klopt."),
      json(
        "bluesky", "demo-9", "ines.bsky.social", "Inês", 97, 4, "en",
        "Not happy at all: the wifi on the 8:15 was broken again and nobody answers my emails."),
      json(
        "mastodon", "demo-10", "kees@mastodon.social", "Kees", 33, 2, "nl",
        "Rustige rit vandaag, niks bijzonders. Station Amersfoort is mooi opgeknapt."),
    ]
  }

  /// Stores the demo mentions and returns what happened.
  static func seed(into store: SQLiteStore, now: Date) throws -> IngestCounts {
    let format = NativeFormat()
    var mentions: [IncomingMention] = []
    for line in lines(now: now) {
      var bytes = Array(line.utf8)
      let mention = try bytes.withUnsafeMutableBufferPointer { buffer in
        try format.parse(UnsafeBufferPointer(buffer))
      }
      mentions.append(mention)
    }
    return try store.ingest(mentions, actor: "demo", annotator: nil)
  }
}
