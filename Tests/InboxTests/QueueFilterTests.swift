import Inbox
import Policy
import Testing

/// The queue's one filter (issue 15): one idea of empty for the store, the inbox and the counts.
@Suite struct QueueFilterTests {
  @Test func emptyMeansNoKindAndNoSearchWord() {
    #expect(QueueFilter().isEmpty)
    #expect(QueueFilter(search: "  ").isEmpty)
    #expect(!QueueFilter(search: "  ").searches)
    #expect(!QueueFilter(search: "trein").isEmpty)
    #expect(QueueFilter(search: "trein").searches && !QueueFilter(search: "trein").narrows)
    #expect(!QueueFilter(categories: [.complaint]).isEmpty)
    #expect(QueueFilter(platforms: ["x"]).narrows && !QueueFilter(platforms: ["x"]).searches)
  }

  @Test func wordsNameTheKindsNotTheSearch() {
    let filter = QueueFilter(
      categories: [.complaint, .praise], statuses: [.open], clocks: [.overdue], platforms: ["x"],
      search: "trein")
    #expect(filter.words == "complaint praise open overdue x")
  }
}
