import Desk
import Foundation
import Inbox

/// What the inbox asks the store after others' commits (issues 17 and 18): one look
/// (`ChangeFeedSource.look`) brings the change token, what the feed holds after the inbox's mark,
/// the person's unread notices in two numbers, and whether the changes reach the loaded window.
/// On the team's server that is one round trip per commit and per inbox where the calls one by
/// one were four, and it is asked on the reader's thread (`readsInBackground`), so the loop waits
/// for the network only when something on screen must be read again. On a file the calls are
/// microseconds each and the look is asked on the loop, after the file's token moved.
extension InboxApp {
  /// Whether the looks are asked on the reader's thread: a server store's feed. Each then asks
  /// the token too, and is asked after every notification, before anyone knows whether the token
  /// moved.
  var looksInBackground: Bool { readsInBackground && source is any ChangeFeedSource }

  /// Another process committed: what the change feed does not carry is owed a read.
  func othersCommitted() {
    // A view saved in another inbox, and the sources' health (`readOutsideTheFeed`).
    sideReadsOwed = true
    // The open person's note and identities (`followPersonNoteAndLinks`).
    if state.person.active { personCommitted = true }
  }

  /// Others committed and a read is due: a look at the change feed when the source keeps one,
  /// else a reload for any change.
  func takeChanges() {
    guard let feed = source as? any ChangeFeedSource else {
      reloadForAnyChange()
      return
    }
    let question = changeQuestion()
    if readsInBackground {
      follower.lookAsked = true
      backgroundReader().requestLook(question)
      return
    }
    guard let look = attempt(.changes, { try feed.look(question) }) else {
      // Asked again once the interval has passed.
      follower.tokenMoved()
      return
    }
    took(look, for: question)
  }

  /// The question a look asks: the feed after the follower's mark, this person's notices, and the
  /// window's reach for the changes gathered so far with those the feed will name.
  func changeQuestion() -> ChangeQuestion {
    ChangeQuestion(
      mark: follower.feedMark, recipient: noticeSource == nil ? nil : state.actor, reach: reachQuestion())
  }

  /// The window's question (nil where the refresh reloads without asking: anything may have
  /// changed, or the loaded rows neither hold the queue's end nor end on a row).
  func reachQuestion() -> ReachQuestion? {
    guard let pending = follower.pending, follower.mark != nil else { return nil }
    let anchor = windowAtEnd ? nil : state.rows.last?.id
    if anchor == nil && !windowAtEnd { return nil }
    return ReachQuestion(
      ids: pending, newAbove: follower.newAbove, anchor: anchor, filter: state.filter, now: now())
  }

  /// Takes a look's answer: the feed's changes go to the follower (refreshed when due), the notice
  /// line is read again only when the unread notices moved, and the window's answer is kept for
  /// the refresh that asks the same question (`reaches`). An answer to a question asked from
  /// another mark (the feed started again after an own write) is dropped and the look asked again.
  func took(_ look: ChangeLook, for question: ChangeQuestion) {
    // On a file the token is read every pass, on the loop, and moved before this look was asked;
    // a look's older token would only move it back.
    if looksInBackground {
      if look.token != lastToken { othersCommitted() }
      lastToken = look.token
    }
    guard question.mark == follower.feedMark else {
      follower.tokenMoved()
      return
    }
    follower.take(look)
    if let notices = look.notices { followNotices(notices, changed: look.ids) }
    lookReach = nil
    if let reaches = look.reaches, let asked = question.reach, let ids = look.ids {
      let above = asked.newAbove ?? (look.arrived ? question.mark?.newestMention : nil)
      let key = ReachKey(
        ids: asked.ids.union(ids), newAbove: above, anchor: asked.anchor, filter: asked.filter)
      lookReach = (key, reaches)
    }
  }

  /// Reads the notice line again when the unread notices moved (how many, or the newest), or when
  /// the newest one's mention changed (its author's handle is read with it).
  func followNotices(_ mark: NoticeMark, changed: Set<Int64>?) {
    let shown = NoticeMark(unread: state.notices.unread, newest: state.notices.newest?.id ?? 0)
    let newestTouched = state.notices.newest?.mentionID.map { changed?.contains($0) ?? true } ?? false
    if mark != shown || newestTouched { loadNotices() }
  }

  /// On the reader's thread: after a notification a look (someone committed: what changed is
  /// asked at once), otherwise (the fallback's second, every pass while offline) the change token,
  /// and a look once it moved; each answer is taken on a later pass, and the first after an outage
  /// brings the inbox back. A source without a change feed is asked its token only.
  func lookForChanges(_ news: StoreNews) {
    let reader = backgroundReader()
    let feed = source is any ChangeFeedSource
    if news == .notified && feed {
      // The look is the question whether anything changed: asked when due (`takeChanges`).
      follower.tokenMoved()
    } else if news != .nothing {
      reader.requestToken()
    }
    if let answer = reader.takeToken(), let token = attempt(.changes, { try answer.get() }) {
      storeAnswered()
      tokenSeen(token)
    }
    guard feed else { return }
    guard let (question, answer) = reader.takeLook() else { return }
    follower.lookAsked = false
    guard let look = attempt(.changes, { try answer.get() }) else {
      follower.tokenMoved()
      return
    }
    storeAnswered()
    took(look, for: question)
  }
}

/// A window's question without its moment: what a look's answer on the window is kept by, for the
/// refresh that asks the same.
struct ReachKey: Equatable {
  var ids: Set<Int64>
  var newAbove: Int64?
  var anchor: Int64?
  var filter: QueueFilter
}
