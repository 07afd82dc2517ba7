import Foundation

// The person behind the posts (issue 16): one author across their posts, identities on other
// platforms linked by hand, a note on the person, and their timeline.

/// One identity of a person: an author as the store keeps them (one platform, one handle).
public struct Identity: Sendable, Hashable {
  public var authorID: Int64
  public var platform: String
  public var handle: String

  public init(authorID: Int64, platform: String, handle: String) {
    self.authorID = authorID
    self.platform = platform
    self.handle = handle
  }
}

/// The team's note on a person (not on one post), with who wrote it last and when.
public struct PersonNote: Sendable, Hashable {
  public var text: String
  public var by: String
  public var at: Date

  public init(text: String, by: String, at: Date) {
    self.text = text
    self.by = by
    self.at = at
  }
}

/// What the person view's header says about a person.
public struct PersonSummary: Sendable, Hashable {
  /// Every linked identity, the one asked about first.
  public var identities: [Identity]
  public var watched: Bool
  public var note: PersonNote?
  /// Their mentions, over every identity.
  public var posts: Int
  public var complaints30: Int
  public var complaints90: Int
  public var lastComplaint: Date?

  public init(
    identities: [Identity], watched: Bool = false, note: PersonNote? = nil, posts: Int = 0,
    complaints30: Int = 0, complaints90: Int = 0, lastComplaint: Date? = nil
  ) {
    self.identities = identities
    self.watched = watched
    self.note = note
    self.posts = posts
    self.complaints30 = complaints30
    self.complaints90 = complaints90
    self.lastComplaint = lastComplaint
  }
}

/// One line of a person's timeline.
public struct TimelineItem: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case mention, reply, note, escalation, watch, unwatch
  }

  public var kind: Kind
  public var at: Date
  /// The mention the line is about (the post itself, or the one replied to, noted, escalated).
  public var mentionID: Int64
  /// Who did it: the team member (reply, note, escalation, watch); for a post, its handle.
  public var actor: String
  /// The post's or the reply's or the note's text; an escalation's reason.
  public var text: String
  /// A post's platform.
  public var platform: String
  /// A post's category and status, a reply's status, an escalation's state.
  public var state: String

  public init(
    kind: Kind, at: Date, mentionID: Int64, actor: String, text: String, platform: String = "",
    state: String = ""
  ) {
    self.kind = kind
    self.at = at
    self.mentionID = mentionID
    self.actor = actor
    self.text = text
    self.platform = platform
    self.state = state
  }
}

/// Where the next page of a timeline starts: after the oldest post of the page before.
public struct TimelineCursor: Sendable, Hashable {
  public var at: Date
  public var mentionID: Int64

  public init(at: Date, mentionID: Int64) {
    self.at = at
    self.mentionID = mentionID
  }
}

/// A page of a timeline: up to a page of the person's posts, newest first, with what the team
/// did on them, all in time order (newest first).
public struct TimelinePage: Sendable, Hashable {
  public var items: [TimelineItem]
  /// Nil when the page holds the person's oldest post.
  public var next: TimelineCursor?

  public init(items: [TimelineItem], next: TimelineCursor?) {
    self.items = items
    self.next = next
  }
}

/// Why a person command was refused.
public enum PersonError: Error, CustomStringConvertible, Equatable {
  case noSuchAuthor(String)
  /// The handle is on several platforms: `--platform` (or `platform:@handle`) picks one.
  case ambiguous(String, platforms: [String])
  case sameIdentity
  case notLinked(String)

  public var description: String {
    switch self {
    case .noSuchAuthor(let who): return "no author \(who) in the store"
    case .ambiguous(let who, let platforms):
      return "\(who) is on \(platforms.joined(separator: ", ")): name one with --platform or PLATFORM:@HANDLE"
    case .sameIdentity: return "both name the same person already"
    case .notLinked(let who): return "\(who) is not linked to anyone"
    }
  }
}

/// How a person is named on the command line: a mention's id (its author), `@handle`, or
/// `platform:@handle`.
public enum PersonRef: Sendable, Hashable {
  case mention(Int64)
  case handle(String, platform: String?)

  /// Parses `42`, `@anna`, `anna` or `mastodon:@anna@example.social`; `platform` applies to a
  /// handle that names none.
  public static func parse(_ text: String, platform: String? = nil) -> PersonRef? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if let id = Int64(t) { return .mention(id) }
    var on = platform?.lowercased()
    var rest = Substring(t)
    if let colon = t.firstIndex(of: ":"), !t[..<colon].contains("@") {
      on = t[..<colon].lowercased()
      rest = t[t.index(after: colon)...]
    }
    if rest.hasPrefix("@") { rest = rest.dropFirst() }
    guard !rest.isEmpty, on?.isEmpty != true else { return nil }
    return .handle(String(rest), platform: on)
  }
}

/// The person behind the posts as a store keeps them. A person is a set of identities (authors);
/// an author not linked to anyone is a person of their own.
public protocol PersonStore: Sendable {
  /// The author of a mention; nil when there is no such mention.
  func identity(mentionID: Int64) throws -> Identity?
  /// The authors of a handle (on `platform`, or on any).
  func identities(handle: String, platform: String?) throws -> [Identity]
  /// What the person view's header shows about the person `authorID` belongs to, at `now`.
  func person(of authorID: Int64, now: Date) throws -> PersonSummary
  /// A page of the person's timeline (every identity), newest first, `limit` posts a page.
  func timeline(of authorID: Int64, after cursor: TimelineCursor?, limit: Int) throws -> TimelinePage
  /// The person's note (every identity's); nil when there is none.
  func personNote(of authorID: Int64) throws -> PersonNote?
  /// Sets the person's note; an empty text removes it. In the audit trail (without the text).
  func setPersonNote(of authorID: Int64, text: String, actor: String) throws
  /// Links two identities to one person (and so their persons, notes joined). In the audit trail.
  func link(_ authorID: Int64, with other: Int64, actor: String) throws
  /// Takes an identity out of its person; the note stays with the others. In the audit trail.
  func unlink(_ authorID: Int64, actor: String) throws
}

extension PersonStore {
  /// The identity a reference names, or a `PersonError`/`InboxError` a person can act on.
  public func resolve(_ ref: PersonRef) throws -> Identity {
    switch ref {
    case .mention(let id):
      guard let identity = try identity(mentionID: id) else {
        throw InboxError.notFound("no mention with id \(id)")
      }
      return identity
    case .handle(let handle, let platform):
      let found = try identities(handle: handle, platform: platform)
      let name = "@" + handle + (platform.map { " on \($0)" } ?? "")
      guard let first = found.first else { throw PersonError.noSuchAuthor(name) }
      guard found.count == 1 else {
        throw PersonError.ambiguous(name, platforms: found.map(\.platform).sorted())
      }
      return first
    }
  }
}
