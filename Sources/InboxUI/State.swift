import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// What the reducer asks the app to do with the outside world.
public enum InboxEffect: Hashable, Sendable {
  /// Make sure the rows on screen are loaded (and the detail of the selected one).
  case syncWindow
  /// Reload the count and the window (the filter or the search changed).
  case reload
  case perform(InboxAction, ids: [Int64])
  case jumpToUnclaimed
  /// Load the person's notices and show them (`m`).
  case openNotices
  /// Mark the notice read and go to its mention.
  case openNotice(Notice)
  /// Load the supervisor's board (the escalation pane is showing).
  case loadBoard
  case supervise(SupervisorAction)
  /// Open the reply editor on a mention (loads its draft, earlier replies and the policy).
  case openEditor(Int64, ReplyMode)
  /// Take the actor's reply on this mention back from the outbox into the editor (undo).
  case takeBack(Int64)
  /// Leave the editor, saving the draft now.
  case closeEditor
  /// Ask the store what sending would collide with (teammates, earlier replies, S11).
  case assessReply
  /// Put the reply in the outbox (after `y` where something asked).
  case sendReply
  /// Hand the text to `$EDITOR` with the terminal suspended.
  case externalEditor
  /// Save, rename or delete a view (Views.swift).
  case view(ViewEffect)
  /// The editor's snippets: read the library afresh, or save the text as one (SnippetPicker.swift).
  case snippets(SnippetEffect)
  /// Open the post's link in the browser (`O`), or show it when nothing can.
  case openLink(PostLink)
  /// Put the link on the clipboard through the terminal (OSC 52), after `y`.
  case copyLink(PostLink)
  /// Open the person view on the author of this mention (issue 16).
  case openPerson(Int64)
  /// Load the next page of the person's timeline.
  case morePerson
  case personAct(PersonAction)
  /// Leave the person view for this mention in the queue.
  case jumpToMention(Int64)
  case quit
}

/// Which pane the movement keys drive when both are shown.
public enum Focus: Hashable, Sendable {
  case queue
  case detail
}

/// A message in the status line.
public struct StatusMessage: Hashable, Sendable {
  public var text: String
  public var isError: Bool

  public init(_ text: String, isError: Bool = false) {
    self.text = text
    self.isError = isError
  }
}

/// Where each part of the screen goes for a given size.
public struct ScreenLayout: Hashable, Sendable {
  public static let minimum = Size(width: 60, height: 16)
  /// From this width the queue and the detail stand side by side.
  public static let sideBySideWidth = 110

  public var size: Size
  public var tooSmall: Bool
  public var sideBySide: Bool
  public var statusLine: Rect
  public var footer: Rect
  /// The queue pane (header row included); empty when the detail fills a narrow screen.
  public var queue: Rect
  public var detail: Rect

  public init(size: Size, detailOpen: Bool) {
    self.size = size
    tooSmall = size.width < Self.minimum.width || size.height < Self.minimum.height
    sideBySide = size.width >= Self.sideBySideWidth
    statusLine = Rect(row: 0, column: 0, width: size.width, height: 1)
    footer = Rect(row: max(0, size.height - 1), column: 0, width: size.width, height: 1)
    let body = Rect(row: 1, column: 0, width: size.width, height: max(0, size.height - 2))
    if !detailOpen {
      queue = body
      detail = Rect(row: body.row, column: body.column + body.width, width: 0, height: 0)
    } else if sideBySide {
      let queueWidth = max(60, size.width * 11 / 20)
      queue = Rect(row: body.row, column: 0, width: queueWidth, height: body.height)
      detail = Rect(
        row: body.row, column: queueWidth + 1, width: max(0, size.width - queueWidth - 1), height: body.height
      )
    } else {
      queue = Rect(row: body.row, column: 0, width: 0, height: 0)
      detail = body
    }
  }

  /// Rows of mentions the queue pane shows (below its header).
  public var queueListHeight: Int { max(0, queue.height - 1) }
}

/// The whole state of the inbox: pure data, changed only by `handle(_:)` and the app's loads.
public struct InboxState: Sendable {
  public static let pickOrder: [Category] = [
    .complaint, .question, .misinformation, .unfounded, .praise, .selfPraise, .neutral,
  ]

  public var strings: Strings
  public var actor: String
  public var storeLabel: String
  public var size: Size
  public var now: Date
  /// The zone clock times are shown in (the local one; tests fix it).
  public var timeZone: TimeZone = .current
  public var mode: InboxMode = .queue
  public var detailOpen: Bool
  public var focus: Focus = .queue
  public var list = ListViewState()
  /// The loaded window of the queue: rows `windowOffset ..< windowOffset + rows.count`.
  public var windowOffset = 0
  public var rows: [QueueRow] = []
  /// The selected mention: what the `▸`, the detail and every action are on. The list's index
  /// follows it (recomputed whenever the window reloads), never the other way round, so rows
  /// arriving above or a teammate's change cannot move the selection to someone else.
  public var selectedID: Int64?
  /// The mentions a prompt or the category picker will act on, taken when it opened: what
  /// arrives while the responder types cannot change who the action is for.
  public var pendingTargets: [Int64] = []
  public var detail: MentionDetail?
  /// The mention whose detail is on its way from the store (read off the loop's thread): until it
  /// comes the pane shows the row's summary and "…" (or the detail shown before, when it is the
  /// same mention's).
  public var detailLoading: Int64?
  public var detailScroll = 0
  public var helpScroll = 0
  public var counts: QueueCounts?
  /// The live sources' health, when the store has any (issue 7).
  public var sourceHealth: SourceHealth?
  public var newArrivals = 0
  public var marked: Set<Int64> = []
  public var selecting = false
  public var filter = QueueFilter()
  /// The team's views (`1`–`9`), the position of the one last opened, and the views' counts by
  /// filter (counted off the key path, after changes: `InboxApp.loadViewCounts`).
  public var views: [InboxView] = []
  public var activeView: Int?
  public var viewCounts: [QueueFilter: Int] = [:]
  public var input = ""
  public var message: StatusMessage?
  /// Set when the theme could not be loaded (shown until the first key).
  public var themeProblem: String?
  /// The supervisor's escalation pane (`E`, `repute inbox --supervisor`).
  public var supervisor = SupervisorViewState()
  /// The person view (`p`, issue 16).
  public var person = PersonViewState()
  /// The reply being written while the editor is open (EditorState.swift).
  public var reply: ReplySession?
  /// Between the terminal's paste markers: keys are text, never commands.
  public var pasting = false
  /// Where closing help goes back to (the editor, when help was opened from it).
  public var helpReturnMode: InboxMode = .queue
  /// The reasons each category may be closed without a reply with (the policy's `[closing]`).
  public var closing = Closing()
  /// The link the copy question (`confirmCopy`) is about.
  public var pendingLink: PostLink?
  /// The person's unread notices, for the notice line (issue 16).
  public var notices = NoticeSummary()
  /// The notices list (`m`): loaded when it opens, and its selection.
  public var noticeList: [Notice] = []
  public var noticeSelected = 0
  /// Whether the person may assign (a supervisor on the roster), and the roster's logins and
  /// names the assign prompt completes.
  public var mayAssign = false
  public var assignable: [String] = []
  /// The policy's roster: `claimed:`/`assigned:` in a filter read a login or first name by it.
  public var team: [TeamMember] = []

  public init(strings: Strings, actor: String, storeLabel: String, size: Size, now: Date) {
    self.strings = strings
    self.actor = actor
    self.storeLabel = storeLabel
    self.size = size
    self.now = now
    detailOpen = size.width >= ScreenLayout.sideBySideWidth
  }

  public var layout: ScreenLayout { ScreenLayout(size: size, detailOpen: detailOpen) }

  /// The row at an absolute queue index, when it is loaded.
  public func row(at index: Int) -> QueueRow? {
    let local = index - windowOffset
    return local >= 0 && local < rows.count ? rows[local] : nil
  }

  /// The selected mention's row, when it is loaded.
  /// Before the app has placed a selection (nil id), the row at the list's index.
  public var selectedRow: QueueRow? {
    guard let selectedID else { return list.selected.flatMap { row(at: $0) } }
    return rows.first { $0.id == selectedID }
  }

  /// The mentions an action applies to: every marked one, else the selected one.
  public var targets: [Int64] {
    if !marked.isEmpty { return marked.sorted() }
    return (selectedID ?? selectedRow?.id).map { [$0] } ?? []
  }

  /// The list's index moved (a key, a click, a jump): the selection is the mention there, or
  /// none until the app has loaded that row (`InboxApp.syncWindow`).
  public mutating func selectionMoved() {
    selectedID = list.selected.flatMap { row(at: $0)?.id }
  }

  // MARK: - The reducer

  /// Handles one terminal event; returns what the app must do next.
  public mutating func handle(_ event: TerminalUI.Event, keys: ModalKeyMap<InboxMode, InboxCommand>)
    -> [InboxEffect]
  {
    switch event {
    case .resize(let newSize):
      let wasSideBySide = layout.sideBySide
      size = newSize
      if layout.sideBySide != wasSideBySide { detailOpen = layout.sideBySide }
      if !layout.sideBySide && detailOpen { focus = .detail }
      list.scrollToSelection(height: layout.queueListHeight)
      return [.syncWindow]
    case .terminated:
      return [.quit]
    case .mouse(let mouse):
      if editorShowing { return [] }
      if supervisor.active { return handleSupervisorMouse(mouse) }
      if person.active { return [] }
      return handleMouse(mouse)
    case .pasteBegin:
      pasting = true
      if mode == .editor { reply?.editor.beginPaste() }
      return []
    case .pasteEnd:
      pasting = false
      if mode == .editor { reply?.editor.endPaste() }
      return []
    case .key(let chord):
      if themeProblem != nil { themeProblem = nil }
      if mode == .editor { return handleEditorKey(chord, keys: keys) }
      if mode == .confirmSend { return handleConfirmKey(chord, keys: keys) }
      if mode == .confirmCopy { return handleCopyKey(chord) }
      if mode == .pickSnippet { return handlePickerKey(chord, keys: keys) }
      if mode == .prompt(.snippetTitle) { return handleSnippetTitleKey(chord, keys: keys) }
      if case .prompt(let kind) = mode {
        if let command = keys.command(for: chord, in: mode) { return handlePrompt(command, kind: kind) }
        if case .character(let c) = chord.key, chord.modifiers.isSubset(of: [.shift]) { input.append(c) }
        return []
      }
      // A paste outside a text field is not a string of commands.
      if pasting { return [] }
      guard let command = keys.command(for: chord, in: mode) else { return [] }
      if let effects = handleViewCommand(command, chord: chord) { return effects }
      return handle(command)
    }
  }

  private mutating func handleMouse(_ mouse: MouseEvent) -> [InboxEffect] {
    let layout = self.layout
    let height = layout.queueListHeight
    let inQueue = layout.queue.contains(mouse.position)
    switch mouse.action {
    case .wheelUp, .wheelDown:
      let delta = mouse.action == .wheelUp ? -3 : 3
      if layout.detail.contains(mouse.position) {
        detailScroll = max(0, detailScroll + delta)
        return []
      }
      list.scroll(by: delta, height: height)
      selectionMoved()
      return [.syncWindow]
    case .press(.left):
      if inQueue, let index = list.row(atLine: mouse.position.row - layout.queue.row - 1, height: height) {
        list.select(index, height: height)
        selectionMoved()
        focus = .queue
        return [.syncWindow]
      }
      if layout.detail.contains(mouse.position) { focus = .detail }
      return []
    default:
      return []
    }
  }
}
