import Desk
import Foundation
import Inbox
import TerminalUI

/// A source that keeps the team's saved views (issue 16): the store, with the policy's views
/// beneath its own (`ViewCatalog`).
public protocol ViewSource: AnyObject {
  /// The views the team sees now, by position.
  func views() throws -> [SavedView]
  /// Saves the filter as the view `name` (or changes that view) as `actor`; returns it as saved.
  func saveView(name: String, filter: String, actor: String) throws -> SavedView
  func renameView(_ name: String, to newName: String, actor: String) throws
  func deleteView(_ name: String, actor: String) throws
  /// The filters whose counts the next count off the inbox's thread should take as well (the
  /// views', after a change); their counts come back in `QueueCounts.views`.
  func countViewsNext(_ filters: [QueueFilter])
}

/// What the inbox asks a `ViewSource` to do.
public enum ViewEffect: Hashable, Sendable {
  /// A view was opened (or left): read the queue's window under the new filter.
  case open
  case save(name: String, filter: String)
  case rename(String, to: String)
  case delete(String)
}

/// One view as the inbox holds it: as saved, and read for the person at the keyboard.
public struct InboxView: Hashable, Sendable {
  public var saved: SavedView
  /// Nil when the filter has words this Repute does not know (saved by a newer one).
  public var filter: QueueFilter?

  public init(saved: SavedView, filter: QueueFilter?) {
    self.saved = saved
    self.filter = filter
  }
}

/// The views' words, in English and Dutch.
public enum ViewText: String, CaseIterable, Sendable {
  case viewKeysTitle, viewCmdView, viewCmdAllOpen, viewCmdSave, viewCmdRename, viewCmdDelete
  case viewPromptSave, viewPromptRename, viewPromptDelete
  case viewNoView, viewNoViewOpen, viewBadView, viewSaved, viewRenamed, viewDeleted, viewAllOpen, viewNotKept,
    viewNeedsName
}

extension Strings {
  public subscript(_ key: ViewText) -> String {
    let pair = Self.viewTable[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }

  static let viewTable: [ViewText: (en: String, nl: String)] = [
    .viewKeysTitle: ("Views", "Weergaven"),
    .viewCmdView: (
      "open the view at this position (again: all open)",
      "open de weergave op deze plek (nogmaals: alles open)"
    ),
    .viewCmdAllOpen: ("back to all open mentions", "terug naar alle open berichten"),
    .viewCmdSave: ("save the filter as a view for the team", "bewaar het filter als weergave voor het team"),
    .viewCmdRename: ("rename the open view", "hernoem de open weergave"),
    .viewCmdDelete: ("delete the open view", "verwijder de open weergave"),
    .viewPromptSave: ("save view as: ", "bewaar weergave als: "),
    .viewPromptRename: ("rename view to: ", "hernoem weergave naar: "),
    .viewPromptDelete: (
      "delete this view? Enter deletes, Esc keeps: ",
      "deze weergave verwijderen? Enter verwijdert, Esc houdt: "
    ),
    .viewNoView: ("no view at", "geen weergave op"),
    .viewNoViewOpen: ("open a view first (1-9)", "open eerst een weergave (1-9)"),
    .viewBadView: (
      "the view has words this Repute does not know", "de weergave heeft woorden die deze Repute niet kent"
    ),
    .viewSaved: ("view saved", "weergave bewaard"),
    .viewRenamed: ("view renamed", "weergave hernoemd"),
    .viewDeleted: ("view deleted", "weergave verwijderd"),
    .viewAllOpen: ("all open", "alles open"),
    .viewNotKept: ("this store keeps no views", "deze opslag bewaart geen weergaven"),
    .viewNeedsName: ("a view needs a name", "een weergave heeft een naam nodig"),
  ]
}

/// The view keys: `1`–`9` open a view, `0` (or the same key again) goes back to all open.
enum ViewKeys {
  /// The queue's own keys: digits are the views' only where no picker takes them.
  static func table(_ s: Strings) -> KeyMap<InboxCommand> {
    var map = KeyMap<InboxCommand>(title: s[ViewText.viewKeysTitle])
    try! map.bind(["1", "2", "3", "4", "5", "6", "7", "8", "9"], to: .openView, s[ViewText.viewCmdView])
    try! map.bind(["0"], to: .allViews, s[ViewText.viewCmdAllOpen])
    try! map.bind(["S"], to: .saveView, s[ViewText.viewCmdSave])
    try! map.bind(["R"], to: .renameView, s[ViewText.viewCmdRename])
    try! map.bind(["D"], to: .deleteView, s[ViewText.viewCmdDelete])
    return map
  }
}

extension InboxState {
  /// The open view: the one last switched to, while the filter is still its filter.
  public var openView: InboxView? {
    guard let position = activeView, let view = views.first(where: { $0.saved.position == position }),
      var current = Optional(filter)
    else { return nil }
    current.search = ""
    return view.filter == current ? view : nil
  }

  /// The filter's words as a view keeps them: `mine`, not the person's own name, so the view is
  /// everyone's own work for everyone.
  var filterAsViewText: String {
    if let open = openView { return open.saved.filter }
    var mine = filter
    var words: [String] = []
    // `mine` reads as claimed by me or assigned to me; `claimed:NAME` alone stays what it says.
    if mine.claimants.contains(actor) && mine.assignees.contains(actor) {
      mine.claimants.remove(actor)
      mine.assignees.remove(actor)
      words.append("mine")
    }
    let rest = mine.words
    return (words + (rest.isEmpty ? [] : [rest])).joined(separator: " ")
  }

  /// The views' commands; nil for any other command.
  mutating func handleViewCommand(_ command: InboxCommand, chord: KeyChord?) -> [InboxEffect]? {
    let viewCommands: Set<InboxCommand> = [.openView, .allViews, .saveView, .renameView, .deleteView]
    guard mode == .queue, viewCommands.contains(command) else { return nil }
    message = nil
    switch command {
    case .openView:
      guard case .character(let c)? = chord?.key, let n = c.wholeNumberValue else { return [] }
      return switchView(n)
    case .allViews:
      return switchView(nil)
    case .saveView:
      input = openView?.saved.name ?? ""
      mode = .prompt(.saveView)
      return []
    case .renameView, .deleteView:
      guard let open = openView else {
        message = StatusMessage(strings[ViewText.viewNoViewOpen], isError: true)
        return []
      }
      input = command == .renameView ? open.saved.name : ""
      if command == .deleteView { message = StatusMessage(open.saved.name) }
      mode = .prompt(command == .renameView ? .renameView : .deleteView)
      return []
    default:
      return nil
    }
  }

  /// Opens the view at `position` (the open one again, or nil: all open mentions).
  mutating func switchView(_ position: Int?) -> [InboxEffect] {
    let search = filter.search
    if let position, openView?.saved.position != position {
      guard let view = views.first(where: { $0.saved.position == position }) else {
        message = StatusMessage("\(strings[ViewText.viewNoView]) \(position)", isError: true)
        return []
      }
      guard let viewFilter = view.filter else {
        message = StatusMessage("\(strings[ViewText.viewBadView]): \(view.saved.name)", isError: true)
        return []
      }
      filter = viewFilter
      activeView = position
    } else {
      filter = QueueFilter()
      activeView = nil
    }
    filter.search = search
    list.home(height: layout.queueListHeight)
    selectedID = nil
    return [.view(.open)]
  }

  /// Submitting a view's prompt.
  mutating func submitViewPrompt(_ kind: PromptKind, _ text: String) -> [InboxEffect] {
    switch kind {
    case .saveView:
      guard !text.isEmpty else {
        message = StatusMessage(strings[ViewText.viewNeedsName], isError: true)
        return []
      }
      return [.view(.save(name: text, filter: filterAsViewText))]
    case .renameView:
      guard let open = openView, !text.isEmpty, text != open.saved.name else { return [] }
      return [.view(.rename(open.saved.name, to: text))]
    case .deleteView:
      guard let open = openView else { return [] }
      return [.view(.delete(open.saved.name))]
    default:
      return []
    }
  }
}
