import Foundation
import Inbox

/// Mastodon's API payloads: a Status, a Notification, arrays of either, search results
/// (`statuses`), a thread's context (`ancestors`, `descendants`) and the grouped v2
/// notifications (`notification_groups` with `statuses` and `accounts`).
///
/// A status id is only unique on the server that answered, so a post is identified by its `uri`:
/// the same post seen through two servers is one mention. Boosts are unwrapped to the boosted
/// post; a content warning is kept in front of the text; `acct` handles are made whole
/// (`anna@social.example`) so one person has one handle whichever server told us.
struct MastodonFormat: JSONRecordFormat {
  var listKeys: [String] { ["notification_groups", "statuses", "descendants"] }

  /// Notification types that carry someone's post about us; favourites, follows, boosts of our
  /// own posts and polls are not mentions.
  static let postNotifications: Set = ["mention", "status", "update", "quote"]

  func outcomes(_ value: Any) -> [Outcome] {
    if let list = value as? [Any] {
      let index = Self.localIndex(list.compactMap { JSONObject($0) })
      return list.enumerated().flatMap { item, element -> [Outcome] in
        guard let object = JSONObject(element) else {
          return [.reject("not a JSON object", item: item)]
        }
        return record(object, item: item, index: index, accounts: [:])
      }
    }
    guard let object = JSONObject(value) else { return [.reject("not a JSON object or array", item: nil)] }
    if let groups = object.array("notification_groups") {
      return grouped(object, groups)
    }
    if object.has("ancestors") || object.has("descendants") {
      let all = object.objects("ancestors") + object.objects("descendants")
      let index = Self.localIndex(all)
      return all.enumerated().flatMap { item, status in
        record(status, item: item, index: index, accounts: [:])
      }
    }
    if let statuses = object.array("statuses"), !object.has("content") {
      let objects = statuses.compactMap { JSONObject($0) }
      let index = Self.localIndex(objects)
      return objects.enumerated().flatMap { item, status in
        record(status, item: item, index: index, accounts: [:])
      }
    }
    return record(object, item: nil, index: Self.localIndex([object]), accounts: [:])
  }

  /// One status, notification, streaming event or ActivityPub deletion.
  private func record(
    _ object: JSONObject, item: Int?, index: [String: String], accounts: [String: JSONObject]
  )
    -> [Outcome]
  {
    // ActivityPub `Delete` of a `Tombstone`, or a bare `Tombstone`: the post's uri.
    if let type = object.string("type"), type == "Delete" || type == "Tombstone" {
      let target =
        type == "Tombstone"
        ? object.string("id") : (object.object("object")?.string("id") ?? object.string("object"))
      guard let uri = target, !uri.isEmpty else {
        return [.reject(#"a deletion without the post's "id""#, item: item)]
      }
      return [
        .mention(.tombstone(platform: "mastodon", externalID: uri, reason: "deleted", raw: object.serialized))
      ]
    }
    if let event = object.string("event") {
      guard event == "update" || event == "status.update" || event == "notification",
        let payload = object.string("payload"), let data = payload.data(using: .utf8),
        let inner = JSONObject(try? JSONSerialization.jsonObject(with: data))
      else {
        if event == "delete" {
          return [
            .reject(
              "a streaming delete names the server's own id, not the post's uri; deletions need the uri (an ActivityPub Delete)",
              item: item)
          ]
        }
        return [.reject("a streaming event without a status in its payload", item: item)]
      }
      return record(inner, item: item, index: index, accounts: accounts)
    }
    if let type = object.string("type"), object.has("account") && !object.has("content") {
      // A notification.
      guard Self.postNotifications.contains(type) else { return [] }
      guard let post = object.object("status") else {
        return [.reject("a \(type) notification without its \"status\"", item: item)]
      }
      return status(post, item: item, index: index, accounts: accounts)
    }
    return status(object, item: item, index: index, accounts: accounts)
  }

  private func grouped(_ envelope: JSONObject, _ groups: [Any]) -> [Outcome] {
    var accounts: [String: JSONObject] = [:]
    for account in envelope.objects("accounts") {
      if let id = account.identifier("id") { accounts[id] = account }
    }
    var statuses: [String: JSONObject] = [:]
    for status in envelope.objects("statuses") {
      if let id = status.identifier("id") { statuses[id] = status }
    }
    let index = Self.localIndex(Array(statuses.values))
    return groups.enumerated().flatMap { item, element -> [Outcome] in
      guard let group = JSONObject(element) else { return [.reject("not a JSON object", item: item)] }
      guard let type = group.string("type") else { return [.reject(#"missing "type""#, item: item)] }
      guard Self.postNotifications.contains(type) else { return [] }
      guard let id = group.identifier("status_id") else {
        return [.reject("a \(type) group without \"status_id\"", item: item)]
      }
      guard let status = statuses[id] else {
        return [.reject("status \(TerminalSafe.sanitize(id)) is not in \"statuses\"", item: item)]
      }
      return self.status(status, item: item, index: index, accounts: accounts)
    }
  }

  /// Local id → uri for every status (and boosted status) of a document, so a reply to a post in
  /// the same document links to that post's uri.
  static func localIndex(_ statuses: [JSONObject]) -> [String: String] {
    var index: [String: String] = [:]
    for status in statuses {
      for s in [status, status.object("status"), status.object("reblog")].compactMap({ $0 }) {
        if let id = s.identifier("id"), let uri = s.text("uri") { index[id] = uri }
        if let boosted = s.object("reblog"), let id = boosted.identifier("id"), let uri = boosted.text("uri")
        {
          index[id] = uri
        }
      }
    }
    return index
  }

  private func status(
    _ wrapper: JSONObject, item: Int?, index: [String: String], accounts: [String: JSONObject]
  )
    -> [Outcome]
  {
    // A boost stands for the boosted post.
    let s = wrapper.object("reblog") ?? wrapper
    guard let uri = s.text("uri") ?? s.text("url") else {
      return [.reject(s.has("uri") ? #""uri" is not a string"# : #"missing "uri""#, item: item)]
    }
    var account = s.object("account")
    if account == nil, let id = s.identifier("account_id") { account = accounts[id] }
    guard let account else { return [.reject(#"missing "account""#, item: item)] }
    guard var handle = account.text("acct") ?? account.text("username") else {
      return [.reject(#"missing "account.acct""#, item: item)]
    }
    if handle.hasPrefix("@") { handle.removeFirst() }
    if !handle.contains("@"), let host = Self.host(account.string("url") ?? uri) { handle += "@" + host }
    guard let created = s.string("created_at") else { return [.reject(#"missing "created_at""#, item: item)] }
    guard let date = PlatformDate.parse(created) else {
      return [
        .reject(
          "bad date in \"created_at\": \(TerminalSafe.sanitize(String(created.prefix(40))))", item: item)
      ]
    }
    guard s.has("content") else { return [.reject(#"missing "content""#, item: item)] }
    var text = HTMLText.plainText(s.string("content") ?? "")
    if let warning = s.text("spoiler_text") {
      text = "CW: \(HTMLText.decodeEntities(warning))" + (text.isEmpty ? "" : "\n\n" + text)
    }
    if text.isEmpty, let media = s.array("media_attachments"), !media.isEmpty {
      let descriptions = media.compactMap { JSONObject($0)?.text("description") }
      text = descriptions.isEmpty ? "(media without text)" : descriptions.joined(separator: "\n")
    }
    var reply: String?
    if let parent = s.identifier("in_reply_to_id") {
      // Only a uri names a post across servers; a parent outside this document keeps the answering
      // server's id, qualified by the host that numbered it when we can tell.
      reply = index[parent] ?? "\(Self.host(uri) ?? "?")/statuses/\(parent)"
    }
    let followers = account.int("followers_count")
    if let followers, followers < 0 {
      return [.reject(#""account.followers_count" must not be negative: "# + "\(followers)", item: item)]
    }
    var name = account.string("display_name")
    if name?.isEmpty == true { name = nil }
    var deletion: String?
    if s.bool("deleted") == true || s.text("deleted_at") != nil { deletion = "deleted" }
    let mention = IncomingMention(
      platform: "mastodon", externalID: uri, url: s.text("url") ?? uri,
      author: Author(
        handle: handle, name: name, followers: followers),
      createdAt: date, text: text, lang: s.text("language")?.lowercased(), inReplyTo: reply, thread: nil,
      raw: wrapper.serialized, deletion: deletion)
    return [.mention(mention)]
  }

  static func host(_ url: String) -> String? {
    guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
      return nil
    }
    return host.lowercased()
  }
}
