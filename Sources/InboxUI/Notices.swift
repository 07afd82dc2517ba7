import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// What a source offers for notices and assignment (issue 16); a source without it (a test's)
/// shows no notice line and assigns nothing.
public protocol NoticeSource: AnyObject {
  func noticeSummary(for recipient: String) throws -> NoticeSummary
  func notices(for recipient: String, includeRead: Bool, limit: Int) throws -> [Notice]
  @discardableResult
  func markNoticesRead(ids: [Int64], recipient: String) throws -> Int
  /// Whether `actor` may assign (a supervisor on the roster).
  func mayAssign(_ actor: String) -> Bool
  /// The roster's logins and names an assignment may name, for the prompt's completion.
  var assignable: [String] { get }
  /// The policy's roster, for the filter's names (`claimed:carmen`).
  var team: [TeamMember] { get }
}

extension NoticeSource {
  public var team: [TeamMember] { [] }
}

// The reducer's side of assignment and notices.
extension InboxState {
  /// `A`: the prompt for who to assign the marked or selected mentions to; refused for anyone
  /// but a supervisor, with the reason on the status line.
  mutating func openAssign() -> [InboxEffect] {
    guard mayAssign else {
      message = StatusMessage(strings[.assignSupervisorsOnly], isError: true)
      return []
    }
    guard !targets.isEmpty else { return nothingSelected() }
    pendingTargets = targets
    input = ""
    mode = .prompt(.assign)
    return []
  }

  /// The roster's logins and names that start with what was typed.
  public var assignCompletions: [String] {
    let key = input.trimmingCharacters(in: .whitespaces).lowercased()
    return assignable.filter { $0.lowercased().hasPrefix(key) }
  }

  /// Tab: the one login or name that fits is typed out; several fitting share their common start.
  mutating func completeAssignee() {
    let fits = assignCompletions
    guard let first = fits.first else { return }
    if fits.count == 1 {
      input = first
      return
    }
    var common = first
    for other in fits.dropFirst() {
      while !other.lowercased().hasPrefix(common.lowercased()) { common.removeLast() }
    }
    if common.count > input.count { input = common }
  }

  /// The notices list: moving, Enter to the mention (marked read), Esc or `m` back.
  mutating func handleNotices(_ command: InboxCommand) -> [InboxEffect] {
    let last = max(0, noticeList.count - 1)
    let page = max(1, layout.queueListHeight - 1)
    switch command {
    case .moveDown: noticeSelected = min(last, noticeSelected + 1)
    case .moveUp: noticeSelected = max(0, noticeSelected - 1)
    case .pageDown: noticeSelected = min(last, noticeSelected + page)
    case .pageUp: noticeSelected = max(0, noticeSelected - page)
    case .top: noticeSelected = 0
    case .bottom: noticeSelected = last
    case .toggleDetail:
      guard noticeList.indices.contains(noticeSelected) else { return [] }
      mode = .queue
      return [.openNotice(noticeList[noticeSelected])]
    case .back, .notices, .quit:
      mode = .queue
    case .help:
      mode = .help
      helpScroll = 0
    default:
      break
    }
    return []
  }
}

/// The notices list, full width between the status line and the footer: unread marked `•`,
/// newest first, the selected one highlighted.
enum NoticesPane {
  static func draw(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    let s = state.strings
    canvas.fill(rect, style: theme[.ui])
    guard rect.height > 0 else { return }
    let title = "\(s[.noticesTitle]) · \(TerminalSafe.sanitize(state.actor))"
    canvas.put(title, row: rect.row, column: 1, style: theme[.detailHeading], maxWidth: rect.width - 2)
    let height = rect.height - 1
    guard !state.noticeList.isEmpty else {
      if height > 0 { canvas.put(s[.noNotices], row: rect.row + 1, column: 1, style: theme[.uiHint]) }
      return
    }
    let top = max(0, min(state.noticeSelected - height + 1, state.noticeList.count - height))
    for (line, index) in (top..<min(state.noticeList.count, top + height)).enumerated() {
      let notice = state.noticeList[index]
      let row = rect.row + 1 + line
      let selected = index == state.noticeSelected
      let style = selected ? theme[.queueSelected] : (notice.isRead ? theme[.uiHint] : theme[.ui])
      if selected { canvas.fill(Rect(row: row, column: 0, width: rect.width, height: 1), style: style) }
      let when = Format.clock(notice.createdAt, timeZone: state.timeZone)
      let text = "\(notice.isRead ? " " : "•") \(when)  \(NoticeText.line(notice, s.language))"
      canvas.put(text, row: row, column: 1, style: style, maxWidth: rect.width - 2)
    }
  }
}
