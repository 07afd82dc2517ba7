import Foundation
import Policy

/// What narrows the inbox's queue: categories, statuses, clocks, platforms and a full-text search.
/// One type for the inbox's filter prompt, the store's queries and the counting thread, with one
/// idea of empty: no kind narrows, and the search holds no word.
public struct QueueFilter: Sendable, Hashable {
  public var categories: Set<Category> = []
  public var statuses: Set<MentionStatus> = []
  public var clocks: Set<ClockState> = []
  public var platforms: Set<String> = []
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

  /// True when a category, status, clock or platform narrows the queue (the search aside).
  public var narrows: Bool {
    !categories.isEmpty || !statuses.isEmpty || !clocks.isEmpty || !platforms.isEmpty
  }

  /// True when the search holds a word to look for.
  public var searches: Bool { !search.trimmingCharacters(in: .whitespaces).isEmpty }

  /// True when nothing narrows the queue, so the store's own urgency window serves it.
  public var isEmpty: Bool { !narrows && !searches }

  /// The kinds as words (the search aside), for the status line and to prefill the prompt.
  public var words: String {
    (categories.map(\.rawValue).sorted() + statuses.map(\.rawValue).sorted() + clocks.map(\.rawValue).sorted()
      + platforms.sorted()).joined(separator: " ")
  }
}
