import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

// The reducer's prompts: what they hint and accept, and what submitting one does.
extension InboxState {
  /// The rule that lets the selected mention go without a reply, shown as a hint in the prompt.
  public var noReplyRule: String? {
    switch selectedRow?.mention.category {
    case .unfounded?: return "S8"
    case .praise?: return "S3"
    case .selfPraise?: return "S5"
    default: return nil
    }
  }

  /// The categories of the mentions an action applies to, as far as they are loaded.
  var targetCategories: [Category?] {
    // While a prompt is open, the mentions it was opened for (arrivals may move the selection).
    var prompting = false
    if case .prompt = mode { prompting = true }
    let ids = Set(prompting && !pendingTargets.isEmpty ? pendingTargets : targets)
    return rows.filter { ids.contains($0.id) }.map(\.mention.category)
  }

  /// The listed reasons the no-reply prompt offers: those of the first target whose category
  /// takes a listed reason; nil when every target may close with a free one.
  public var listedNoReplyReasons: [String]? {
    targetCategories.lazy.compactMap { self.closing.reasons(for: $0) }.first
  }

  /// The reason the no-reply prompt's text stands for with every target (a number or the start of
  /// a listed reason becomes that reason); nil when it does not stand for a listed one.
  public func noReplyReason(_ text: String) -> String? {
    let categories = targetCategories.isEmpty ? [nil] : targetCategories
    let chosen = categories.map { closing.reason(text, for: $0) }
    guard let first = chosen.first, let reason = first, chosen.allSatisfy({ $0 == reason }) else {
      return nil
    }
    return reason
  }

  /// When a snooze typed in the prompt would end past the selected mention's target: that target.
  public func snoozeOutlasts(_ text: String) -> (until: Date, target: Date)? {
    guard let until = Snooze.parse(text, now: now, timeZone: timeZone),
      let target = selectedRow?.mention.nextDeadline, until > target
    else { return nil }
    return (until, target)
  }

  mutating func handlePrompt(_ command: InboxCommand, kind: PromptKind) -> [InboxEffect] {
    switch command {
    case .deleteBackward:
      if !input.isEmpty { input.removeLast() }
      return []
    case .complete:
      if kind == .assign { completeAssignee() }
      return []
    case .back:
      mode = baseMode
      input = ""
      if kind == .overrideReason { return submitOverrideReason(nil) }
      return []
    case .submit:
      mode = baseMode
      let text = input.trimmingCharacters(in: .whitespaces)
      input = ""
      switch kind {
      case .overrideReason:
        return submitOverrideReason(text)
      case .search:
        filter.search = text
        list.home(height: layout.queueListHeight)
        selectedID = nil
        return [.reload]
      case .filter:
        let (parsed, unknown) = QueueFilter.parse(
          text, strings: strings, me: actor, timeZone: timeZone, team: team)
        if !unknown.isEmpty {
          message = StatusMessage("\(strings[.badFilter]): \(unknown.joined(separator: " "))", isError: true)
          return []
        }
        if let (word, candidates) = FilterWords.ambiguous(text, team: team).first {
          // Two Annas: the filter would silently mean one of them.
          message = StatusMessage(
            "\(word) \(strings[.ambiguousName]): \(candidates.joined(separator: " / "))", isError: true)
          return []
        }
        let search = filter.search
        filter = parsed
        filter.search = search
        list.home(height: layout.queueListHeight)
        selectedID = nil
        return [.reload]
      case .noReply:
        guard let reason = noReplyReason(text) else {
          // Not a listed reason: the prompt stays open with the text, to be put right.
          mode = .prompt(.noReply)
          input = text
          message = StatusMessage(strings[.badReason], isError: true)
          return []
        }
        message = nil
        return act(.noReply(reason: reason), on: pendingTargets)
      case .snooze:
        guard let until = Snooze.parse(text, now: now, timeZone: timeZone) else {
          message = StatusMessage(strings[.badSnooze], isError: true)
          return []
        }
        return act(.snooze(until: until), on: pendingTargets)
      case .escalate:
        return act(.escalate(note: text), on: pendingTargets)
      case .note:
        guard !text.isEmpty else { return [] }
        return act(.note(text), on: pendingTargets)
      case .assign:
        guard !text.isEmpty else { return [] }
        return act(.assign(to: text), on: pendingTargets)
      case .resolve, .reassign, .sendBack, .escalationNote, .rejectSnippet:
        return submitSupervisorPrompt(kind, text)
      case .saveView, .renameView, .deleteView:
        return submitViewPrompt(kind, text)
      case .snippetTitle:
        return []  // the editor asks it (SnippetPicker.swift)
      case .personNote, .personLink:
        return submitPersonPrompt(kind, text)
      }
    default:
      return []
    }
  }
}
