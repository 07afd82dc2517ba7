import Foundation

// The team's library of snippets (issue 16): short replies to start from, beside the policy's
// templates, kept in the store so the team shares them without editing the policy file.

/// Where a snippet stands: proposed by a responder, approved (shared with the team), rejected by
/// a supervisor (with a note), or retired (no longer offered).
public enum SnippetStatus: String, Sendable, Hashable, CaseIterable {
  case proposed, approved, rejected, retired
}

/// A snippet as the store keeps it.
public struct Snippet: Sendable, Hashable, Identifiable {
  public var id: Int64
  /// The language it is written in (`nl`, `en`).
  public var lang: String
  /// What the team finds it by: a short title that doubles as its shortcut.
  public var title: String
  /// The text, with the templates' placeholders (`{name}`, `{author}`, …) left to fill.
  public var body: String
  public var status: SnippetStatus
  public var createdBy: String
  public var createdAt: Date
  public var updatedAt: Date
  /// Who approved it, and when (nil while proposed, or when it was rejected).
  public var approvedBy: String?
  public var approvedAt: Date?
  /// Who rejected or retired it, and the note a rejection gives.
  public var reviewedBy: String?
  public var reviewNote: String?

  public init(
    id: Int64, lang: String, title: String, body: String, status: SnippetStatus, createdBy: String,
    createdAt: Date, updatedAt: Date, approvedBy: String? = nil, approvedAt: Date? = nil,
    reviewedBy: String? = nil, reviewNote: String? = nil
  ) {
    self.id = id
    self.lang = lang
    self.title = title
    self.body = body
    self.status = status
    self.createdBy = createdBy
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.approvedBy = approvedBy
    self.approvedAt = approvedAt
    self.reviewedBy = reviewedBy
    self.reviewNote = reviewNote
  }
}

/// Why the store refused a change to a snippet.
public enum SnippetError: Error, CustomStringConvertible, Equatable {
  case noSuchSnippet(Int64)
  /// Only a proposed snippet is approved or rejected.
  case notProposed(Int64, status: SnippetStatus)
  /// Four eyes: nobody approves or rejects their own proposal.
  case ownSnippet(Int64)
  /// Retired already (or rejected): nothing left to retire.
  case notLive(Int64, status: SnippetStatus)
  /// A proposed or approved snippet in the same language has this title already.
  case titleTaken(String, lang: String, id: Int64)

  public var description: String {
    switch self {
    case .noSuchSnippet(let id): return "no snippet \(id)"
    case .notProposed(let id, let status):
      return "snippet \(id) is \(status.rawValue), not proposed: only a proposal is approved or rejected"
    case .ownSnippet(let id):
      return "four eyes: snippet \(id) is your own proposal; another supervisor must approve or reject it"
    case .notLive(let id, let status): return "snippet \(id) is \(status.rawValue) already"
    case .titleTaken(let title, let lang, let id):
      return "snippet \(id) in \(lang) is titled \"\(title)\" already; pick another title"
    }
  }
}

/// The snippets in a store. Each change is one write with its event in the audit trail
/// (`snippet_propose`, `snippet_approve`, `snippet_reject`, `snippet_retire`).
public protocol SnippetStore: Sendable {
  /// Adds a snippet as `actor`: proposed, or approved at once by `actor` when `approved`.
  func addSnippet(lang: String, title: String, body: String, actor: String, approved: Bool) throws -> Snippet
  func snippet(id: Int64) throws -> Snippet?
  /// The snippets with these statuses (all when empty), in `lang` when given, by title.
  func snippets(statuses: Set<SnippetStatus>, lang: String?) throws -> [Snippet]
  /// Approves a proposal: it is shared with the team from now on. Not the proposer's own.
  func approveSnippet(id: Int64, actor: String) throws -> Snippet
  /// Rejects a proposal with a note for its author. Not the proposer's own.
  func rejectSnippet(id: Int64, note: String, actor: String) throws -> Snippet
  /// Retires a proposed or approved snippet: no longer offered, kept for the audit trail.
  func retireSnippet(id: Int64, actor: String) throws -> Snippet
}
