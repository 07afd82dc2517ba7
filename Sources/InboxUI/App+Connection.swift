import Desk
import Foundation
import Inbox

/// A source whose store is reached over the network (the team's server): whether it is
/// reconnecting now (`StoreConnection`). A source that is not says nothing, and the inbox treats
/// its failures as before.
public protocol SourceConnection: AnyObject {
  var isReconnecting: Bool { get }
}

/// The inbox while its store is out of reach (issue 19): the status line says "reconnecting…"
/// while the loop goes on drawing and taking keys (every store call fails at once then); the
/// draft being typed goes to this machine (`LocalDrafts`) until the store takes it; an action that
/// did not commit says so and can be done again with the same key, checked first so that one that
/// did commit after all is not done twice; and when the store answers again the window, the counts
/// and the views are read afresh.
extension InboxApp {
  var isReconnecting: Bool { readerStalled || (source as? any SourceConnection)?.isReconnecting == true }

  /// The status line for a failure: "reconnecting…" when the store is out of reach (and the inbox
  /// knows it is offline), else nil (the caller says what failed).
  func outageMessage(_ error: any Error) -> StatusMessage? {
    guard isReconnecting else { return nil }
    offline = true
    return StatusMessage(state.strings[ConnectionText.reconnecting], isError: true)
  }

  /// Whether the status line says something about the outage more precise than "reconnecting…"
  /// (an action not done, a draft kept here), which the next failing read must not replace.
  var showsOutageNotice: Bool {
    guard let text = state.message?.text else { return false }
    return [ConnectionText.notDone, .draftKeptHere].contains { state.strings[$0] == text }
  }

  /// An action that failed: "not done" when the store is out of reach (to be done again), else the
  /// store's reason.
  func actionFailed(_ error: any Error) {
    if outageMessage(error) != nil {
      state.message = StatusMessage(state.strings[ConnectionText.notDone], isError: true)
    } else {
      state.message = StatusMessage("\(error)", isError: true)
    }
  }

  /// Called after a store read went through: when the inbox was offline, everything on screen is
  /// read again (others may have committed meanwhile), and a draft kept on this machine goes to
  /// the store.
  func storeAnswered() {
    guard offline else { return }
    offline = false
    storeReturned?()
    state.message = StatusMessage(
      state.strings[unconfirmed == nil ? ConnectionText.reconnected : ConnectionText.reconnectedRetry],
      isError: unconfirmed != nil)
    detailID = nil
    _ = loadViews()
    reload()
    loadCounts()
    if state.reply != nil, localDraftKept {
      state.reply?.unsaved = true
      saveDraftIfDue(force: true)
    }
    dirty = true
  }

  /// The store would not take the draft: it goes to this machine, and the status line says why
  /// ("reconnecting…" when the store is out of reach, else the store's reason).
  func keepDraftLocally(_ reply: ReplySession, mode: ReplyMode, error: any Error) {
    let outage = outageMessage(error) != nil
    state.message = StatusMessage("\(error)", isError: true)
    guard let localDrafts else {
      if outage { state.message = StatusMessage(state.strings[ConnectionText.reconnecting], isError: true) }
      return
    }
    do {
      try localDrafts.save(
        mentionID: reply.mention.id, actor: state.actor, mode: mode, text: reply.editor.text)
      localDraftKept = true
      if outage { state.message = StatusMessage(state.strings[ConnectionText.draftKeptHere], isError: true) }
    } catch let failure {
      state.message = StatusMessage("\(error); \(failure)", isError: true)
    }
  }

  /// The store took the draft: the copy on this machine goes.
  func draftReachedStore(mentionID: Int64) {
    guard localDraftKept || offline else { return }
    localDrafts?.remove(mentionID: mentionID, actor: state.actor)
    localDraftKept = false
  }

  /// The editor opens: a draft kept on this machine (the inbox ended while the store was away)
  /// takes the place of the store's, and goes to the store at the next save.
  func takeLocalDraft(_ opening: inout ReplyOpening, mentionID: Int64) -> Bool {
    guard let kept = localDrafts?.load(mentionID: mentionID, actor: state.actor), !kept.text.isEmpty,
      kept.text != opening.draft
    else { return false }
    opening.draft = kept.text
    localDraftKept = true
    return true
  }

  /// Before doing an action again that failed for want of the store: whether it was done after
  /// all (the commit went through, its answer was lost), judged by what the store holds now.
  /// Claim and watch toggle, so doing them again would undo them; a note or an escalation would
  /// be written twice. The other actions set a state, and doing them again is harmless.
  func doneAlready(_ action: InboxAction, on ids: [Int64]) -> Bool {
    guard !readerStalled, let failed = unconfirmed, failed.action == action, failed.ids == ids,
      let id = ids.first, let detail = try? source.detail(id: id, now: now())
    else { return false }
    unconfirmed = nil
    switch action {
    case .claim: return detail.row.claimedBy != failed.claimedBy
    case .watch: return failed.watched.map { detail.watched != $0 } ?? false
    case .note(let text): return detail.notes.contains { $0.author == state.actor && $0.text == text }
    case .escalate:
      return detail.escalations.contains { $0.createdBy == state.actor && $0.state != "resolved" }
    default: return false
    }
  }

  /// Remembers an action that failed for want of the store, with what it was to change.
  func rememberUnconfirmed(_ action: InboxAction, on ids: [Int64]) {
    guard isReconnecting, let id = ids.first else { return }
    let row = state.rows.first { $0.id == id }
    let watched = state.detail?.row.id == id ? state.detail?.watched : nil
    unconfirmed = UnconfirmedAction(action: action, ids: ids, claimedBy: row?.claimedBy, watched: watched)
  }
}

/// An action the store may or may not have committed: the connection went before its answer.
struct UnconfirmedAction {
  let action: InboxAction
  let ids: [Int64]
  /// Who held the first mention's claim, and whether its author was watched, before the action.
  let claimedBy: String?
  let watched: Bool?
}

/// The inbox's words for a store out of reach.
public enum ConnectionText: String, CaseIterable, Sendable {
  case reconnecting, reconnected, reconnectedRetry, notDone, draftKeptHere, draftBackFromHere, doneAlready
}

extension Strings {
  public subscript(_ key: ConnectionText) -> String {
    let pair = Self.connectionTable[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }

  static let connectionTable: [ConnectionText: (en: String, nl: String)] = [
    .reconnecting: (
      "reconnecting… (the store is out of reach)", "opnieuw verbinden… (de opslag is onbereikbaar)"
    ),
    .reconnected: ("reconnected: the store is back", "weer verbonden: de opslag is terug"),
    .reconnectedRetry: (
      "reconnected: the store is back; your last action was not done, do it again",
      "weer verbonden: de opslag is terug; je laatste actie is niet gedaan, doe het opnieuw"
    ),
    .notDone: (
      "not done: reconnecting… the store is out of reach; try again when it is back",
      "niet gedaan: opnieuw verbinden… de opslag is onbereikbaar; probeer het opnieuw als die terug is"
    ),
    .draftKeptHere: (
      "reconnecting… your draft is kept on this machine until the store is back",
      "opnieuw verbinden… je concept staat op deze computer tot de opslag terug is"
    ),
    .draftBackFromHere: (
      "your draft is back (kept on this machine)", "je concept is terug (op deze computer bewaard)"
    ),
    .doneAlready: (
      "done already: the store had taken it before the connection went",
      "al gedaan: de opslag had het al voor de verbinding wegviel"
    ),
  ]
}
