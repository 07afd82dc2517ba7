import Desk
import Foundation
import Inbox
import TerminalUI

/// The person view's own state (issue 16): whose timeline, its header, the loaded pages of it and
/// the selected line.
public struct PersonViewState: Sendable {
  public var active = false
  /// The author the view was opened on (any of the person's identities).
  public var authorID: Int64?
  public var summary: PersonSummary?
  /// The loaded lines, newest first.
  public var items: [TimelineItem] = []
  /// Where the next page starts; nil when the oldest post is loaded.
  public var next: TimelineCursor?
  public var selected = 0
  /// The mention the view was opened from: Esc goes back to it.
  public var origin: Int64?

  public init() {}

  public var selectedItem: TimelineItem? { items.indices.contains(selected) ? items[selected] : nil }

  /// Takes a freshly loaded first page, keeping the selection on the same line where it can.
  public mutating func show(_ summary: PersonSummary, _ page: TimelinePage) {
    let keep = selectedItem
    self.summary = summary
    items = page.items
    next = page.next
    selected = keep.flatMap { items.firstIndex(of: $0) } ?? min(selected, max(0, items.count - 1))
  }

  /// Adds the next page (what the team did on older posts may be newer than some lines: all in
  /// time order again, the selection on the line it was on).
  public mutating func append(_ page: TimelinePage) {
    let keep = selectedItem
    items = Self.ordered(items + page.items)
    next = page.next
    if let keep, let index = items.firstIndex(of: keep) { selected = index }
  }

  /// Newest first; a post before what the team did on it at the same moment.
  public static func ordered(_ items: [TimelineItem]) -> [TimelineItem] {
    items.sorted {
      ($0.at, $0.kind == .mention ? 0 : 1, $0.mentionID) > ($1.at, $1.kind == .mention ? 0 : 1, $1.mentionID)
    }
  }
}

/// What the person view asks the store to do.
public enum PersonAction: Hashable, Sendable {
  case note(String)
  /// Link the person to the identity typed (`platform:@handle`, `@handle`, a mention's id).
  case link(String)
  /// Take the identity of this mention's author out of the person.
  case unlink(mentionID: Int64)
}

/// The person view's words (beside `PersonText`'s, which `repute person` shares).
public enum PersonUIText: String, CaseIterable, Sendable {
  case personOpen, personCmdLink, personCmdUnlink, personPromptNote, personPromptLink, personHint,
    personHintShort, personEmpty,
    personLoading, personNoted, personLinked, personUnlinked, personNotInQueue, personOnlyOne

  static let table: [PersonUIText: (en: String, nl: String)] = [
    .personOpen: ("person view: the author's timeline", "persoon: tijdlijn van de auteur"),
    .personCmdLink: (
      "link another identity to this person", "een andere identiteit aan deze persoon koppelen"
    ),
    .personCmdUnlink: ("unlink the selected line's identity", "identiteit van de gekozen regel ontkoppelen"),
    .personPromptNote: ("note on the person: ", "notitie over de persoon: "),
    .personPromptLink: ("link to (platform:@handle or id): ", "koppel aan (platform:@handle of id): "),
    .personHint: (
      "Enter go to post · N note · L link · U unlink · Esc back",
      "Enter naar bericht · N notitie · L koppel · U ontkoppel · Esc terug"
    ),
    .personHintShort: (
      "Enter post · N note · L link · U unlink · Esc", "Enter bericht · N notitie · L koppel · U los · Esc"
    ),
    .personEmpty: ("No posts.", "Geen berichten."), .personLoading: ("Loading…", "Laden…"),
    .personNoted: ("note on the person saved", "notitie over de persoon bewaard"),
    .personLinked: ("linked", "gekoppeld"), .personUnlinked: ("unlinked", "ontkoppeld"),
    .personNotInQueue: ("is not in this view of the queue", "staat niet in deze weergave van de wachtrij"),
    .personOnlyOne: (
      "this person has one identity: nothing to unlink",
      "deze persoon heeft één identiteit: niets te ontkoppelen"
    ),
  ]
}

extension Strings {
  public subscript(_ key: PersonUIText) -> String {
    let pair = PersonUIText.table[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }
}

extension InboxState {
  /// `p` on a mention: its author's timeline.
  mutating func openPerson() -> [InboxEffect] {
    guard let row = selectedRow else { return nothingSelected() }
    person = PersonViewState()
    person.active = true
    person.origin = row.id
    mode = .person
    return [.openPerson(row.id)]
  }

  /// The person view's handling of a command; nil when the inbox's usual handling applies.
  mutating func handlePerson(_ command: InboxCommand) -> [InboxEffect]? {
    guard person.active else { return nil }
    let count = person.items.count
    let page = max(1, size.height - 8)
    func move(to index: Int) -> [InboxEffect] {
      person.selected = max(0, min(count - 1, index))
      // Near the end of what is loaded: the next page, a page of posts at a time.
      if person.next != nil && person.selected >= count - page { return [.morePerson] }
      return []
    }
    switch command {
    case .moveDown: return move(to: person.selected + 1)
    case .moveUp: return move(to: person.selected - 1)
    case .pageDown: return move(to: person.selected + page)
    case .pageUp: return move(to: person.selected - page)
    case .top: return move(to: 0)
    case .bottom: return move(to: count - 1)
    case .back, .person: return closePerson()
    case .toggleDetail:
      guard let item = person.selectedItem else { return [] }
      person.active = false
      mode = .queue
      return [.jumpToMention(item.mentionID)]
    case .note:
      input = person.summary?.note?.text ?? ""
      mode = .prompt(.personNote)
      return []
    case .linkIdentity:
      input = ""
      mode = .prompt(.personLink)
      return []
    case .unlinkIdentity:
      guard (person.summary?.identities.count ?? 0) > 1 else {
        message = StatusMessage(strings[PersonUIText.personOnlyOne], isError: true)
        return []
      }
      guard let item = person.selectedItem else { return [] }
      return [.personAct(.unlink(mentionID: item.mentionID))]
    case .help, .quit: return nil
    default: return []
    }
  }

  /// Esc: back to the queue, on the mention the view was opened from.
  mutating func closePerson() -> [InboxEffect] {
    person.active = false
    mode = .queue
    return [.syncWindow]
  }

  /// The person view's prompts: the note, the identity to link.
  mutating func submitPersonPrompt(_ kind: PromptKind, _ text: String) -> [InboxEffect] {
    switch kind {
    case .personNote: return [.personAct(.note(text))]
    case .personLink:
      guard !text.isEmpty else { return [] }
      return [.personAct(.link(text))]
    default: return []
    }
  }
}
