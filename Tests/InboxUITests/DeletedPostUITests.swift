import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// A post the platform deleted stays in the inbox, marked in the queue and explained in the detail.
@Suite("A deleted post in the inbox")
struct DeletedPostUITests {
  @Test("the queue row says [deleted] and the detail says why; the text is still there")
  func deletedIsShown() throws {
    let (source, store) = try seededSource()
    let notice = IncomingMention.tombstone(
      platform: "mastodon", externalID: "m1", reason: "deleted", raw: "{}")
    #expect(try store.ingest([notice], actor: "test", annotator: nil).deleted == 1)
    let (app, terminal) = makeApp(source, size: Size(width: 200, height: 30))
    app.start()
    let screen = terminal.screenText()
    // The queue is left of the divider; the detail of the selected (deleted) mention right of it.
    let queue = screen.map { String($0.split(separator: "│", maxSplits: 1).first ?? "") }
    let row = try #require(queue.first { $0.contains("@sanne") })
    #expect(row.contains("[deleted] Mijn trein"))
    #expect(queue.filter { $0.contains("[deleted]") }.count == 1, "only the deleted one")
    let all = screen.joined(separator: "\n")
    #expect(all.contains("Deleted or withheld on the platform"))

    let (dutch, nlTerminal) = makeApp(source, language: .nl)
    dutch.start()
    #expect(nlTerminal.screenText().joined().contains("[verwijderd]"))
  }
}
