import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

/// The escalation pane's actions from the command line: list the open escalations, acknowledge,
/// resolve, reassign, note. The same store calls as the pane's `a`, `R`, `A` and `N`, with the
/// same audit trail; a store with a roster lets only its supervisors act (a private store
/// without one: its owner).
struct EscalationsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "escalations",
    abstract: "The supervisor's escalations: list, acknowledge, resolve, reassign, note.",
    discussion: """
      Without a subcommand, lists the open escalations, most severe first, as the escalation pane \
      (the inbox's E) shows them. On a store whose policy has a roster, only a supervisor on it \
      acknowledges, resolves, reassigns or notes (exit 1 otherwise).
      """,
    subcommands: [
      EscalationsListCommand.self, AcknowledgeEscalationCommand.self, ResolveEscalationCommand.self,
      ReassignEscalationCommand.self, NoteEscalationCommand.self,
    ],
    defaultSubcommand: EscalationsListCommand.self)
}

struct EscalationsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "The open escalations, most severe first.")

  @OptionGroup var options: StoreOptions
  @Option(help: "At most this many.") var limit = 200
  @Flag(help: "Print JSON Lines: one object per escalation.") var json = false

  func validate() throws {
    guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
  }

  func run() throws {
    try guarded {
      let store = try options.open(create: false, reading: true)
      let out = BufferedWriter()
      for entry in try store.openEscalations(limit: limit) {
        let e = entry.escalation
        if json {
          var w = JSONWriter()
          w.int("id", e.id)
          w.int("mention_id", e.mentionID)
          w.string("reason", e.reason)
          w.string("state", e.state)
          w.string("owner", e.owner)
          w.int("severity", entry.severity)
          w.int("count", e.count)
          w.string("raised_at", RFC3339.format(e.createdAt))
          w.string("raised_by", e.createdBy)
          w.string("author", entry.mention.author.handle)
          w.string("claimed_by", entry.claimedBy)
          out.line(w.finish())
        } else {
          let owner = e.owner.map { " → \(TerminalSafe.sanitize($0))" } ?? ""
          let times = e.count > 1 ? " ×\(e.count)" : ""
          out.line(
            "#\(e.id)  \(e.state)\(owner)  \(e.reason)\(times)  mention #\(e.mentionID)  "
              + "\(TerminalSafe.sanitize(entry.mention.author.handle))  \(RFC3339.format(e.createdAt))")
        }
      }
      out.flush()
    }
  }
}

/// The rule every escalation action holds: a supervisor on the roster, where there is one.
enum EscalationRun {
  static func run(
    _ options: StoreOptions, json: Bool, action: String, id: Int64,
    _ body: (PolicyContext, String) throws -> ActionRun.Done
  ) throws {
    try ActionRun.run(options, json: json) { context, actor in
      if !context.policy.team.isEmpty, !AssignRule.maySupervise(actor, policy: context.policy) {
        throw ActionRun.Refusal(
          message: "only a supervisor on the roster may \(action) an escalation (\(actor) is not)")
      }
      do {
        return try body(context, actor)
      } catch let error as EscalationError {
        switch error {
        case .noSuchEscalation: throw InboxError.notFound(error.description)
        case .alreadyResolved: throw ActionRun.Refusal(message: error.description)
        }
      }
    }
  }
}

struct AcknowledgeEscalationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "acknowledge", abstract: "Mark an escalation as seen (the pane's a).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The escalation's id (repute escalations).") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try EscalationRun.run(options, json: json, action: "acknowledge", id: id) { context, actor in
      try context.store.acknowledge(escalation: id, actor: actor)
      return .init(
        id: id, action: "acknowledge", outcome: "acknowledged", message: "acknowledged escalation \(id)")
    }
  }
}

struct ResolveEscalationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resolve", abstract: "Resolve an escalation with a note on what was done (the pane's R).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The escalation's id.") var id: Int64
  @Option(help: "What was done; kept with the escalation.") var note: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws { try requireText(note, "--note") }

  func run() throws {
    try EscalationRun.run(options, json: json, action: "resolve", id: id) { context, actor in
      try context.store.resolve(escalation: id, note: note, actor: actor)
      return .init(id: id, action: "resolve", outcome: "resolved", message: "resolved escalation \(id)")
    }
  }
}

struct ReassignEscalationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reassign", abstract: "Hand an escalation to a person on the roster (the pane's A).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The escalation's id.") var id: Int64
  @Option(help: ArgumentHelp("Who handles it: a login, full name or first name.", valueName: "login"))
  var to: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws { try requireText(to, "--to") }

  func run() throws {
    try EscalationRun.run(options, json: json, action: "reassign", id: id) { context, actor in
      // On a roster, the owner is a roster name, as the pane stores it; without one, as typed.
      var owner = to
      if !context.policy.team.isEmpty {
        guard let member = context.policy.member(named: to) else {
          throw ActionRun.Refusal(
            message: AssignRule.Refusal.notOnRoster(to, roster: context.policy.team.map(\.login)).description)
        }
        owner = member.name
      }
      try context.store.reassign(escalation: id, to: owner, actor: actor)
      return .init(
        id: id, action: "reassign", outcome: "reassigned", message: "escalation \(id) is \(owner)'s now",
        extra: { $0.string("owner", owner) })
    }
  }
}

struct NoteEscalationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "note", abstract: "Add a note to an escalation (the pane's N).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The escalation's id.") var id: Int64
  @Option(help: "The note.") var text: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws { try requireText(text, "--text") }

  func run() throws {
    try EscalationRun.run(options, json: json, action: "note", id: id) { context, actor in
      try context.store.addNote(escalation: id, text: text, actor: actor)
      return .init(id: id, action: "escalation_note", outcome: "noted", message: "noted on escalation \(id)")
    }
  }
}
