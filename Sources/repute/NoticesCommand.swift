import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

/// `repute notices`: what happened to the person's work and people (issue 16), as the inbox's
/// notice line and list show it.
struct NoticesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notices",
    abstract:
      "Your notices: assigned to you, your replies approved, sent back, delivered or failed, new posts.",
    discussion: """
      Per person (--as, else your login on the roster): unread first, newest first. A mention \
      assigned to you; your reply approved, sent back (with the note), delivered, or not \
      delivered; a new message in the thread of a mention you replied to; a new post by an author \
      you watch. --all includes those read; --mark-read marks the ones listed read.
      """)

  @OptionGroup var options: StoreOptions
  @Flag(help: "Include notices already read.") var all = false
  @Flag(name: .customLong("mark-read"), help: "Mark the notices listed read.") var markRead = false
  @Flag(help: "Print one JSON object per line.") var json = false
  @Option(help: "The language of the lines: nl or en (default: from LANG, as the inbox).")
  var uiLang: UILanguage?

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false)
      let me = try context.actor(options, acting: .person)
      let notices = try context.store.notices(for: me, includeRead: all, limit: 1_000)
      let language = AdviceText.language(uiLang)
      let zone = context.policy.serviceHours?.timeZone ?? TimeZone(identifier: "UTC")!
      for n in notices {
        if json {
          var w = JSONWriter()
          w.int("id", n.id)
          w.string("kind", n.kind.rawValue)
          w.int("mention_id", n.mentionID)
          w.int("outbox_id", n.outboxID)
          w.string("actor", n.actor)
          w.string("note", n.note)
          w.string("handle", n.handle)
          w.string("created_at", RFC3339.format(n.createdAt))
          w.string("read_at", n.readAt.map(RFC3339.format))
          w.string("text", NoticeText.line(n, language))
          Output.line(w.finish())
        } else {
          let mark = n.isRead ? " " : "•"
          let when = Format.dayTime(n.createdAt, strings: Words(language), timeZone: zone)
          Output.line("\(mark) \(when)  \(NoticeText.line(n, language))")
        }
      }
      if !json && notices.isEmpty {
        Output.error(all ? "no notices" : "no unread notices")
      }
      if markRead {
        try context.store.markNoticesRead(ids: notices.filter { !$0.isRead }.map(\.id), recipient: me)
      }
    }
  }
}
