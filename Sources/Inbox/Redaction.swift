import Foundation

/// Takes a forgotten author out of what other people wrote, and only where it refers to them:
/// a first name is not a person, so another Anna keeps her name, her posts and her records.
///
/// What counts as naming them:
/// - anywhere in others' text and raw records: the handle as a mention, `@handle`,
///   `@handle@any.domain` (a stored `anna@social.example` is matched whole, and as `@anna` not
///   followed by another domain), case-insensitive; and, in a JSON raw record, their embedded
///   posts and accounts (a quote's quoted status, a boost, a `mentions` entry);
/// - only in a mention that answers or quotes one of their posts (its `in_reply_to` or `thread`
///   is one of their post ids, or its raw record embeds or points to a post of theirs): the
///   display name as whole words, when it is distinctive (at least 4 letters; one word only when
///   capitalised and matched capitalised, and no common Dutch or English word; several words only
///   when one of them is no common word, matched as the whole phrase), and the bare handle as a
///   word when it has a digit, `_`, `.` or `-` ("user1234").
///
/// Other people's own fields are never touched: in a JSON raw record, an account object that is
/// not theirs (the author's `author`, `account` or `user`, with its name and handle) stays as it
/// was, whatever names it carries.
public struct Redactor: Sendable {
  /// A post of theirs, by platform and id: what replies, threads and quotes point at.
  public struct Post: Sendable, Hashable {
    public var platform: String
    public var id: String

    public init(platform: String, id: String) {
      self.platform = platform
      self.id = id
    }
  }

  /// What replaces a handle.
  public static let handleMarker = "@[forgotten]"
  /// What replaces a display name or a bare handle.
  public static let nameMarker = "[forgotten]"

  /// The handles as stored (without `@`).
  public let handles: [String]
  /// The names and bare handles that pass the rule above.
  public let words: [String]
  /// Their posts: a mention that answers or quotes one of them refers to them.
  public let posts: Set<Post>
  private let handlePattern: NSRegularExpression?
  private let wordPattern: NSRegularExpression?
  /// Every handle as a bare word: what a structured record of theirs holds ("acct":"anna").
  private let bareHandlePattern: NSRegularExpression?

  /// Lowercased substrings that every text naming them contains: a store's SQL picks the rows worth
  /// looking at with them (an `instr` or `strpos` on `lower(…)`), and the redactor decides.
  public var needles: [String] {
    var out = Set(handleNeedles)
    // A name of several words by its longest word: the text may put any run of spaces, or a
    // line break, between them.
    for w in words {
      let parts = w.split(whereSeparator: { $0.isWhitespace }).map { $0.lowercased() }
      if let longest = parts.max(by: { $0.count < $1.count }) { out.insert(longest) }
    }
    return out.filter { !$0.isEmpty }.sorted()
  }

  /// The needles of the handles alone: what a text must contain to name them anywhere.
  public var handleNeedles: [String] {
    Set(handles.map { Self.local($0).lowercased() }).filter { !$0.isEmpty }.sorted()
  }

  /// Whether a mention with these links answers one of their posts (`in_reply_to`), or sits in a
  /// thread whose root is one of their posts.
  public func answers(platform: String, inReplyTo: String?, thread: String?) -> Bool {
    for id in [inReplyTo, thread] {
      if let id, posts.contains(Post(platform: platform, id: id)) { return true }
    }
    return false
  }

  public init(handles: [String], names: [String], posts: [Post] = []) {
    self.posts = Set(posts)
    let handles = Array(
      Set(handles.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty })
    )
    .sorted()
    self.handles = handles
    var words = Set<String>()
    for candidate in names {
      let trimmed = candidate.trimmingCharacters(in: .whitespacesAndNewlines)
      if Self.distinctive(trimmed) { words.insert(trimmed) }
    }
    // A bare handle only when it cannot be a word of someone else's sentence: "user1234",
    // "jan_de_wit", not "vertraging" or "support" (those go only as @-mentions).
    for handle in handles {
      let local = Self.local(handle)
      if local.contains(where: { !$0.isLetter }), local.filter(\.isLetter).count >= 4 { words.insert(local) }
    }
    // Longest first, so "Anna de Wit" wins over a shorter overlap.
    self.words = words.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    let before = #"(?<![\p{L}\p{N}_@.])"#
    let after = #"(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])"#
    let wordStart = #"(?<![\p{L}\p{N}_])"#
    var forms: [String] = []
    for handle in handles {
      let local = NSRegularExpression.escapedPattern(for: Self.local(handle))
      if handle.contains("@") {
        forms.append(NSRegularExpression.escapedPattern(for: handle))
        forms.append(local + "(?!@)")
      } else {
        forms.append(local + #"(?:@[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+)?"#)
      }
    }
    handlePattern = Self.alternatives(forms, before: before + "@", after: after)
    let bare = handles.map { NSRegularExpression.escapedPattern(for: Self.local($0)) }
    bareHandlePattern = Self.alternatives(bare, before: wordStart, after: after)
    let spelled = self.words.map { word -> String in
      let parts = word.split(whereSeparator: { $0.isWhitespace })
      // A one-word name is a name where it is written as one, capitalised: "Klantenservice" as a
      // display name must not take "de klantenservice belde" from someone else's post.
      if parts.count == 1, let first = word.first, first.isUppercase, word.count > 1 {
        return "(?-i:" + NSRegularExpression.escapedPattern(for: String(first)) + ")"
          + NSRegularExpression.escapedPattern(for: String(word.dropFirst()))
      }
      // Any run of spaces between the words of a name.
      return parts.map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: #"\s+"#)
    }
    wordPattern = Self.alternatives(spelled, before: wordStart, after: after)
  }

  /// One case-insensitive pattern for any of `forms` between the two boundaries; nil for none.
  static func alternatives(_ forms: [String], before: String, after: String) -> NSRegularExpression? {
    guard !forms.isEmpty else { return nil }
    return try? NSRegularExpression(
      pattern: before + "(?:" + forms.joined(separator: "|") + ")" + after, options: [.caseInsensitive])
  }

  /// Whether a whole document (not someone's sentence) holds them: their handle as a mention, or
  /// any of their handles as a bare word, as an account field carries it. Not their display name:
  /// another person of that name is no reason to delete a file.
  public func holds(_ document: String) -> Bool {
    if names(document, names: false) { return true }
    guard let bareHandlePattern else { return false }
    return bareHandlePattern.firstMatch(in: document, range: NSRange(document.startIndex..., in: document))
      != nil
  }

  /// The handle before its first `@` (the whole handle when it has none).
  static func local(_ handle: String) -> String {
    handle.split(separator: "@", maxSplits: 1).first.map(String.init) ?? handle
  }

  /// At least 4 letters, and not a common word when it is one word (see the type's comment).
  static func distinctive(_ name: String) -> Bool {
    guard name.filter(\.isLetter).count >= 4 else { return false }
    let parts = name.split(whereSeparator: { $0.isWhitespace })
    // Several words: at least one of them must be no common word ("Anna de Wit" yes, "De Trein"
    // no: its phrase is everyday Dutch).
    if parts.count > 1 {
      return parts.contains { p in
        p.filter(\.isLetter).count >= 3 && !CommonWords.all.contains(p.lowercased())
      }
    }
    // One word: capitalised, as a name is written, and no common word.
    guard let first = name.first, first.isUppercase else { return false }
    return !CommonWords.all.contains(name.lowercased())
  }

  /// The text with every handle replaced, and with `names`, every name and bare handle too (only
  /// for a text that answers or quotes them); the count of replacements.
  public func redact(_ text: String, names: Bool = true) -> (text: String, count: Int) {
    var out = text
    var count = 0
    for (pattern, marker) in [
      (handlePattern, Self.handleMarker), (names ? wordPattern : nil, Self.nameMarker),
    ] {
      guard let pattern else { continue }
      let range = NSRange(out.startIndex..., in: out)
      let n = pattern.numberOfMatches(in: out, range: range)
      guard n > 0 else { continue }
      count += n
      out = pattern.stringByReplacingMatches(
        in: out, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: marker))
    }
    return (out, count)
  }

  /// Whether the text still names them (a handle, or with `names` a word), case-insensitive.
  public func names(_ text: String, names: Bool = true) -> Bool {
    redact(text, names: names).count > 0
  }

  /// A raw record without them: a JSON record loses every embedded post, account or mention entry
  /// of theirs (a quote post's quoted status, a boost, an X `includes.users` row and the tweets it
  /// wrote) and has the handle redacted in its strings, and with `names` their name too; any other
  /// record (a CSV row, a feed item) has them redacted in its text. Accounts that are not theirs
  /// are left whole. `own` are the record's author's own handle and name: in a record that is not
  /// JSON, where its fields cannot be told apart, a name that is also the author's own is left.
  /// Nil when nothing changed.
  public func redactRaw(_ raw: String, names: Bool, own: [String] = []) -> String? {
    let trimmed = raw.drop(while: { $0.isWhitespace })
    if trimmed.first == "{" || trimmed.first == "[",
      let value = try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: [.fragmentsAllowed])
    {
      var ids = Set<String>()
      collectIDs(value, into: &ids)
      var changed = false
      let cleaned = clean(value, ids: ids, names: names, changed: &changed)
      guard changed,
        let data = try? JSONSerialization.data(
          withJSONObject: cleaned, options: [.fragmentsAllowed, .withoutEscapingSlashes, .sortedKeys])
      else { return nil }
      return String(decoding: data, as: UTF8.self)
    }
    let ownNames = names && own.contains { self.names($0, names: true) && !self.names($0, names: false) }
    let (text, n) = redact(raw, names: names && !ownNames)
    return n > 0 ? text : nil
  }

  /// Whether a raw record of someone else's mention quotes or embeds a post of theirs, or points at
  /// one (an X `referenced_tweets` id, a quoted status id, a Bluesky parent or embed `uri`): then
  /// their name in it refers to them.
  public func quotes(_ raw: String, platform: String) -> Bool {
    let trimmed = raw.drop(while: { $0.isWhitespace })
    guard trimmed.first == "{" || trimmed.first == "[",
      let value = try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: [.fragmentsAllowed])
    else { return false }
    var ids = Set<String>()
    collectIDs(value, into: &ids)
    let theirPosts = Set(posts.filter { $0.platform.lowercased() == platform.lowercased() }.map(\.id))
    func walk(_ value: Any, key: String?) -> Bool {
      if let object = value as? [String: Any] {
        // An embedded post by them (not merely an account or mention entry of theirs).
        if !isTheirs(identity: object) && isTheirs(object, ids: ids) { return true }
        return object.contains { walk($0.value, key: $0.key) }
      }
      if let array = value as? [Any] { return array.contains { walk($0, key: key) } }
      if let string = value as? String { return theirPosts.contains(string) }
      if let number = value as? NSNumber, let key, key.lowercased().hasSuffix("id") {
        return theirPosts.contains(number.stringValue)
      }
      return false
    }
    return walk(value, key: nil)
  }

  /// Keys that name an account in the platforms' objects.
  private static let identityKeys = ["acct", "username", "handle", "screen_name"]
  /// Keys under which a post or profile names its author.
  private static let authorKeys = ["account", "author", "user"]

  /// Whether this object is one of their accounts (Mastodon account or mention entry, Bluesky
  /// profile, X user).
  private func isTheirs(identity object: [String: Any]) -> Bool {
    for key in Self.identityKeys {
      guard let value = object[key] as? String else { continue }
      let bare = value.hasPrefix("@") ? String(value.dropFirst()) : value
      for handle in handles {
        if bare.caseInsensitiveCompare(handle) == .orderedSame { return true }
        // Mastodon's `acct` is local on the account's own server: `anna` for `anna@social.example`.
        if key == "acct" || key == "username" {
          if !handle.contains("@") && Self.local(bare).caseInsensitiveCompare(handle) == .orderedSame {
            return true
          }
          if handle.contains("@") && !bare.contains("@")
            && bare.caseInsensitiveCompare(Self.local(handle)) == .orderedSame
          {
            return true
          }
        }
      }
    }
    return false
  }

  /// Whether this object is theirs: an account of theirs, a post whose author is, or (X v2) a post
  /// whose `author_id` is one of their account ids.
  private func isTheirs(_ object: [String: Any], ids: Set<String>) -> Bool {
    if isTheirs(identity: object) { return true }
    for key in Self.authorKeys {
      if let author = object[key] as? [String: Any], isTheirs(identity: author) { return true }
    }
    if let author = object["author_id"].map({ "\($0)" }), ids.contains(author) { return true }
    return false
  }

  /// The ids and DIDs of their accounts anywhere in the record.
  private func collectIDs(_ value: Any, into ids: inout Set<String>) {
    if let object = value as? [String: Any] {
      if isTheirs(identity: object) {
        for key in ["id", "did"] { if let id = object[key] { ids.insert("\(id)") } }
      }
      for (_, v) in object { collectIDs(v, into: &ids) }
    } else if let array = value as? [Any] {
      for v in array { collectIDs(v, into: &ids) }
    }
  }

  /// Whether this object is an account (it carries an account's identity key).
  private static func isAccount(_ object: [String: Any]) -> Bool {
    identityKeys.contains { object[$0] is String } || (object["did"] is String && object["handle"] != nil)
  }

  private func clean(_ value: Any, ids: Set<String>, names: Bool, changed: inout Bool) -> Any {
    if let object = value as? [String: Any] {
      // Someone else's account (the author's own, a mention entry of another person): never
      // touched, whatever name it carries.
      if Self.isAccount(object) && !isTheirs(identity: object) { return object }
      var out: [String: Any] = [:]
      for (key, v) in object {
        if let inner = v as? [String: Any], isTheirs(inner, ids: ids) {
          changed = true
          continue
        }
        out[key] = clean(v, ids: ids, names: names, changed: &changed)
      }
      return out
    }
    if let array = value as? [Any] {
      var out: [Any] = []
      for v in array {
        if let inner = v as? [String: Any], isTheirs(inner, ids: ids) {
          changed = true
          continue
        }
        out.append(clean(v, ids: ids, names: names, changed: &changed))
      }
      return out
    }
    if let string = value as? String {
      var (text, n) = redact(string, names: names)
      // A DID or an account id inside a string (an at:// URI) names them too.
      for id in ids where id.hasPrefix("did:") && text.contains(id) {
        text = text.replacingOccurrences(of: id, with: Self.nameMarker)
        n += 1
      }
      if n > 0 {
        changed = true
        return text
      }
    }
    return value
  }
}

/// Common Dutch and English words that are also someone's name or handle now and then: never
/// erased from other people's text on their own (see `Redactor`). Lowercase.
enum CommonWords {
  static let all: Set<String> = [
    // English
    "about", "after", "again", "also", "back", "best", "better", "bird", "blue", "book", "busy", "call",
    "care", "city", "come", "cool", "dark", "dear", "deal", "down", "each", "even", "ever", "fair", "fast",
    "fine", "first", "free", "from", "full", "give", "good", "great", "grace", "green", "happy", "hard",
    "have", "help", "here", "home", "hope", "honey", "just", "keep", "kind", "king", "know", "last", "late",
    "like", "line", "little", "live", "long", "look", "love", "lucky", "made", "make", "many", "mark",
    "more", "most", "much", "must", "news", "nice", "night", "none", "only", "open", "over", "page",
    "peace", "people", "please", "real", "rose", "same", "shop", "should", "some", "sorry", "star",
    "still", "store", "summer", "sunny", "sure", "take", "team", "than", "thank", "thanks", "that",
    "their", "them", "then", "there", "they", "this", "time", "train", "very", "want", "well", "were",
    "what", "when", "where", "which", "will", "winter", "with", "work", "world", "would", "year", "your",
    // Dutch
    "aardig", "alle", "alles", "geheim", "altijd", "ander", "anders", "bedankt", "beter", "bericht", "blij",
    "boos", "dank", "deze", "dingen", "echt", "eens", "goed", "graag", "groot", "heel", "hier",
    "hallo", "heer", "jaar", "klant", "kunnen", "laat", "lief", "liefde", "maar", "mooi", "morgen",
    "naar", "niet", "niets", "nooit", "over", "rust", "snel", "station", "trein", "vandaag", "veel",
    "voor", "vraag", "waar", "want", "weer", "welkom", "zijn", "zomer", "zonder", "zoals",
  ]
}
