import ArgumentParser
import Foundation
import Inbox
import Policy
import Store

/// Every action of the inbox as a command, for scripts and bots (issue 16): the same store
/// writes, rules and audit events as the inbox's keys. Each takes `--store`, `--as` and `--json`.
///
/// Exit status, as `repute reply` has it: 0 done (or already so: nothing written, and said),
/// 1 refused by a rule (someone else's claim, a closing reason not on the policy's list, four
/// eyes, a reply not waiting for approval), 2 store errors and unknown ids, 64 usage.
enum ActionRun {
  /// What an action did: one line for a person, one JSON object for a script.
  struct Done {
    var id: Int64
    var action: String
    var outcome: String
    var message: String
    /// Fields of the JSON object beyond id, action, outcome and actor.
    var extra: ((inout JSONWriter) -> Void)? = nil
  }

  /// Opens the store and the policy, resolves the person (a roster member), runs `body` and
  /// prints what it did; a rule's refusal exits 1 with the reason on stderr.
  static func run(
    _ options: StoreOptions, json: Bool, acting: StoreOptions.Acting = .person,
    _ body: (PolicyContext, String) throws -> Done
  ) throws {
    let (context, actor) = try guarded { () throws -> (PolicyContext, String) in
      let context = try PolicyContext.open(options, create: false)
      return (context, try context.actor(options, acting: acting))
    }
    let done: Done
    do {
      done = try guarded { try body(context, actor) }
    } catch let refusal as Refusal {
      throw fail(refusal.message, code: 1)
    } catch let error as ActionError {
      switch error {
      case .noSuchMention, .erased: throw fail(error.description, code: 2)
      case .notClosed, .reasonNotListed: throw fail(error.description, code: 1)
      }
    } catch let error as OutboxError {
      switch error {
      case .noSuchReply: throw fail(error.description, code: 2)
      default: throw fail(error.description, code: 1)
      }
    }
    if json {
      var w = JSONWriter()
      w.int("id", done.id)
      w.string("action", done.action)
      w.string("outcome", done.outcome)
      w.string("actor", actor)
      done.extra?(&w)
      Output.line(w.finish())
    } else {
      Output.line(done.message)
    }
  }

  /// A rule said no: exit 1 with `message`.
  struct Refusal: Error {
    var message: String
  }

  /// The mention, or exit 2 naming the id.
  static func mention(_ context: PolicyContext, _ id: Int64) throws -> Mention {
    guard let mention = try context.store.mention(id: id) else {
      throw InboxError.notFound("no mention with id \(id)")
    }
    return mention
  }

  /// A time as the person reads it: weekday, day, month and time in the policy's zone.
  static func when(_ date: Date, _ context: PolicyContext) -> String {
    let zone = context.policy.serviceHours?.timeZone ?? .current
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_GB")
    formatter.timeZone = zone
    formatter.dateFormat = "EEE d MMM HH:mm"
    return "\(formatter.string(from: date)) (\(RFC3339.format(date)))"
  }
}

struct ClaimCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "claim",
    abstract: "Claim a mention, so teammates see you are on it.",
    discussion: """
      Someone else's claim is kept (exit 1, naming them) unless --take-over, which takes it over as \
      the inbox's c does and says so in the audit trail. Your own claim: exit 0, nothing written.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention (the first column of repute list).") var id: Int64
  @Flag(name: .customLong("take-over"), help: "Take the claim over from a teammate.") var takeOver = false
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      switch try context.store.claim(id: id, actor: actor, takeOver: takeOver) {
      case .claimed:
        return .init(id: id, action: "claim", outcome: "claimed", message: "claimed \(id)")
      case .alreadyYours:
        return .init(
          id: id, action: "claim", outcome: "already_yours", message: "\(id) is claimed by you already")
      case .takenOver(let from):
        return .init(
          id: id, action: "claim", outcome: "taken_over", message: "claimed \(id), taken over from \(from)",
          extra: { $0.string("from", from) })
      case .heldBy(let holder, let since):
        let when = since.map { " since \(ActionRun.when($0, context))" } ?? ""
        throw ActionRun.Refusal(
          message: "mention \(id) is claimed by \(holder)\(when); --take-over takes it over")
      }
    }
  }
}

struct ReleaseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "release", abstract: "Release your claim on a mention.",
    discussion: "A teammate's claim is theirs to release (exit 1); no claim: exit 0, nothing written.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      switch try context.store.release(id: id, actor: actor) {
      case .released: return .init(id: id, action: "release", outcome: "released", message: "released \(id)")
      case .notClaimed:
        return .init(id: id, action: "release", outcome: "not_claimed", message: "\(id) was not claimed")
      case .heldBy(let holder):
        throw ActionRun.Refusal(
          message: "mention \(id) is claimed by \(holder), not by you: only they release it")
      }
    }
  }
}

struct SnoozeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snooze", abstract: "Put a mention aside until a time; it comes back by itself.",
    discussion: """
      WHEN: 30m, 2h, 2d, a time of day 17:00 (tomorrow when past), or a local date and time \
      2026-12-08T09:00 (in the service hours' zone). A snooze never hides a deadline: when the \
      mention's target passes first it is back in the queue as overdue; a snooze that outlasts the \
      target is done, with a warning on stderr.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Option(help: ArgumentHelp("Until when (see below).", valueName: "when")) var until: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      let mention = try ActionRun.mention(context, id)
      let now = context.store.clock.now()
      let zone = context.policy.serviceHours?.timeZone ?? .current
      guard let date = Snooze.parse(until, now: now, timeZone: zone) else {
        throw InboxError.invalidArgument(
          "--until \(until): say 30m, 2h, 2d, 17:00 or 2026-12-08T09:00")
      }
      guard date > now else {
        throw ActionRun.Refusal(
          message: "--until \(until) is not in the future (\(ActionRun.when(date, context)))")
      }
      try context.store.snooze(ids: [id], until: date, actor: actor)
      if let target = mention.nextDeadline, date > target {
        Output.error(
          "warning: mention \(id)'s target passes at \(ActionRun.when(target, context)), before the snooze ends: "
            + "it is back in the queue as overdue then")
      }
      return .init(
        id: id, action: "snooze", outcome: "snoozed",
        message: "snoozed \(id) until \(ActionRun.when(date, context))",
        extra: { $0.string("until", RFC3339.format(date)) })
    }
  }
}

struct NoReplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "no-reply", abstract: "Close a mention on purpose without a reply (S3, S5, S7, S8).",
    discussion: """
      A complaint or a question closes only with one of the policy's reasons for its category \
      ([closing]; by default: handled offline (S7), duplicate, spam, not about us), given as the \
      reason, its number or the start of it; exit 1 lists them. It counts in the figures as closed \
      without reply, never as answered within target.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Option(help: "Why no reply.") var reason: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      try context.store.decideNoReply(ids: [id], reason: reason, policy: context.policy, actor: actor)
      let stored = try context.store.entry(id: id)?.noReplyReason ?? reason
      return .init(
        id: id, action: "no_reply", outcome: "closed", message: "closed \(id) without a reply: \(stored)",
        extra: { $0.string("reason", stored) })
    }
  }
}

struct ReopenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reopen", abstract: "Reopen a mention closed by a reply or a no-reply decision.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      try context.store.reopen(ids: [id], actor: actor)
      return .init(id: id, action: "reopen", outcome: "reopened", message: "reopened \(id)")
    }
  }
}

struct RecategoriseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recategorise", abstract: "Set a mention's category by hand; its deadlines follow.",
    discussion: "Categories: \(Category.allCases.map(\.rawValue).joined(separator: ", ")).",
    aliases: ["recategorize"])

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Argument(help: "The category.") var category: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      guard let chosen = Category(rawValue: category.lowercased().replacingOccurrences(of: "-", with: "_"))
      else {
        throw InboxError.invalidArgument(
          "no category \(category): \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      try context.store.recategorise(ids: [id], to: chosen, policy: context.policy, actor: actor)
      return .init(
        id: id, action: "recategorise", outcome: "recategorised",
        message: "\(id) is a \(chosen.rawValue) now",
        extra: { $0.string("category", chosen.rawValue) })
    }
  }
}

/// `repute watch ID` and `repute unwatch ID`: the author of the mention (S8). (`repute watch`
/// without an id polls the live sources; see `WatchCommand`.)
enum AuthorWatch {
  static func run(_ options: StoreOptions, id: Int64, watching: Bool, json: Bool) throws {
    try ActionRun.run(options, json: json) { context, actor in
      let mention = try ActionRun.mention(context, id)
      let changed = try context.store.setWatched(mentionID: id, watching: watching, actor: actor)
      let who = "@" + mention.author.handle
      let action = watching ? "watch" : "unwatch"
      if !changed {
        return .init(
          id: id, action: action, outcome: watching ? "already_watched" : "not_watched",
          message: watching ? "\(who) is watched already" : "\(who) was not watched")
      }
      return .init(
        id: id, action: action, outcome: watching ? "watching" : "unwatched",
        message: watching ? "watching \(who)" : "no longer watching \(who)")
    }
  }
}

struct UnwatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unwatch", abstract: "Stop watching the author of a mention (S8).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of one of the author's mentions.") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws { try AuthorWatch.run(options, id: id, watching: false, json: json) }
}

struct EscalateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "escalate", abstract: "Escalate a mention to the supervisor with a note (S8, S10).",
    discussion: "A mention already escalated by hand and still open gets the note on that escalation.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Option(help: "What the supervisor should know.") var note: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(note, "--note")
  }

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      let escalation = try context.store.escalate(mentionID: id, note: note, actor: actor)
      return .init(
        id: id, action: "escalate", outcome: "escalated",
        message: "escalated \(id) (escalation \(escalation))",
        extra: { $0.int("escalation_id", escalation) })
    }
  }
}

struct NoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "note", abstract: "Add a team note to a mention (never posted).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Option(help: "The note.") var text: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(text, "--text")
  }

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      let note = try context.store.addNote(mentionID: id, text: text, actor: actor)
      return .init(
        id: id, action: "note", outcome: "noted", message: "noted on \(id)",
        extra: { $0.int("note_id", note) })
    }
  }
}

/// Four eyes from the command line: the supervisor approves a held reply or sends it back.
enum Review {
  /// The acting person must be a supervisor on the roster; nobody reviews their own reply (the
  /// store refuses that too).
  static func requireSupervisor(_ context: PolicyContext, _ actor: String) throws {
    guard context.policy.team.first(where: { $0.name == actor })?.role == .supervisor else {
      throw ActionRun.Refusal(
        message: "only a supervisor on the roster approves or sends back a reply (\(actor) is not)")
    }
  }
}

struct ApproveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Approve a reply waiting for a supervisor (four eyes); it is queued for delivery.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The outbox id of the reply (repute outbox --status awaiting_approval).") var id: Int64
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      try Review.requireSupervisor(context, actor)
      try context.store.approveReply(id: id, actor: actor, policy: context.policy)
      return .init(
        id: id, action: "approve", outcome: "queued", message: "approved reply \(id): queued for delivery")
    }
  }
}

struct SendBackCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "send-back",
    abstract: "Send a reply waiting for a supervisor back to its responder with a note (four eyes).",
    discussion: "Its text becomes the responder's draft again, unless they started a new one.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The outbox id of the reply.") var id: Int64
  @Option(help: "What to change.") var note: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(note, "--note")
  }

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      try Review.requireSupervisor(context, actor)
      try context.store.returnReply(id: id, note: note, actor: actor)
      return .init(
        id: id, action: "send_back", outcome: "returned", message: "sent reply \(id) back with the note")
    }
  }
}

struct WithdrawCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "withdraw",
    abstract: "Take back a reply that no courier has tried to deliver yet, with the reason.",
    discussion: """
      A reply waits the policy's send delay ([outbox] send_delay_seconds, default 10) before it may \
      be delivered, and can be withdrawn until the first delivery attempt: queued or waiting for \
      approval. The mention's clocks go back to what they were before the reply (unless a later \
      reply was built on them). Your own reply, or anyone's for a supervisor on the roster. After a \
      delivery attempt it can only be followed up (exit 1).
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "The outbox id of the reply (repute outbox).") var id: Int64
  @Option(help: "Why it is taken back; kept in the outbox and the audit trail.") var reason: String
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(reason, "--reason")
  }

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      let supervisor = context.policy.team.first(where: { $0.name == actor })?.role == .supervisor
      let done = try context.store.withdrawReply(
        id: id, reason: reason, actor: actor, mayWithdrawOthers: supervisor, keepDraft: false)
      let restored = done.restored ? "; the mention's clocks are as before the reply" : ""
      return .init(
        id: id, action: "withdraw", outcome: "withdrawn", message: "withdrew reply \(id)\(restored)",
        extra: {
          $0.int("mention_id", done.record.mentionID)
          $0.bool("restored", done.restored)
        })
    }
  }
}
