import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy

/// A source that passes every call to a real `StoreSource` after `check()`, which a test's
/// subclass makes throw on demand (`FailingSource`, `OutageSource`); `performed()` runs after an
/// action committed.
class CheckedSource: InboxSource {
  let inner: StoreSource

  init(_ inner: StoreSource) { self.inner = inner }

  /// Throws to fail the call before it reaches the store.
  func check() throws {}
  /// Runs after an action committed (to lose its answer).
  func performed() throws {}

  var closing: Closing { inner.closing }
  func changeToken() throws -> Int64 {
    try check()
    return try inner.changeToken()
  }
  func count(_ filter: QueueFilter, now: Date) throws -> Int {
    try check()
    return try inner.count(filter, now: now)
  }
  func window(_ filter: QueueFilter, offset: Int, limit: Int, now: Date) throws -> [QueueRow] {
    try check()
    return try inner.window(filter, offset: offset, limit: limit, now: now)
  }
  func detail(id: Int64, now: Date) throws -> MentionDetail? {
    try check()
    return try inner.detail(id: id, now: now)
  }
  func counts(now: Date) throws -> QueueCounts {
    try check()
    return try inner.counts(now: now)
  }
  func newestID() throws -> Int64 {
    try check()
    return try inner.newestID()
  }
  func arrivals(after id: Int64) throws -> Int {
    try check()
    return try inner.arrivals(after: id)
  }
  func firstUnclaimed(_ filter: QueueFilter, now: Date) throws -> Int? {
    try check()
    return try inner.firstUnclaimed(filter, now: now)
  }
  func perform(_ action: InboxAction, on ids: [Int64], actor: String) throws -> String? {
    try check()
    let done = try inner.perform(action, on: ids, actor: actor)
    try performed()
    return done
  }
  func wakeSnoozed(now: Date) throws -> Int {
    try check()
    return try inner.wakeSnoozed(now: now)
  }
  func contentMark() throws -> [Int64] {
    try check()
    return try inner.contentMark()
  }
  func searchBacklog() throws -> Int {
    try check()
    return try inner.searchBacklog()
  }
  func openReply(mentionID: Int64, actor: String) throws -> ReplyOpening {
    try check()
    return try inner.openReply(mentionID: mentionID, actor: actor)
  }
  func saveDraft(mentionID: Int64, mode: ReplyMode, text: String, actor: String) throws {
    try check()
    try inner.saveDraft(mentionID: mentionID, mode: mode, text: text, actor: actor)
  }
  func assessReply(_ request: ReplyRequest, now: Date) throws -> ReplyAssessment {
    try check()
    return try inner.assessReply(request, now: now)
  }
  func sendReply(_ request: ReplyRequest, now: Date) throws -> SentReply {
    try check()
    return try inner.sendReply(request, now: now)
  }
}
