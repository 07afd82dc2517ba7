import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

/// `repute snippets`: the team's library of replies beside the policy's templates (issue 16), with
/// the inbox's rules (SnippetDesk) and audit trail. Exit status as the action commands: 0 done,
/// 1 refused by a rule (not a supervisor, four eyes, not proposed, a title taken), 2 store errors
/// and unknown ids, 64 usage.
struct SnippetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snippets",
    abstract: "The team's snippets: list, propose, approve, reject and retire them.",
    discussion: """
      A responder's snippet is proposed and shared once a supervisor approves it (four eyes: not \
      their own); a supervisor's own snippet is shared at once. In the inbox's editor Ctrl-T \
      searches the templates and the approved snippets; Ctrl-S saves the reply as a snippet.
      """,
    subcommands: [
      SnippetsList.self, SnippetsAdd.self, SnippetsApprove.self, SnippetsReject.self, SnippetsRetire.self,
    ],
    defaultSubcommand: SnippetsList.self)

  /// Runs a snippet action as an action command, its refusals as a rule's (exit 1) and an unknown
  /// id as exit 2.
  static func act(
    _ options: StoreOptions, json: Bool, action: String,
    _ body: @escaping (SnippetDesk, String) throws -> (Snippet, String)
  ) throws {
    try ActionRun.run(options, json: json) { context, actor in
      let desk = SnippetDesk(store: context.store, policy: context.policy)
      do {
        let (s, message) = try body(desk, actor)
        return .init(
          id: s.id, action: action, outcome: s.status.rawValue, message: message,
          extra: { w in
            w.string("title", s.title)
            w.string("lang", s.lang)
          })
      } catch let refusal as SnippetRefusal {
        throw ActionRun.Refusal(message: refusal.description)
      } catch let error as SnippetError {
        if case .noSuchSnippet = error { throw InboxError.notFound(error.description) }
        throw ActionRun.Refusal(message: error.description)
      }
    }
  }
}

struct SnippetsList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the approved snippets (--all: proposed, rejected and retired ones too).",
    discussion: """
      With --json, one object per line: id, lang, title, body, status, created_by, created_at, \
      approved_by, approved_at, reviewed_by, review_note.
      """)

  @OptionGroup var options: StoreOptions
  @Option(help: ArgumentHelp("Only snippets in this language.", valueName: "nl|en")) var lang: String?
  @Flag(help: "Every snippet, whatever its status.") var all = false
  @Flag(help: "Print JSON Lines.") var json = false

  func run() throws {
    try guarded {
      let store = try options.open(create: false, reading: true)
      let list = try store.snippets(statuses: all ? [] : [.approved], lang: lang?.lowercased())
      let out = BufferedWriter()
      for s in list { out.line(json ? Self.json(s) : Self.text(s, cut: Output.isTerminal ? 60 : nil)) }
      out.flush()
    }
  }

  static func text(_ s: Snippet, cut: Int?) -> String {
    var body = TerminalSafe.sanitize(s.body, lines: .single)
    if let cut, body.count > cut { body = String(body.prefix(cut - 1)) + "…" }
    var columns = ["#\(s.id)", s.lang, s.status.rawValue, TerminalSafe.sanitize(s.title, lines: .single)]
    columns.append("by " + TerminalSafe.sanitize(s.createdBy))
    if let note = s.reviewNote { columns.append("note: " + TerminalSafe.sanitize(note, lines: .single)) }
    return (columns + [body]).joined(separator: "  ")
  }

  static func json(_ s: Snippet) -> String {
    var w = JSONWriter()
    w.int("id", s.id)
    w.string("lang", s.lang)
    w.string("title", s.title)
    w.string("body", s.body)
    w.string("status", s.status.rawValue)
    w.string("created_by", s.createdBy)
    w.string("created_at", RFC3339.format(s.createdAt))
    w.string("approved_by", s.approvedBy)
    w.string("approved_at", s.approvedAt.map(RFC3339.format))
    w.string("reviewed_by", s.reviewedBy)
    w.string("review_note", s.reviewNote)
    return w.finish()
  }
}

struct SnippetsAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Propose a snippet (a supervisor's is shared at once).",
    discussion: """
      Placeholders are filled when the snippet is picked: {author} {name} {organisation} {facts} \
      {sources} {signature}; any other {word} stays for the responder to fill in, and the reply \
      checks refuse to send it unfilled (S13).
      """)

  @OptionGroup var options: StoreOptions
  @Option(help: "Its title: what the team searches it by.") var title: String
  @Option(help: ArgumentHelp("The language it is written in.", valueName: "nl|en")) var lang: String
  @Option(help: "The snippet's text.") var text: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(title, "--title")
    try requireText(text, "--text")
  }

  func run() throws {
    try SnippetsCommand.act(options, json: json, action: "snippet_add") { desk, actor in
      let s = try desk.add(title: title, lang: lang, body: text, actor: actor)
      let what =
        s.status == .approved
        ? "added and approved" : "proposed: a supervisor approves it before it is shared"
      return (s, "snippet \(s.id) \(what)")
    }
  }
}

struct SnippetsApprove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve", abstract: "Approve a proposed snippet: it is shared with the team (supervisor).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The snippet's id (repute snippets --all).") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try SnippetsCommand.act(options, json: json, action: "snippet_approve") { desk, actor in
      let s = try desk.approve(id: id, actor: actor)
      return (s, "approved snippet \(s.id): the team finds it with Ctrl-T")
    }
  }
}

struct SnippetsReject: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject", abstract: "Reject a proposed snippet with a note for its author (supervisor).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The snippet's id.") var id: Int64
  @Option(help: "Why it is not shared.") var note: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(note, "--note")
  }

  func run() throws {
    try SnippetsCommand.act(options, json: json, action: "snippet_reject") { desk, actor in
      let s = try desk.reject(id: id, note: note, actor: actor)
      return (s, "rejected snippet \(s.id) with the note")
    }
  }
}

struct SnippetsRetire: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retire",
    abstract: "Retire a snippet: no longer offered (a supervisor, or its author for their own proposal).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The snippet's id.") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try SnippetsCommand.act(options, json: json, action: "snippet_retire") { desk, actor in
      let s = try desk.retire(id: id, actor: actor)
      return (s, "retired snippet \(s.id)")
    }
  }
}
