import Desk
import Foundation
import Inbox
import TerminalUI

/// The person view's store side (issue 16): the header and the first page of the timeline when
/// `p` is pressed, a page more as the selection nears the end, and the note and links.
extension InboxApp {
  /// Posts per page of the timeline: a page is read from the author index and a few indexes by
  /// mention, so opening a person with a thousand posts costs what opening one with a hundred does.
  static let timelinePage = 100

  /// Carries out the person view's effects; false for any other effect.
  func applyPerson(_ effect: InboxEffect) -> Bool {
    switch effect {
    case .openPerson(let mentionID):
      guard let people = personStore else {
        state.person.active = false
        state.mode = .queue
        return true
      }
      do {
        guard let identity = try people.identity(mentionID: mentionID) else {
          state.person.active = false
          state.mode = .queue
          return true
        }
        state.person.authorID = identity.authorID
        loadPerson(people)
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .morePerson:
      guard let people = personStore, let author = state.person.authorID, let next = state.person.next else {
        return true
      }
      if let page = attempt(
        .person, { try people.timeline(of: author, after: next, limit: Self.timelinePage) })
      {
        state.person.append(page)
      }
    case .personAct(let action):
      guard let people = personStore, let author = state.person.authorID else { return true }
      let s = state.strings
      do {
        switch action {
        case .note(let text):
          try people.setPersonNote(of: author, text: text, actor: state.actor)
          state.message = StatusMessage(s[PersonUIText.personNoted])
        case .link(let text):
          guard let ref = PersonRef.parse(text) else {
            state.message = StatusMessage("\(s[PersonUIText.personPromptLink])\(text)?", isError: true)
            return true
          }
          let other = try people.resolve(ref)
          try people.link(author, with: other.authorID, actor: state.actor)
          state.message = StatusMessage(
            "\(s[PersonUIText.personLinked]) @\(other.handle) (\(other.platform))")
        case .unlink(let mentionID):
          guard let identity = try people.identity(mentionID: mentionID) else { return true }
          // The view stays on the identity it was opened on, with whoever is still linked to it.
          try people.unlink(identity.authorID, actor: state.actor)
          state.message = StatusMessage(
            "\(s[PersonUIText.personUnlinked]) @\(identity.handle) (\(identity.platform))")
        }
        // The detail of each of their mentions shows the note: read it again when shown.
        detailID = nil
        loadPerson(people)
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .jumpToMention(let id):
      let found = attempt(.queue) { try source.position(of: id, state.filter, now: now()) } ?? nil
      guard found != nil else {
        state.message = StatusMessage("#\(id) \(state.strings[PersonUIText.personNotInQueue])", isError: true)
        syncWindow()
        return true
      }
      placeSelection(id, previous: [], announce: false)
      if !state.layout.sideBySide {
        state.detailOpen = true
        state.focus = .detail
      }
      syncWindow()
    default:
      return false
    }
    return true
  }

  /// Reads the header and the first page again (after opening, or after a change to the person;
  /// then as many posts as were loaded, so the lines scrolled to stay).
  func loadPerson(_ people: any PersonStore, again: Bool = false) {
    guard let author = state.person.authorID else { return }
    let time = now()
    let posts = state.person.items.lazy.filter { $0.kind == .mention }.count
    let limit = again ? max(Self.timelinePage, posts) : Self.timelinePage
    guard let summary = attempt(.person, { try people.person(of: author, now: time) }),
      let page = attempt(.person, { try people.timeline(of: author, after: nil, limit: limit) })
    else { return }
    state.person.show(summary, page)
    personMark = (people as? any PersonChangeSource).flatMap { follow in
      attempt(.person) { try follow.personMark(of: author) }
    }
  }
}
