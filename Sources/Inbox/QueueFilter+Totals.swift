extension QueueFilter {
  /// Whether the filter names only what the stores' running totals are kept by (category, status,
  /// platform, language, an open escalation), so its count is read from the totals rather than
  /// from the rows. A clock, a claim, an assignee, watched authors, a search or a span is counted
  /// from the rows. The empty filter is one of these.
  public var countsFromTotals: Bool {
    !searches && clocks.isEmpty && claimants.isEmpty && !unclaimed && assignees.isEmpty && !watched
      && since == nil && until == nil && spanWords.isEmpty
  }
}
