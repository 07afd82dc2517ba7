import Foundation
import Inbox
import Store
import Testing

@testable import Live

@Suite("The spool's kept copies under forget and purge")
struct SpoolErasureTests {
  let redactor = Redactor(
    handles: ["geheimzinnig"], names: ["Wendelmoet Zwaluwstaart"],
    posts: [Redactor.Post(platform: "mastodon", id: "1")])

  func native(_ id: String, _ handle: String, _ text: String) -> String {
    #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"\#(handle)"},"created_at":"2026-11-30T09:00:00Z","text":"\#(text)"}"#
  }

  /// A spool with a JSON Lines file, a CSV file, a Mastodon document and a file without them.
  func spool() -> (TempDir, SpoolConfig) {
    let dir = TempDir()
    for folder in ["processed", "failed"] {
      try! FileManager.default.createDirectory(
        atPath: dir.path + "/spool/" + folder, withIntermediateDirectories: true)
    }
    dir.write(
      "spool/processed/a.jsonl",
      [
        native("1", "geheimzinnig", "Zwartkopmeeuw belde over dossier 4711"),
        native("2", "buurman", "Klopt, @geheimzinnig heeft gelijk"),
        native("3", "pendelaar", "Mijn trein is weer te laat"),
        // A reply to their post names them: there the name is theirs.
        native("5", "buurvrouw", "Sterkte Wendelmoet Zwaluwstaart!").replacingOccurrences(
          of: #","text""#, with: #","in_reply_to":"1","text""#),
      ].joined(separator: "\n") + "\n")
    dir.write(
      "spool/processed/b.csv",
      "id,author,text,created_at\n1,geheimzinnig,Kwartelkoning geheim,2026-11-30T09:00:00Z\n"
        + "2,tante,Wendelmoet Zwaluwstaart belt ook,2026-11-30T09:01:00Z\n")
    dir.write(
      "spool/failed/c.json",
      // A document written over several lines: not a record a line.
      "[\n"
        + #"{"id":"9","content":"<p>Zwartkopmeeuw</p>","created_at":"2026-11-30T09:00:00Z","account":{"acct":"geheimzinnig"}}"#
        + "\n]\n")
    dir.write("spool/processed/d.jsonl", native("4", "tom", "Hoe laat gaat de trein?") + "\n")
    return (dir, SpoolConfig(name: "drop", path: dir.path + "/spool"))
  }

  func everything(_ dir: TempDir) -> Data {
    var data = Data()
    let walker = FileManager.default.enumerator(atPath: dir.path + "/spool")
    while let item = walker?.nextObject() as? String {
      data.append(FileManager.default.contents(atPath: dir.path + "/spool/" + item) ?? Data())
    }
    return data
  }

  @Test("forget drops their lines and rows, redacts others', deletes a document that holds them")
  func forget() throws {
    let (dir, config) = spool()
    let untouched = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/spool/processed/d.jsonl"))
    // A dry run lists the same files and changes nothing.
    let before = everything(dir)
    let planned = try SpoolErasure(spool: config, dryRun: true).forget(redactor)
    #expect(everything(dir) == before)

    let reports = try SpoolErasure(spool: config).forget(redactor)
    #expect(reports == planned)
    #expect(
      reports.map(\.description) == [
        "\(dir.path)/spool/processed/a.jsonl: 1 line dropped, 2 redacted",
        "\(dir.path)/spool/processed/b.csv: 1 line dropped, 0 redacted",
        "\(dir.path)/spool/failed/c.json: deleted (holds the author and is not line by line)",
      ])
    let data = everything(dir)
    for needle in [
      "geheimzinnig", "Zwartkopmeeuw", "Kwartelkoning", "dossier 4711", "Sterkte Wendelmoet",
    ] {
      #expect(!data.contains(Data(needle.utf8)), "\(needle) is still in the spool")
    }
    let a = try String(contentsOfFile: dir.path + "/spool/processed/a.jsonl", encoding: .utf8)
    #expect(a.contains("Klopt, @[forgotten] heeft gelijk") && a.contains("Mijn trein is weer te laat"))
    #expect(a.contains("Sterkte [forgotten]!"))
    #expect(a.split(separator: "\n").count == 3)
    let b = try String(contentsOfFile: dir.path + "/spool/processed/b.csv", encoding: .utf8)
    // Tante's post names someone of that name but answers no post of theirs: it stays as it was.
    #expect(b == "id,author,text,created_at\n2,tante,Wendelmoet Zwaluwstaart belt ook,2026-11-30T09:01:00Z\n")
    #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/spool/processed/d.jsonl")) == untouched)
    for file in ["a.jsonl", "b.csv"] {
      let mode =
        try FileManager.default.attributesOfItem(atPath: dir.path + "/spool/processed/" + file)[
          .posixPermissions] as? NSNumber
      #expect(mode?.intValue == 0o600)
    }
    // No temporary file left behind; a second forget finds nothing.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path + "/spool/processed").sorted() == [
        "a.jsonl", "b.csv", "d.jsonl",
      ])
    #expect(try SpoolErasure(spool: config).forget(redactor).isEmpty)
  }

  @Test("a file of theirs only is deleted; --platform keeps another platform's records")
  func onlyTheirs() throws {
    let dir = TempDir()
    try FileManager.default.createDirectory(
      atPath: dir.path + "/spool/processed", withIntermediateDirectories: true)
    dir.write("spool/processed/e.jsonl", native("1", "geheimzinnig", "Zwartkopmeeuw") + "\n")
    let config = SpoolConfig(name: "drop", path: dir.path + "/spool")
    let elsewhere = try SpoolErasure(spool: config, dryRun: true).forget(
      Redactor(handles: ["nobody"], names: []), platform: "bluesky")
    #expect(elsewhere.isEmpty)
    let reports = try SpoolErasure(spool: config).forget(redactor)
    #expect(reports.map(\.outcome) == [.deleted(reason: "every record was the author's")])
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/spool/processed/e.jsonl"))
  }

  @Test("purge deletes the kept copies last changed before the cutoff")
  func purge() throws {
    let (dir, config) = spool()
    let old = dir.path + "/spool/processed/a.jsonl"
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -40 * 86_400)], ofItemAtPath: old)
    let cutoff = Date(timeIntervalSinceNow: -30 * 86_400)
    let planned = try SpoolErasure(spool: config, dryRun: true).purge(before: cutoff)
    #expect(FileManager.default.fileExists(atPath: old))
    let reports = try SpoolErasure(spool: config).purge(before: cutoff)
    #expect(reports == planned)
    #expect(reports.map(\.path) == [old])
    #expect(!FileManager.default.fileExists(atPath: old))
    #expect(FileManager.default.fileExists(atPath: dir.path + "/spool/processed/d.jsonl"))
  }

  @Test("one of two Annas is forgotten: the other's lines stay byte for byte, a reply to her loses her name")
  func sharedFirstName() throws {
    let dir = TempDir()
    try FileManager.default.createDirectory(
      atPath: dir.path + "/spool/processed", withIntermediateDirectories: true)
    func line(_ id: String, _ handle: String, _ name: String, _ text: String, replyTo: String? = nil)
      -> String
    {
      let reply = replyTo.map { #","in_reply_to":"\#($0)""# } ?? ""
      return
        #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"\#(handle)","name":"\#(name)"},"created_at":"2026-11-30T09:00:00Z","text":"\#(text)"\#(reply)}"#
    }
    let other = line("2", "anna_b", "Anna", "Anna hier: de trein stond stil bij Gouda")
    let third = line("4", "kees", "Kees", "Anna van de balie hielp mij top")
    dir.write(
      "spool/processed/f.jsonl",
      [
        line("1", "anna_a", "Anna", "Mijn koffer is kwijt"), other,
        line("3", "piet", "Anna", "Sterkte Anna, mijn koffer was ook weg", replyTo: "1"), third,
      ].joined(separator: "\n") + "\n")
    let anna = Redactor(
      handles: ["anna_a"], names: ["Anna"], posts: [Redactor.Post(platform: "mastodon", id: "1")])
    let reports = try SpoolErasure(spool: SpoolConfig(name: "drop", path: dir.path + "/spool")).forget(anna)
    #expect(reports.map(\.outcome) == [.rewritten(dropped: 1, redacted: 1)])
    let lines = try String(contentsOfFile: dir.path + "/spool/processed/f.jsonl", encoding: .utf8)
      .split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[0] == other && lines[2] == third)
    // The replier's own name (Anna too) stays; the Anna they answered goes.
    #expect(lines[1].contains("Sterkte [forgotten], mijn koffer") && lines[1].contains(#""name":"Anna""#))
  }
}
