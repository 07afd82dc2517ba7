import Foundation
import Inbox

/// Bluesky's AppView payloads: `app.bsky.feed.searchPosts` and `getPosts` (`posts`), feeds
/// (`feed` of FeedViewPost), a thread (`getPostThread`), a single PostView or FeedViewPost, and
/// arrays of them.
///
/// A post is identified by its `at://` URI and linked as `https://bsky.app/profile/HANDLE/post/RKEY`.
/// Link facets (UTF-8 byte ranges into the text) put the full address back where the app shows a
/// shortened one; replies keep the parent's URI, and the thread is the root's URI (a post without
/// a parent is its own root).
struct BlueskyFormat: JSONRecordFormat {
  var listKeys: [String] { ["posts", "feed"] }

  func outcomes(_ value: Any) -> [Outcome] {
    if let list = value as? [Any] {
      return list.enumerated().flatMap { item, element -> [Outcome] in
        guard let object = JSONObject(element) else { return [.reject("not a JSON object", item: item)] }
        return post(object, item: item)
      }
    }
    guard let object = JSONObject(value) else { return [.reject("not a JSON object or array", item: nil)] }
    for key in ["posts", "feed"] {
      if let list = object.array(key) {
        return list.enumerated().flatMap { item, element -> [Outcome] in
          guard let object = JSONObject(element) else { return [.reject("not a JSON object", item: item)] }
          return post(object, item: item)
        }
      }
    }
    if let thread = object.object("thread") { return self.thread(thread) }
    return post(object, item: nil)
  }

  /// A thread view: the post, its parents and replies, each once.
  private func thread(_ root: JSONObject) -> [Outcome] {
    var out: [Outcome] = []
    var pending = [root]
    var seen = 0
    while let node = pending.popLast(), seen < 100_000 {
      seen += 1
      out += post(node, item: nil)
      if let parent = node.object("parent") { pending.append(parent) }
      pending += node.objects("replies")
    }
    return out
  }

  /// A PostView, a FeedViewPost (`post` inside), a thread node, or a not-found / blocked post.
  func post(_ object: JSONObject, item: Int?) -> [Outcome] {
    if object.bool("notFound") == true || object.bool("blocked") == true {
      guard let uri = object.text("uri") else {
        return [.reject(#"a missing post without its "uri""#, item: item)]
      }
      let reason = object.bool("notFound") == true ? "deleted" : "blocked"
      return [
        .mention(.tombstone(platform: "bluesky", externalID: uri, reason: reason, raw: object.serialized))
      ]
    }
    let view = object.object("post") ?? object
    guard let uri = view.text("uri") else { return [.reject(#"missing "uri""#, item: item)] }
    guard let at = ATURI(uri) else {
      return [
        .reject("\"uri\" is not an at:// URI: \(TerminalSafe.sanitize(String(uri.prefix(60))))", item: item)
      ]
    }
    guard let author = view.object("author") else { return [.reject(#"missing "author""#, item: item)] }
    guard let handle = author.text("handle") ?? author.text("did") else {
      return [.reject(#"missing "author.handle""#, item: item)]
    }
    guard let record = view.object("record") else { return [.reject(#"missing "record""#, item: item)] }
    guard let rawText = record.string("text") else {
      return [
        .reject(
          record.has("text") ? #""record.text" is not a string"# : #"missing "record.text""#, item: item)
      ]
    }
    guard let created = record.string("createdAt") ?? view.string("indexedAt") else {
      return [.reject(#"missing "record.createdAt""#, item: item)]
    }
    guard let date = PlatformDate.parse(created) else {
      return [
        .reject(
          "bad date in \"record.createdAt\": \(TerminalSafe.sanitize(String(created.prefix(40))))", item: item
        )
      ]
    }
    let followers = author.int("followersCount")
    if let followers, followers < 0 {
      return [.reject(#""author.followersCount" must not be negative: "# + "\(followers)", item: item)]
    }
    var name = author.string("displayName")
    if name?.isEmpty == true { name = nil }
    let reply = record.object("reply")
    let parent = reply?.object("parent")?.text("uri")
    let root = reply?.object("root")?.text("uri") ?? parent ?? uri
    let lang = (record.array("langs")?.first as? String).map(Self.primaryLanguage)
    let profile = handle == "handle.invalid" ? (author.text("did") ?? at.authority) : handle
    let mention = IncomingMention(
      platform: "bluesky", externalID: uri, url: "https://bsky.app/profile/\(profile)/post/\(at.recordKey)",
      author: Author(handle: handle, name: name, followers: followers),
      createdAt: date, text: Self.expandLinks(rawText, facets: record.objects("facets")), lang: lang,
      inReplyTo: parent, thread: root, raw: view.serialized)
    return [.mention(mention)]
  }

  static func primaryLanguage(_ tag: String) -> String {
    String(tag.lowercased().split(separator: "-").first ?? Substring(tag.lowercased()))
  }

  /// The text with each link facet's range replaced by the facet's full address. Facets index
  /// UTF-8 bytes; a range out of bounds, overlapping another or cutting a character is ignored.
  static func expandLinks(_ text: String, facets: [JSONObject]) -> String {
    let bytes = Array(text.utf8)
    let links = linkRanges(bytes, facets: facets)
    guard !links.isEmpty else { return text }
    var out: [UInt8] = []
    var at = 0
    for link in links {
      out += bytes[at..<link.start]
      out += Array(link.uri.utf8)
      at = link.end
    }
    out += bytes[at...]
    return String(decoding: out, as: UTF8.self)
  }

  /// The link facets that can be applied: in bounds, on character boundaries, in order, not
  /// overlapping. Real records carry facets counted wrongly (in UTF-16, or for another text).
  static func linkRanges(_ bytes: [UInt8], facets: [JSONObject]) -> [(start: Int, end: Int, uri: String)] {
    var links: [(start: Int, end: Int, uri: String)] = []
    for facet in facets {
      guard let index = facet.object("index"), let start = index.int("byteStart"),
        let end = index.int("byteEnd"),
        start >= 0, end >= start, end <= bytes.count
      else { continue }
      for feature in facet.objects("features") {
        guard feature.string("$type") == "app.bsky.richtext.facet#link", let uri = feature.text("uri") else {
          continue
        }
        links.append((start, end, uri))
      }
    }
    links.sort { $0.start < $1.start }
    var usable: [(start: Int, end: Int, uri: String)] = []
    var at = 0
    for link in links where link.start >= at {
      // A range must begin and end on a character boundary (not on a continuation byte).
      guard link.start == bytes.count || bytes[link.start] & 0xC0 != 0x80,
        link.end == bytes.count || bytes[link.end] & 0xC0 != 0x80
      else { continue }
      usable.append(link)
      at = link.end
    }
    return usable
  }

  /// Hashtags (lower case, sorted, once each) and mentioned DIDs of a record's facets.
  static func facetSummary(_ record: JSONObject) -> (tags: [String], mentions: [String], links: [String]) {
    var tags: Set<String> = []
    var mentions: Set<String> = []
    var links: [String] = []
    for facet in record.objects("facets") {
      for feature in facet.objects("features") {
        switch feature.string("$type") {
        case "app.bsky.richtext.facet#tag":
          if let t = feature.text("tag") { tags.insert(t.trimmingCharacters(in: .whitespaces).lowercased()) }
        case "app.bsky.richtext.facet#mention": if let d = feature.text("did") { mentions.insert(d) }
        case "app.bsky.richtext.facet#link": if let u = feature.text("uri") { links.append(u) }
        default: break
        }
      }
    }
    return (tags.sorted(), mentions.sorted(), links)
  }
}

/// `at://AUTHORITY/COLLECTION/RKEY`.
struct ATURI {
  var authority: String
  var collection: String
  var recordKey: String

  init?(_ text: String) {
    guard text.hasPrefix("at://") else { return nil }
    let parts = text.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty else { return nil }
    authority = String(parts[0])
    collection = String(parts[1])
    recordKey = String(parts[2])
  }
}
