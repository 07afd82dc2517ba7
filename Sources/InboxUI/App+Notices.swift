import Desk
import Foundation
import Inbox

/// The inbox's notices (issue 16): the notice line is read again when the change feed says
/// another process committed (no polling of its own), and after the inbox's own writes.
extension InboxApp {
  var noticeSource: (any NoticeSource)? { source as? any NoticeSource }

  /// Who may assign and whom, from the roster; once, at the start.
  func configureNotices() {
    guard let notices = noticeSource else { return }
    state.mayAssign = notices.mayAssign(state.actor)
    state.assignable = notices.assignable
    state.team = notices.team
  }

  /// The unread count and the newest unread notice (one indexed read).
  func loadNotices() {
    guard let notices = noticeSource else { return }
    if let summary = attempt(.notices, { try notices.noticeSummary(for: state.actor) }),
      summary != state.notices
    {
      state.notices = summary
      dirty = true
    }
  }

  /// The notices' effects: open the list, or go to a notice's mention.
  func applyNotices(_ effect: InboxEffect) {
    switch effect {
    case .openNotices: openNotices()
    case .openNotice(let notice): openNotice(notice)
    default: break
    }
  }

  /// `m`: the person's notices, unread first.
  func openNotices() {
    guard let notices = noticeSource else { return }
    state.noticeList =
      attempt(.notices) { try notices.notices(for: state.actor, includeRead: true, limit: 200) } ?? []
    state.noticeSelected = 0
    state.mode = .notices
  }

  /// Enter on a notice: it is marked read, and the queue goes to its mention: under the filter
  /// in force when it is there, else in the whole queue; a mention out of the queue (closed,
  /// snoozed) is named on the status line.
  func openNotice(_ notice: Notice) {
    if let notices = noticeSource, !notice.isRead {
      _ = attempt(.notices) { try notices.markNoticesRead(ids: [notice.id], recipient: state.actor) }
      ownWriteSeen()  // reads the notice line again
    }
    guard let id = notice.mentionID else { return }
    var position = attempt(.queue) { try source.position(of: id, state.filter, now: now()) } ?? nil
    if position == nil, !state.filter.isEmpty {
      position = attempt(.queue) { try source.position(of: id, QueueFilter(), now: now()) } ?? nil
      if position != nil {
        state.filter = QueueFilter()
        reload()
      }
    }
    guard position != nil else {
      state.message = StatusMessage("#\(id) \(state.strings[.noticeGone]) \(id)")
      return
    }
    placeSelection(id, previous: [], announce: false)
    detailID = nil
    syncWindow()
  }
}
