import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// The editor's picker (`Ctrl-T`): what the responder typed to search with, and the match selected.
public struct SnippetPicker: Hashable, Sendable {
  public var query = ""
  public var selected = 0
  /// What it searches, folded once when it opened (and when the library was read again).
  public var choices: [SnippetSearch.Indexed] = []

  public init(query: String = "", selected: Int = 0, choices: [SnippetChoice] = []) {
    self.query = query
    self.selected = selected
    self.choices = choices.map(SnippetSearch.Indexed.init)
  }
}

extension ReplySession {
  /// The templates and the approved snippets the picker searches.
  public var pickerChoices: [SnippetChoice] {
    SnippetSearch.choices(mode: mode, mention: mention, policy: policy, snippets: snippets)
  }

  /// What the picker shows for its query, best first.
  public var pickerMatches: [SnippetChoice] {
    guard let picker else { return [] }
    return SnippetSearch.search(picker.query, in: picker.choices, lang: ReplyRules.language(of: mention))
  }

  /// The library was read again: the picker searches the new one.
  mutating func takeSnippets(_ fresh: [Snippet]) {
    snippets = fresh
    let choices = pickerChoices.map(SnippetSearch.Indexed.init)
    if picker != nil { picker?.choices = choices }
  }

  /// A choice's text with its placeholders filled for this mention and this responder, and the
  /// placeholders left for the responder to fill.
  public func filled(_ choice: SnippetChoice) -> (text: String, unfilled: [String]) {
    let values = Placeholders.values(
      mention: mention, rumours: rumours, policy: policy, lang: choice.lang, responder: responder)
    let text = Placeholders.fill(choice.text, values)
    return (text, Placeholders.unfilled(in: text))
  }
}

extension InboxState {
  /// Whether the editor fills the screen: writing, or a question, prompt or picker over it.
  public var editorShowing: Bool {
    guard reply != nil else { return false }
    switch mode {
    case .editor, .confirmSend, .pickSnippet, .prompt(.overrideReason), .prompt(.snippetTitle): return true
    default: return false
    }
  }

  /// `Ctrl-T`: opens the picker on the templates and the approved snippets.
  mutating func openSnippetPicker() -> [InboxEffect] {
    guard let r = reply else { return [] }
    guard !r.pickerChoices.isEmpty else {
      message = StatusMessage(strings[SnippetText.nothingToPick], isError: true)
      return []
    }
    reply?.picker = SnippetPicker(choices: r.pickerChoices)
    mode = .pickSnippet
    message = nil
    // What a supervisor approved since the editor opened is offered too.
    return [.snippets(.load)]
  }

  /// A key while the picker is open: typing searches, the arrows choose, Enter inserts, Esc leaves.
  mutating func handlePickerKey(_ chord: KeyChord, keys: ModalKeyMap<InboxMode, InboxCommand>)
    -> [InboxEffect]
  {
    guard var picker = reply?.picker else {
      mode = .editor
      return []
    }
    let count = reply?.pickerMatches.count ?? 0
    if pasting {
      // A paste is text for the query, never a key: its newline must not insert a snippet.
      if case .character(let c) = chord.key, chord.modifiers.isSubset(of: [.shift]) {
        picker.query.append(c)
        picker.selected = 0
        reply?.picker = picker
      }
      return []
    }
    if let command = keys.command(for: chord, in: .pickSnippet) {
      switch command {
      case .moveUp: picker.selected = max(0, picker.selected - 1)
      case .moveDown: picker.selected = max(0, min(count - 1, picker.selected + 1))
      case .deleteBackward:
        if !picker.query.isEmpty { picker.query.removeLast() }
        picker.selected = 0
      case .submit: return insertPicked()
      case .back:
        reply?.picker = nil
        mode = .editor
        return []
      default: break
      }
    } else if case .character(let c) = chord.key, chord.modifiers.isSubset(of: [.shift]) {
      picker.query.append(c)
      picker.selected = 0
    }
    reply?.picker = picker
    return []
  }

  /// Enter in the picker: the selected text, filled in, goes in at the cursor as one undo step.
  /// Into an empty editor, or one still holding the untouched starting template, it replaces the
  /// text instead: picking another template should not stack two greetings.
  mutating func insertPicked() -> [InboxEffect] {
    guard let r = reply, let picker = r.picker else { return [] }
    let matches = r.pickerMatches
    guard matches.indices.contains(picker.selected) else {
      message = StatusMessage(strings[SnippetText.noMatch], isError: true)
      return []
    }
    let choice = matches[picker.selected]
    let (text, unfilled) = r.filled(choice)
    let starting = ReplySession.startingText(
      mode: r.mode, mention: r.mention, rumours: r.rumours, policy: r.policy, earlier: r.earlier)
    let current = r.editor.text
    let replaces = current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || current == starting
    edit { e in
      if replaces {
        e.setText(text)
      } else {
        e.beginPaste()
        e.insert(text)
        e.endPaste()
      }
    }
    reply?.picker = nil
    mode = .editor
    let what = strings[choice.isTemplate ? SnippetText.template : SnippetText.snippet]
    var note = "\(what) \(TerminalSafe.sanitize(choice.title)) \(strings[SnippetText.inserted])"
    if !unfilled.isEmpty {
      note += " — \(strings[SnippetText.fillIn]) \(TerminalSafe.sanitize(unfilled.joined(separator: " ")))"
    }
    message = StatusMessage(note, isError: !unfilled.isEmpty)
    return []
  }

  /// `Ctrl-S`: asks for the title to save the reply under as a snippet.
  mutating func askSnippetTitle() -> [InboxEffect] {
    guard let r = reply else { return [] }
    guard !r.editor.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      message = StatusMessage(strings[SnippetText.nothingToSave], isError: true)
      return []
    }
    input = ""
    message = nil
    mode = .prompt(.snippetTitle)
    return []
  }

  /// A key while the title is asked: Enter saves, Esc goes back to the text unsaved.
  mutating func handleSnippetTitleKey(_ chord: KeyChord, keys: ModalKeyMap<InboxMode, InboxCommand>)
    -> [InboxEffect]
  {
    switch keys.command(for: chord, in: mode) {
    case .deleteBackward?:
      if !input.isEmpty { input.removeLast() }
    case .back?:
      input = ""
      mode = .editor
    case .submit?:
      let title = input.trimmingCharacters(in: .whitespaces)
      input = ""
      mode = .editor
      guard !title.isEmpty else {
        message = StatusMessage(strings[SnippetText.needsTitle], isError: true)
        return []
      }
      return [.snippets(.save(title: title))]
    default:
      if case .character(let c) = chord.key, chord.modifiers.isSubset(of: [.shift]) { input.append(c) }
    }
    return []
  }

  /// The store kept the snippet: say whether it waits for a supervisor, and offer it at once when
  /// it is shared already.
  public mutating func snippetSaved(_ snippet: Snippet) {
    if snippet.status == .approved, let r = reply { reply?.takeSnippets(r.snippets + [snippet]) }
    let text = snippet.status == .approved ? strings[SnippetText.saved] : strings[SnippetText.proposed]
    message = StatusMessage("\(text): #\(snippet.id) \(TerminalSafe.sanitize(snippet.title))")
  }
}

/// What the editor asks of the library.
public enum SnippetEffect: Hashable, Sendable {
  /// Read the approved snippets again (the picker opened).
  case load
  /// Save the editor's text as a snippet under this title (proposed, or shared for a supervisor).
  case save(title: String)
}

extension InboxApp {
  func snippets(_ effect: SnippetEffect) {
    guard let r = state.reply else { return }
    switch effect {
    case .load:
      // A library that cannot be read leaves the one the editor opened with.
      if let fresh = attempt(.snippets, { try source.approvedSnippets() }) {
        state.reply?.takeSnippets(fresh)
      }
    case .save(let title):
      do {
        let saved = try source.saveSnippet(
          mentionID: r.mention.id, title: title, body: r.editor.text, actor: state.actor)
        state.snippetSaved(saved)
        ownWriteSeen()
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    }
  }
}

/// The picker's keys: typing is the query, so only keys that type nothing choose.
enum SnippetPickerKeys {
  static func table(_ s: Strings) -> KeyMap<InboxCommand> {
    var map = KeyMap<InboxCommand>(title: s[SnippetText.keysTitle])
    try! map.bind(["<Enter>"], to: .submit, s[SnippetText.cmdInsert])
    try! map.bind(["<Up>", "<C-p>"], to: .moveUp, s[SnippetText.cmdPrevious])
    try! map.bind(["<Down>", "<C-n>", "<C-t>"], to: .moveDown, s[SnippetText.cmdNext])
    try! map.bind(["<BS>"], to: .deleteBackward, s[.cmdDelete])
    try! map.bind(["<Esc>", "<C-c>"], to: .back, s[SnippetText.cmdCancel])
    return map
  }
}
