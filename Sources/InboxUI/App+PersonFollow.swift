import Desk
import Foundation
import Inbox

/// The open person view follows other processes' changes (issue 16), without polling: a change
/// the feed reports to one of the person's mentions (a new post, a reply, a claim) reloads the
/// timeline with the queue's refresh, so as often as that at most; a commit that touched no
/// mention may have changed the person's note or links, which one small read tells, at most once
/// per `refreshInterval` as well.
extension InboxApp {
  /// With the queue's refresh: reload when the changes reach the person's mentions.
  func followPerson(_ changes: PendingChanges) {
    guard state.person.active, let people = personStore, let author = state.person.authorID else { return }
    var touched = true
    if let ids = changes.ids, let follow = people as? any PersonChangeSource {
      touched =
        attempt(.person) { try follow.touchesPerson(of: author, ids: ids, newAbove: changes.newAbove) }
        ?? false
    }
    if touched { reloadPerson(people) }
  }

  /// After another process's commit: reload when the person's note or identities changed.
  func followPersonNoteAndLinks() {
    guard personCommitted, state.person.active, let people = personStore, let author = state.person.authorID,
      let follow = people as? any PersonChangeSource
    else { return }
    let time = Date()
    guard time.timeIntervalSince(lastPersonCheck) >= refreshInterval else { return }
    lastPersonCheck = time
    personCommitted = false
    let mark = attempt(.person) { try follow.personMark(of: author) }
    if mark != nil, mark != personMark { reloadPerson(people) }
  }

  /// Reads the header and the loaded lines again; a frame only when they changed.
  private func reloadPerson(_ people: any PersonStore) {
    let (summary, items) = (state.person.summary, state.person.items)
    loadPerson(people, again: true)
    if state.person.summary != summary || state.person.items != items { dirty = true }
  }
}
