import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

/// Small texts that said less than they seemed to (issue 14).
@Suite("Small texts")
struct SmallTextTests {
  /// A mention with no rules in its advice shows "Advice", not "Advice []".
  @Test(arguments: [UILanguage.en, .nl])
  func adviceWithoutRulesHasNoEmptyBrackets(language: UILanguage) {
    let row = PaneSnapshotTests.rows[5]
    var detail = PaneSnapshotTests.detail(for: row, language: language)
    detail.advice?.rules = []
    var state = PaneSnapshotTests.state(Size(width: 80, height: 40), language: language, select: 5)
    state.detail = detail
    let lines = DetailText.lines(detail, state: state, width: 78).map { $0.spans.map(\.text).joined() }
    #expect(!lines.contains { $0.contains("[]") }, "\(lines)")
    #expect(lines.contains(Strings(language)[.advice]), "\(lines)")
  }
}
