import Foundation
import Inbox
import Policy

/// Something the editor's picker (`Ctrl-T`) offers: one of the policy's templates or an approved
/// snippet from the team's library, with its text not yet filled in.
public struct SnippetChoice: Hashable, Sendable {
  public enum Origin: Hashable, Sendable {
    case template
    case snippet(Int64)
  }

  public var origin: Origin
  /// The template's id, or the snippet's title.
  public var title: String
  public var lang: String
  public var text: String
  /// A template for this mention's use (its category, or holding): offered before the others.
  public var forThisUse: Bool

  public init(origin: Origin, title: String, lang: String, text: String, forThisUse: Bool = false) {
    self.origin = origin
    self.title = title
    self.lang = lang
    self.text = text
    self.forThisUse = forThisUse
  }

  public var isTemplate: Bool { origin == .template }
}

/// Searching templates and snippets as the responder types: every word typed must start a word
/// of the title or the text, ignoring case and accents ("cafe" finds "Café"). The mention's
/// language comes first, then the better match (a title word counts more than a word of the
/// text), then this use's template, then the order they were given in.
public enum SnippetSearch {
  /// Lower case without accents, split into words of letters and digits.
  public static func words(_ text: String) -> [String] {
    text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
      .lowercased()
      .split { !$0.isLetter && !$0.isNumber }
      .map(String.init)
  }

  /// A choice with its words folded once: folding is what searching costs, so the picker folds
  /// when it opens, not at every key (a thousand snippets: about 250 ms in a debug build).
  public struct Indexed: Hashable, Sendable {
    public var choice: SnippetChoice
    let title: [String]
    let body: [String]

    public init(_ choice: SnippetChoice) {
      self.choice = choice
      title = SnippetSearch.words(choice.title)
      body = SnippetSearch.words(choice.text)
    }
  }

  /// How well a choice matches the query's words; nil when a word matches nothing.
  static func score(_ query: [String], _ c: Indexed) -> Int? {
    var total = 0
    for q in query {
      if c.title.contains(q) {
        total += 5
      } else if c.title.contains(where: { $0.hasPrefix(q) }) {
        total += 4
      } else if c.body.contains(q) {
        total += 2
      } else if c.body.contains(where: { $0.hasPrefix(q) }) {
        total += 1
      } else {
        return nil
      }
    }
    return total
  }

  /// The choices that match `query`, best first; all of them (language first) for an empty query.
  public static func search(_ query: String, in choices: [Indexed], lang: String) -> [SnippetChoice] {
    let q = words(query)
    return choices.enumerated().compactMap { i, c -> (Int, Int, Int, Int, SnippetChoice)? in
      guard let s = score(q, c) else { return nil }
      return (c.choice.lang == lang ? 0 : 1, -s, c.choice.forThisUse ? 0 : 1, i, c.choice)
    }
    .sorted { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }
    .map(\.4)
  }

  /// The same, folding the choices first (for a one-off search).
  public static func search(_ query: String, in choices: [SnippetChoice], lang: String) -> [SnippetChoice] {
    search(query, in: choices.map(Indexed.init), lang: lang)
  }

  /// What the picker offers for a mention: the templates in the order Ctrl-T always had them,
  /// then the approved snippets.
  public static func choices(
    mode: ReplyMode, mention: Mention, policy: PolicyConfig, snippets: [Snippet]
  ) -> [SnippetChoice] {
    let kind: TemplateKind = mode == .holding ? .holding : .category(mention.category ?? .neutral)
    let templates = ReplyRules.templates(for: mode, mention: mention, policy: policy).map {
      SnippetChoice(
        origin: .template, title: $0.id, lang: $0.lang, text: $0.text, forThisUse: $0.kind == kind)
    }
    let library = snippets.filter { $0.status == .approved }.map {
      SnippetChoice(origin: .snippet($0.id), title: $0.title, lang: $0.lang, text: $0.body)
    }
    return templates + library
  }
}

/// Filling placeholders, the same for templates and snippets: `{author}` (the author's handle),
/// `{name}` (their first name, else the handle's name), `{organisation}`, `{facts}` and
/// `{sources}` (the rumour the mention repeats), `{signature}` (the responder's, S16). A
/// placeholder nobody knows is left as it is, and said: the reply checks block it (S13).
public enum Placeholders {
  public static let known = ["author", "name", "organisation", "facts", "sources", "signature"]

  /// The values for a mention, in a text of language `lang` (a correction quotes its facts in it).
  public static func values(
    mention: Mention, rumours: [String], policy: PolicyConfig, lang: String, responder: TeamMember? = nil
  ) -> [String: String] {
    let handle = mention.author.handle.hasPrefix("@") ? mention.author.handle : "@" + mention.author.handle
    let display = mention.author.name.flatMap { name -> String? in
      let first = name.split(separator: " ").first.map(String.init) ?? name
      return first.isEmpty ? nil : first
    }
    let local = String(mention.author.handle.drop { $0 == "@" }.prefix { $0 != "@" && $0 != "." })
    let matched = policy.rumours.filter { rumours.contains($0.id) }
    var values = [
      "author": handle, "name": display ?? local,
      "organisation": policy.organisation.names.first ?? "",
      "facts": matched.map { $0.facts(in: lang) }.joined(separator: " "),
      "sources": matched.flatMap { $0.sources(in: lang) }.joined(separator: " "),
    ]
    if let responder { values["signature"] = Signature.text(for: responder, policy: policy) }
    return values
  }

  /// The text with the known placeholders filled in.
  public static func fill(_ text: String, _ values: [String: String]) -> String {
    var out = text
    for (k, v) in values { out = out.replacingOccurrences(of: "{" + k + "}", with: v) }
    return out
  }

  /// The placeholders still in a text (`{order_number}`), in order, each once.
  public static func unfilled(in text: String) -> [String] {
    var found: [String] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else { break }
      let name = after[..<close]
      if !name.isEmpty, name.count <= 40, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
        let token = "{" + name + "}"
        if !found.contains(token) { found.append(token) }
        rest = after[after.index(after: close)...]
      } else {
        rest = after
      }
    }
    return found
  }
}

/// A snippet refused by the team's rules (not by the store): no title, a person not allowed.
public struct SnippetRefusal: Error, CustomStringConvertible, Equatable {
  public let description: String

  public init(_ description: String) { self.description = description }
}

/// The rules for the library, the same for the inbox and `repute snippets`: who proposes, who
/// approves, what a snippet saved from a reply may keep of the author.
public struct SnippetDesk {
  public let store: any SnippetStore
  public let policy: PolicyConfig

  public init(store: any SnippetStore, policy: PolicyConfig) {
    self.store = store
    self.policy = policy
  }

  public static let maxTitle = 60

  func member(_ actor: String) -> TeamMember { ReplyRules.responder(for: actor, policy: policy) }

  /// Whether `actor` approves, rejects and retires snippets: a supervisor on the roster.
  public func isSupervisor(_ actor: String) -> Bool { member(actor).role == .supervisor }

  /// Adds a snippet: a responder's is proposed and waits for a supervisor; a supervisor's is
  /// shared at once (they are the second pair of eyes, as for their replies). Saved from a reply
  /// (`from`), the author's handle and name become placeholders and the signature is dropped:
  /// team text keeps nothing of the person it first answered, so `forget` has nothing to find.
  public func add(title: String, lang: String, body: String, actor: String, from mention: Mention? = nil)
    throws -> Snippet
  {
    let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !title.isEmpty else { throw SnippetRefusal("a snippet needs a title") }
    guard title.count <= Self.maxTitle, !title.contains("\n") else {
      throw SnippetRefusal("a snippet's title is one line of at most \(Self.maxTitle) characters")
    }
    let lang = lang.lowercased()
    guard lang.count == 2, lang.allSatisfy({ $0.isASCII && $0.isLetter }) else {
      throw SnippetRefusal("a snippet's language is a two-letter code such as nl or en, not '\(lang)'")
    }
    // The text goes into replies as it is: nothing that could drive a terminal or reorder text.
    var text = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: " ")
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard TerminalSafe.isPlain(title), lines.allSatisfy({ TerminalSafe.isPlain(String($0)) }) else {
      throw SnippetRefusal("a snippet's title and text may not hold control characters or bidi overrides")
    }
    if let mention { text = Self.scrub(text, mention: mention) }
    text = Self.dropSignature(text, responder: member(actor), policy: policy)
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw SnippetRefusal("a snippet needs a text")
    }
    return try store.addSnippet(
      lang: lang, title: title, body: text, actor: actor, approved: isSupervisor(actor))
  }

  public func approve(id: Int64, actor: String) throws -> Snippet {
    try requireSupervisor(actor, "approves")
    return try store.approveSnippet(id: id, actor: actor)
  }

  public func reject(id: Int64, note: String, actor: String) throws -> Snippet {
    try requireSupervisor(actor, "rejects")
    let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !note.isEmpty else { throw SnippetRefusal("say why the snippet is rejected (--note)") }
    return try store.rejectSnippet(id: id, note: note, actor: actor)
  }

  /// Retires a snippet: a supervisor any, its author their own proposal (taking it back).
  public func retire(id: Int64, actor: String) throws -> Snippet {
    guard let s = try store.snippet(id: id) else { throw SnippetError.noSuchSnippet(id) }
    let own = s.createdBy.lowercased() == actor.lowercased() && s.status == .proposed
    if !own { try requireSupervisor(actor, "retires") }
    return try store.retireSnippet(id: id, actor: actor)
  }

  private func requireSupervisor(_ actor: String, _ verb: String) throws {
    guard isSupervisor(actor) else {
      throw SnippetRefusal("only a supervisor on the roster \(verb) a snippet (\(actor) is not)")
    }
  }

  /// The author's handle (`@handle` → `{author}`) and name (full, first, or the handle's name →
  /// `{name}`) replaced by placeholders, as whole words and ignoring case.
  public static func scrub(_ text: String, mention: Mention) -> String {
    let bare = String(mention.author.handle.drop { $0 == "@" })
    var out = replace(text, "@" + bare, with: "{author}")
    var names: [String] = []
    if let full = mention.author.name?.trimmingCharacters(in: .whitespaces), !full.isEmpty {
      names.append(full)
      if let first = full.split(separator: " ").first, first.count >= 2 { names.append(String(first)) }
    }
    names.append(bare)
    let local = String(bare.prefix { $0 != "@" && $0 != "." })
    if local.count >= 2 { names.append(local) }
    for name in names.sorted(by: { $0.count > $1.count }) { out = replace(out, name, with: "{name}") }
    return out
  }

  /// Every whole-word occurrence of `word`, ignoring case.
  static func replace(_ text: String, _ word: String, with placeholder: String) -> String {
    guard !word.isEmpty else { return text }
    let pattern =
      "(?<![\\p{L}\\p{N}_@])" + NSRegularExpression.escapedPattern(for: word) + "(?![\\p{L}\\p{N}_])"
    guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
      return text
    }
    let range = NSRange(text.startIndex..., in: text)
    return regex.stringByReplacingMatches(
      in: text, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: placeholder))
  }

  /// The text without the responder's signature at its end: the team signs each reply themselves.
  static func dropSignature(_ text: String, responder: TeamMember, policy: PolicyConfig) -> String {
    var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let signature = Signature.text(for: responder, policy: policy)
    if !signature.isEmpty, body.hasSuffix(signature) {
      body.removeLast(signature.count)
      body = body.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return body
  }
}
