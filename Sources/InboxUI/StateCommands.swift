import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

// The reducer's commands: what a key means in each mode, one handler per mode or group.
extension InboxState {
  /// Handles one command in the current mode.
  public mutating func handle(_ command: InboxCommand) -> [InboxEffect] {
    message = nil
    if mode == .help { return handleHelp(command) }
    if mode == .editor || mode == .confirmSend { return handleEditor(command) }
    if mode == .pickCategory { return handlePick(command) }
    if mode == .notices { return handleNotices(command) }
    if let effects = handlePerson(command) { return effects }
    if let effects = handleSupervisor(command) { return effects }
    return handleQueue(command)
  }

  /// Help: scrolling, and closing back where it was opened from.
  private mutating func handleHelp(_ command: InboxCommand) -> [InboxEffect] {
    switch command {
    case .moveDown: helpScroll += 1
    case .moveUp: helpScroll = max(0, helpScroll - 1)
    case .pageDown: helpScroll += max(1, size.height - 3)
    case .pageUp: helpScroll = max(0, helpScroll - max(1, size.height - 3))
    case .top: helpScroll = 0
    case .help, .back, .quit:
      mode = helpReturnMode == .editor && reply != nil ? .editor : baseMode
      helpReturnMode = .queue
    default: break
    }
    // Never past the end: the last line stays on the last row, so `k` moves at once.
    if mode == .help { helpScroll = min(helpScroll, InboxRenderer.helpMaxScroll(self)) }
    return []
  }

  /// The category picker: a number recategorises what it was opened for.
  private mutating func handlePick(_ command: InboxCommand) -> [InboxEffect] {
    let picks: [InboxCommand] = [.pick1, .pick2, .pick3, .pick4, .pick5, .pick6, .pick7]
    if let index = picks.firstIndex(of: command) {
      mode = .queue
      return act(.recategorise(Self.pickOrder[index]), on: pendingTargets)
    }
    if command == .back || command == .quit { mode = .queue }
    return []
  }

  /// The queue (and the detail beside it): every command, each handled or named as doing nothing.
  private mutating func handleQueue(_ command: InboxCommand) -> [InboxEffect] {
    let height = layout.queueListHeight
    let detailDrives = focus == .detail && layout.detail.width > 0
    switch command {
    case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
      return moveInQueue(command, detailDrives: detailDrives, height: height)
    case .toggleDetail:
      if layout.sideBySide {
        detailOpen.toggle()
        focus = .queue
      } else {
        detailOpen.toggle()
        focus = detailOpen ? .detail : .queue
      }
      detailScroll = 0
      return [.syncWindow]
    case .switchFocus:
      if layout.sideBySide && detailOpen { focus = focus == .queue ? .detail : .queue }
      return []
    case .nextUnclaimed:
      return [.jumpToUnclaimed]
    case .claim: return act(.claim)
    case .reopen: return act(.reopen)
    case .watch: return act(.watch)
    case .takeBack:
      guard let row = selectedRow else { return nothingSelected() }
      return [.takeBack(row.id)]
    case .reply, .holdingReply:
      guard let row = selectedRow else { return nothingSelected() }
      return [.openEditor(row.id, command == .holdingReply ? .holding : .reply)]
    case .supervisor:
      return toggleSupervisor()
    case .person:
      return openPerson()
    case .linkIdentity, .unlinkIdentity:
      return []
    case .recategorise:
      guard !targets.isEmpty else { return nothingSelected() }
      pendingTargets = targets
      mode = .pickCategory
      return []
    case .noReply, .snooze, .escalate, .note:
      return openPrompt(command)
    case .openPost:
      return openPost()
    case .filter:
      input = filter.words
      mode = .prompt(.filter)
      // The words a team reaches for, so nobody has to guess them (issue 16).
      message = StatusMessage(FilterWords.hint(strings.language))
      return []
    case .search:
      input = filter.search
      mode = .prompt(.search)
      return []
    case .selectMode:
      selecting.toggle()
      if !selecting { marked.removeAll() }
      message = StatusMessage(strings[selecting ? .selectOn : .selectOff])
      return []
    case .toggleMark:
      guard let row = selectedRow else { return [] }
      selecting = true
      if marked.remove(row.id) == nil { marked.insert(row.id) }
      list.move(by: 1, height: height)
      selectionMoved()
      return [.syncWindow]
    case .markAll:
      selecting = true
      for index in list.visibleRange(height: height) { if let row = row(at: index) { marked.insert(row.id) } }
      return []
    case .help:
      mode = .help
      helpScroll = 0
      return []
    case .back:
      return back()
    case .quit:
      return [.quit]
    case .openView, .allViews, .saveView, .renameView, .deleteView:
      return []
    case .assign:
      return openAssign()
    case .notices:
      return [.openNotices]
    case .submit, .deleteBackward, .complete, .pick1, .pick2, .pick3, .pick4, .pick5, .pick6, .pick7,
      .acknowledge, .resolve, .approve, .sendBack:
      return []
    case .sendReply, .confirmSend, .pickTemplate, .externalEditor, .undo, .redo, .newline, .cursorLeft,
      .cursorRight, .cursorUp, .cursorDown, .lineStart, .lineEnd, .visualLineStart, .visualLineEnd, .wordLeft,
      .wordRight, .deleteForward, .deleteWordBackward, .deleteWordForward, .killLineEnd, .killLineStart,
      .saveSnippet:
      return []
    }
  }

  /// A movement key: scrolls the detail when it has the focus, else moves the queue's selection.
  private mutating func moveInQueue(_ command: InboxCommand, detailDrives: Bool, height: Int) -> [InboxEffect]
  {
    if detailDrives {
      switch command {
      case .moveDown: detailScroll += 1
      case .moveUp: detailScroll = max(0, detailScroll - 1)
      case .pageDown: detailScroll += max(1, layout.detail.height - 2)
      case .pageUp: detailScroll = max(0, detailScroll - max(1, layout.detail.height - 2))
      case .top: detailScroll = 0
      default: detailScroll += 1000
      }
      return []
    }
    switch command {
    case .moveUp: list.move(by: -1, height: height)
    case .moveDown: list.move(by: 1, height: height)
    case .pageUp: list.pageUp(height: height)
    case .pageDown: list.pageDown(height: height)
    case .top: list.home(height: height)
    default: list.end(height: height)
    }
    selectionMoved()
    return [.syncWindow]
  }

  /// Opens the prompt of an action that takes text (a reason, a time, a note) for the targets.
  private mutating func openPrompt(_ command: InboxCommand) -> [InboxEffect] {
    guard !targets.isEmpty else { return nothingSelected() }
    pendingTargets = targets
    let kind: PromptKind = [.noReply: .noReply, .snooze: .snooze, .escalate: .escalate, .note: .note][
      command]!
    // Nothing typed for the responder: a prefilled rule number ran into the reason typed after
    // it ("S3praise, …"). The footer shows the listed reasons, or the rule as a hint.
    input = ""
    mode = .prompt(kind)
    return []
  }

  /// Esc: unmark, then give the queue the focus, then close a narrow detail, then clear the filter.
  private mutating func back() -> [InboxEffect] {
    if !marked.isEmpty || selecting {
      marked.removeAll()
      selecting = false
      return []
    }
    if focus == .detail && layout.sideBySide {
      focus = .queue
      return []
    }
    if !layout.sideBySide && detailOpen {
      detailOpen = false
      focus = .queue
      return [.syncWindow]
    }
    if !filter.isEmpty {
      filter = QueueFilter()
      return [.reload]
    }
    return []
  }

  mutating func nothingSelected() -> [InboxEffect] {
    message = StatusMessage(strings[.nothingSelected], isError: true)
    return []
  }

  /// The action on `ids` (by default the marked mentions, else the selected one), named by id.
  mutating func act(_ action: InboxAction, on ids: [Int64]? = nil) -> [InboxEffect] {
    let ids = ids ?? targets
    guard !ids.isEmpty else { return nothingSelected() }
    return [.perform(action, ids: ids)]
  }
}
