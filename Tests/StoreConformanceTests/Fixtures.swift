import Foundation
import Inbox
import Policy

/// The mentions the conformance tests store: the same on both stores, written an hour or less
/// before the suite's pinned moment (`TestStores.now`) unless a test says otherwise.
func incoming(
  _ id: String, text: String = "hello", handle: String = "anna", platform: String = "x",
  followers: Int? = nil, name: String? = nil, minutesAgo: Int = 30, lang: String? = nil
) -> IncomingMention {
  IncomingMention(
    platform: platform, externalID: id, author: Author(handle: handle, name: name, followers: followers),
    createdAt: TestStores.now.addingTimeInterval(-Double(minutesAgo * 60)), text: text, lang: lang,
    raw: #"{"id":"\#(id)"}"#)
}

/// The default policy's annotator, as `repute ingest` uses it: classification, windows, muting.
let defaultAnnotator = PolicyAnnotator(policy: PolicyConfig())
