import Foundation
import Policy

/// What narrows the inbox's queue: categories, statuses, clocks, platforms, who holds the claim,
/// languages, open escalations, watched authors, a span of arrival and a full-text search.
/// One type for the inbox's filter prompt, `repute list --filter`, the store's queries and the
/// counting thread, with one idea of empty: no kind narrows, and the search holds no word.
public struct QueueFilter: Sendable, Hashable {
  public var categories: Set<Category> = []
  public var statuses: Set<MentionStatus> = []
  public var clocks: Set<ClockState> = []
  public var platforms: Set<String> = []
  /// Claimed by one of these (`mine`, `claimed:NAME`); with `unclaimed`, either is taken.
  public var claimants: Set<String> = []
  /// Claimed by nobody.
  public var unclaimed = false
  /// Assigned to one of these (`assigned:NAME`; `mine` is claimed by me or assigned to me): an
  /// alternative to the claim words, as `unclaimed` is.
  public var assignees: Set<String> = []
  /// The mention's language (the source's, else the one the classifier read), lowercased.
  public var languages: Set<String> = []
  /// With an escalation still open.
  public var escalated = false
  /// The author is watched.
  public var watched = false
  /// Arrived at or after this instant (`since:`), before this one (`until:`, exclusive).
  public var since: Date?
  public var until: Date?
  /// The span's words as they were typed (`since:2026-12-01`), for the prompt's prefill: a day is
  /// one in the service hours' zone, which the filter's instants no longer say.
  public var spanWords: [String] = []
  /// Words to find in the text or the author's handle (FTS5); empty (or only spaces): no search.
  public var search: String = ""

  public init(
    categories: Set<Category> = [], statuses: Set<MentionStatus> = [], clocks: Set<ClockState> = [],
    platforms: Set<String> = [], search: String = ""
  ) {
    self.categories = categories
    self.statuses = statuses
    self.clocks = clocks
    self.platforms = platforms
    self.search = search
  }

  /// True when any kind narrows the queue (the search aside).
  public var narrows: Bool {
    !categories.isEmpty || !statuses.isEmpty || !clocks.isEmpty || !platforms.isEmpty || !claimants.isEmpty
      || unclaimed || !assignees.isEmpty || !languages.isEmpty || escalated || watched || since != nil
      || until != nil
  }

  /// True when the search holds a word to look for.
  public var searches: Bool { !search.trimmingCharacters(in: .whitespaces).isEmpty }

  /// True when nothing narrows the queue, so the store's own urgency window serves it.
  public var isEmpty: Bool { !narrows && !searches }

  /// True when the filter asks for snoozed mentions, so those still asleep are listed too.
  public var wakesSnoozed: Bool { statuses.contains(.snoozed) }

  /// The kinds as words (the search aside), for the status line and to prefill the prompt.
  public var words: String {
    var all = categories.map(\.rawValue).sorted() + statuses.map(\.rawValue).sorted()
    all += clocks.map(\.rawValue).sorted() + platforms.sorted()
    all += claimants.sorted().map { "claimed:\($0)" } + (unclaimed ? ["unclaimed"] : [])
    all += assignees.sorted().map { "assigned:\($0)" }
    all +=
      languages.sorted().map { "lang:\($0)" } + (escalated ? ["escalated"] : [])
      + (watched ? ["watched"] : [])
    return (all + spanWords).joined(separator: " ")
  }
}
