import ArgumentParser
import Desk
import Foundation
import Inbox
import Store

/// The person behind the posts (issue 16): `repute person ID|@handle` prints their timeline as the
/// inbox's `p` shows it; `note`, `link` and `unlink` keep the note on the person and their
/// identities, with the inbox's audit trail and exit status (0 done, 1 refused, 2 store or input
/// error, 64 usage).
struct PersonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "person", abstract: "The person behind the posts: timeline, note, linked identities.",
    discussion: """
      A person is named by a mention's id (its author), @handle (with --platform when the handle is \
      on several platforms), or PLATFORM:@HANDLE.
      """,
    subcommands: [
      PersonShowCommand.self, PersonNoteCommand.self, PersonLinkCommand.self, PersonUnlinkCommand.self,
    ],
    defaultSubcommand: PersonShowCommand.self)
}

/// Resolving and running for the person commands.
enum PersonRun {
  /// The identity `text` names, or exit 2 with a reason a person can act on.
  static func identity(_ store: some PersonStore, _ text: String, platform: String?) throws -> Inbox.Identity
  {
    guard let ref = PersonRef.parse(text, platform: platform) else {
      throw InboxError.invalidArgument(
        "'\(text)' names no person: give a mention id, @handle or PLATFORM:@HANDLE")
    }
    do {
      return try store.resolve(ref)
    } catch let error as PersonError {
      throw InboxError.notFound(error.description)
    }
  }

  /// Runs a person action as `ActionRun` does; `PersonError`s that are refusals exit 1.
  static func run(
    _ options: StoreOptions, json: Bool, _ body: (any ReputeStore, String) throws -> ActionRun.Done
  ) throws {
    try ActionRun.run(options, json: json) { context, actor in
      do {
        return try body(context.store, actor)
      } catch let error as PersonError {
        switch error {
        case .sameIdentity, .notLinked: throw ActionRun.Refusal(message: error.description)
        case .noSuchAuthor, .ambiguous: throw InboxError.notFound(error.description)
        }
      }
    }
  }
}

struct PersonShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Print a person's timeline, newest first (the default).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "A mention's id, @handle or PLATFORM:@HANDLE.") var person: String
  @Option(help: "The platform of a bare @handle.") var platform: String?
  @Option(help: "At most this many posts (with what the team did on them).") var limit = 10_000
  @Flag(help: "Print one JSON object.") var json = false
  @Option(name: .customLong("ui-lang"), help: "The language of the words: nl or en (default: from LANG).")
  var uiLang: UILanguage?

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false, reading: true)
      let store = context.store
      let now = try ReputeClock.fromEnvironment().now()
      let who = try PersonRun.identity(store, person, platform: platform)
      let summary = try store.person(of: who.authorID, now: now)
      var items: [TimelineItem] = []
      var cursor: TimelineCursor?
      var posts = 0
      repeat {
        let page = try store.timeline(of: who.authorID, after: cursor, limit: min(500, limit - posts))
        items += page.items
        posts += page.items.count { $0.kind == .mention }
        cursor = page.next
      } while cursor != nil && posts < limit
      items.sort {
        ($0.at, $0.kind == .mention ? 0 : 1, $0.mentionID) > (
          $1.at, $1.kind == .mention ? 0 : 1, $1.mentionID
        )
      }
      if json {
        Output.line(Self.json(summary, items))
      } else {
        let words = Words(AdviceText.language(uiLang))
        Output.line(PersonText.title(summary, words))
        for line in PersonText.header(summary, now: now, words) { Output.line(line) }
        Output.line("")
        for item in items { Output.line(PersonText.line(item, now: now, words)) }
      }
    }
  }

  static func json(_ summary: PersonSummary, _ items: [TimelineItem]) -> String {
    var w = JSONWriter()
    w.objects("identities", summary.identities) { w, i in
      w.int("author_id", i.authorID)
      w.string("platform", i.platform)
      w.string("handle", i.handle)
    }
    w.int("posts", summary.posts)
    w.int("complaints_30d", summary.complaints30)
    w.int("complaints_90d", summary.complaints90)
    w.string("last_complaint", summary.lastComplaint.map(RFC3339.format))
    w.bool("watched", summary.watched)
    if let note = summary.note {
      w.object("note") { w in
        w.string("text", note.text)
        w.string("by", note.by)
        w.string("at", RFC3339.format(note.at))
      }
    }
    w.objects("timeline", items) { w, item in
      w.string("kind", item.kind.rawValue)
      w.string("at", RFC3339.format(item.at))
      w.int("mention_id", item.mentionID)
      w.string("actor", item.actor)
      if !item.platform.isEmpty { w.string("platform", item.platform) }
      if !item.state.isEmpty { w.string("state", item.state) }
      w.string("text", item.text)
    }
    return w.finish()
  }
}

struct PersonNoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "note", abstract: "Set the team's note on a person (an empty --text removes it).",
    discussion: "One note per person, shown with each of their mentions; in the audit trail without its text."
  )

  @OptionGroup var options: StoreOptions
  @Argument(help: "A mention's id, @handle or PLATFORM:@HANDLE.") var person: String
  @Option(help: "The platform of a bare @handle.") var platform: String?
  @Option(help: "The note (replaces the one there is).") var text: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try PersonRun.run(options, json: json) { store, actor in
      let who = try PersonRun.identity(store, person, platform: platform)
      try store.setPersonNote(of: who.authorID, text: text, actor: actor)
      let removed = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
      return .init(
        id: who.authorID, action: "person_note", outcome: removed ? "removed" : "noted",
        message: (removed ? "removed the note on @" : "noted on @") + who.handle,
        extra: { $0.string("handle", who.handle) })
    }
  }
}

struct PersonLinkCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "link", abstract: "Link two identities (say on Mastodon and Bluesky) to one person.",
    discussion: """
      repute person link mastodon:@anna@example.social bluesky:@anna.bsky.social, or by mention \
      ids: repute person link 12 345. Their notes are joined; the link is in the audit trail.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "One identity: a mention's id, @handle or PLATFORM:@HANDLE.") var first: String
  @Argument(help: "The other identity, named the same ways.") var second: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try PersonRun.run(options, json: json) { store, actor in
      let a = try PersonRun.identity(store, first, platform: nil)
      let b = try PersonRun.identity(store, second, platform: nil)
      try store.link(a.authorID, with: b.authorID, actor: actor)
      return .init(
        id: a.authorID, action: "person_link", outcome: "linked",
        message: "linked @\(a.handle) (\(a.platform)) and @\(b.handle) (\(b.platform))",
        extra: { $0.int("with", b.authorID) })
    }
  }
}

struct PersonUnlinkCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlink", abstract: "Take an identity out of the person it was linked to.",
    discussion: "The person's note stays with the identities left.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "A mention's id, @handle or PLATFORM:@HANDLE.") var person: String
  @Option(help: "The platform of a bare @handle.") var platform: String?
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try PersonRun.run(options, json: json) { store, actor in
      let who = try PersonRun.identity(store, person, platform: platform)
      try store.unlink(who.authorID, actor: actor)
      return .init(
        id: who.authorID, action: "person_unlink", outcome: "unlinked",
        message: "unlinked @\(who.handle) (\(who.platform))")
    }
  }
}
