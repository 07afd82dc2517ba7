import Foundation
import Testing

@testable import Inbox

/// A NUL in an arriving post is stored as U+FFFD on both stores (`withoutNUL`): the rest of the
/// text is kept, and a post without one is left as it is.
@Suite struct IncomingMentionNULTests {
  func post(text: String, name: String? = nil) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: "1", author: Author(handle: "a", name: name),
      createdAt: Date(timeIntervalSince1970: 0), text: text, raw: "{}")
  }

  @Test func aNULBecomesTheReplacementCharacterAndTheRestIsKept() {
    let kept = post(text: "nul\u{0}here and \u{0}there", name: "A\u{0}B").withoutNUL
    #expect(kept.text == "nul\u{FFFD}here and \u{FFFD}there")
    #expect(kept.author.name == "A\u{FFFD}B")
    #expect(kept.externalID == "1" && kept.raw == "{}")
  }

  @Test func aPostWithoutOneIsTheSame() {
    let plain = post(text: "geen nul hier 😊", name: "Anna")
    #expect(plain.withoutNUL == plain)
  }
}
