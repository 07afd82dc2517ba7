import Foundation
import Inbox

/// X (Twitter) API v2 payloads: response envelopes (`data` with `includes.users` and
/// `includes.tweets`), twarc2's JSON Lines of such pages, twarc's flattened tweets (`author`
/// inside), and compliance records (`"action": "delete"`).
///
/// Authors are joined from `includes.users` (followers from `public_metrics`); a retweet stands
/// for the retweeted tweet; replies come from `referenced_tweets`; the link is built from the
/// username and the id. An edited tweet gets a new id on X: the first id of its
/// `edit_history_tweet_ids` names the post, so a later version is an edit of the same mention.
struct XFormat: JSONRecordFormat {
  var listKeys: [String] { ["data"] }

  func outcomes(_ value: Any) -> [Outcome] {
    if let list = value as? [Any] {
      return list.enumerated().flatMap { item, element -> [Outcome] in
        guard let object = JSONObject(element) else { return [.reject("not a JSON object", item: item)] }
        return record(object, item: item)
      }
    }
    guard let object = JSONObject(value) else { return [.reject("not a JSON object or array", item: nil)] }
    return record(object, item: nil)
  }

  private func record(_ object: JSONObject, item: Int?) -> [Outcome] {
    if object.has("data") || object.has("includes") {
      return envelope(object)
    }
    if let action = object.string("action") {
      guard action == "delete" else { return [] }
      guard let id = object.identifier("id") else {
        return [.reject(#"a deletion without "id""#, item: item)]
      }
      let reason = object.text("reason").map { "deleted (\($0))" } ?? "deleted"
      return [.mention(.tombstone(platform: "x", externalID: id, reason: reason, raw: object.serialized))]
    }
    // A flattened tweet: its author (and the tweets it references) inside it.
    var users: [String: JSONObject] = [:]
    if let author = object.object("author"),
      let id = author.identifier("id") ?? object.identifier("author_id")
    {
      users[id] = author
    }
    var tweets: [String: JSONObject] = [:]
    for ref in object.objects("referenced_tweets") where ref.has("text") {
      if let id = ref.identifier("id") { tweets[id] = ref }
      if let author = ref.object("author"), let id = author.identifier("id") { users[id] = author }
    }
    return [tweet(object, users: users, tweets: tweets, item: item)]
  }

  private func envelope(_ page: JSONObject) -> [Outcome] {
    let includes = page.object("includes")
    var users: [String: JSONObject] = [:]
    for user in includes?.objects("users") ?? [] {
      if let id = user.identifier("id") { users[id] = user }
    }
    var tweets: [String: JSONObject] = [:]
    for t in includes?.objects("tweets") ?? [] {
      if let id = t.identifier("id") { tweets[id] = t }
    }
    let items: [Any]
    if let list = page.array("data") {
      items = list
    } else if let one = page["data"], one is [String: Any] {
      items = [one]
    } else if page.has("data") {
      return [.reject(#""data" must be a tweet or a list of tweets"#, item: nil)]
    } else {
      return []
    }
    if !items.isEmpty, !items.contains(where: { JSONObject($0)?.has("text") == true }) {
      let first = JSONObject(items.first)
      let kind =
        first?.has("username") == true
        ? "users"
        : first?.has("tweet_count") == true
          ? "counts" : first?.has("member_count") == true ? "lists" : "other records"
      return [.reject("no tweets in \"data\": this page holds \(kind)", item: nil)]
    }
    return items.enumerated().map { index, element in
      guard let t = JSONObject(element) else { return .reject("not a JSON object", item: index) }
      return tweet(t, users: users, tweets: tweets, item: index)
    }
  }

  private func tweet(
    _ given: JSONObject, users: [String: JSONObject], tweets: [String: JSONObject], item: Int?
  )
    -> Outcome
  {
    var t = given
    // A retweet stands for the tweet it repeats, when the page carries it.
    if let retweeted = t.objects("referenced_tweets").first(where: { $0.string("type") == "retweeted" }),
      let id = retweeted.identifier("id"),
      let original = tweets[id] ?? (retweeted.has("text") ? retweeted : nil)
    {
      t = original
    }
    guard let id = t.identifier("id") else { return .reject(#"missing "id""#, item: item) }
    guard let rawText = t.object("note_tweet")?.string("text") ?? t.string("text") else {
      return .reject(#"missing "text""#, item: item)
    }
    guard let created = t.string("created_at") else { return .reject(#"missing "created_at""#, item: item) }
    guard let date = PlatformDate.parse(created) else {
      return .reject(
        "bad date in \"created_at\": \(TerminalSafe.sanitize(String(created.prefix(40))))", item: item)
    }
    let authorID = t.identifier("author_id") ?? t.object("author")?.identifier("id")
    let user = authorID.flatMap { users[$0] } ?? t.object("author")
    let username = user?.text("username")
    guard let handle = username ?? authorID else { return .reject(#"missing "author_id""#, item: item) }
    var name = user?.string("name")
    if name?.isEmpty == true { name = nil }
    let followers = user?.object("public_metrics")?.int("followers_count")
    if let followers, followers < 0 {
      return .reject(#""public_metrics.followers_count" must not be negative: "# + "\(followers)", item: item)
    }
    let first = (t.array("edit_history_tweet_ids")?.first as? String) ?? id
    var reply: String?
    if let parent = t.objects("referenced_tweets").first(where: { $0.string("type") == "replied_to" }),
      let parentID = parent.identifier("id")
    {
      // The parent too is named by its first version.
      reply = (tweets[parentID]?.array("edit_history_tweet_ids")?.first as? String) ?? parentID
    }
    var lang = t.text("lang")?.lowercased()
    if let l = lang, l == "und" || l == "zxx" || l.hasPrefix("q") { lang = nil }
    var deletion: String?
    if let withheld = t.object("withheld") {
      let countries = (withheld.array("country_codes") as? [String]) ?? []
      if withheld.bool("copyright") == true {
        deletion = "withheld (copyright)"
      } else {
        deletion =
          countries.isEmpty ? "withheld" : "withheld in " + countries.prefix(20).joined(separator: ", ")
      }
    }
    let url =
      username.map { "https://x.com/\($0)/status/\(id)" } ?? "https://x.com/i/web/status/\(id)"
    var raw = t.fields
    if let user, raw["author"] == nil { raw["author"] = user.fields }
    return .mention(
      IncomingMention(
        platform: "x", externalID: first, url: url,
        author: Author(handle: handle, name: name, followers: followers), createdAt: date,
        text: Self.expand(rawText, urls: t.object("entities")?.objects("urls") ?? []), lang: lang,
        inReplyTo: reply, thread: t.identifier("conversation_id"), raw: JSONObject.serialize(raw),
        deletion: deletion))
  }

  /// The text with each t.co link replaced by the address it stands for, and X's three entities
  /// (`&amp;`, `&lt;`, `&gt;`) decoded.
  static func expand(_ text: String, urls: [JSONObject]) -> String {
    var out = text
    for entity in urls {
      guard let short = entity.text("url"),
        let long = entity.text("unwound_url") ?? entity.text("expanded_url")
      else { continue }
      out = out.replacingOccurrences(of: short, with: long)
    }
    return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
