import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

extension OutboxStatus: ExpressibleByArgument {}

/// `repute outbox`: the replies handed to delivery, oldest first.
struct OutboxCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "outbox",
    abstract: "List the replies in the outbox: what will be (or was) posted, signature included.",
    discussion: """
      Statuses: queued (waiting for delivery), awaiting_approval (four eyes), returned, sent (the \
      platform named the post it made), unverified (the platform answered without naming a post: \
      checked again at next_attempt_at, without posting twice), failed (see error), withdrawn (taken back before delivery: repute withdraw). A queued \
      reply waits the policy's send delay (next_attempt_at) before delivery. With --json, \
      one object per line: id, mention_id, responder, kind, text, status, created_at, updated_at, \
      idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error, \
      reviewed_by, review_note, unverified_at.
      """)

  @OptionGroup var options: StoreOptions

  @Flag(help: "Print JSON Lines.")
  var json = false

  @Option(name: .customLong("status"), help: "Only replies with this status (repeatable).")
  var statuses: [OutboxStatus] = []

  @Option(help: "Only the replies to this mention.")
  var mention: Int64?

  @Option(parsing: .unconditional, help: "At most this many replies.")
  var limit: Int = 1_000

  func validate() throws {
    if limit < 1 { throw ValidationError("--limit must be at least 1") }
  }

  func run() throws {
    try guarded {
      let store = try options.open(create: false, reading: true)
      var records =
        try mention.map { try store.outbox(mentionID: $0) }
        ?? store.outbox(statuses: Set(statuses), limit: limit)
      if mention != nil, !statuses.isEmpty { records = records.filter { statuses.contains($0.status) } }
      let out = BufferedWriter()
      for record in records.prefix(limit) {
        out.line(json ? JSONOutput.outbox(record) : Self.text(record, cut: Output.isTerminal ? 60 : nil))
      }
      out.flush()
    }
  }

  static func text(_ r: OutboxRecord, cut: Int?) -> String {
    var text = TerminalSafe.sanitize(r.text, lines: .single)
    if let cut, text.count > cut { text = String(text.prefix(cut - 1)) + "…" }
    var columns = [
      "#\(r.id)", r.status.rawValue, r.kind.rawValue, "mention \(r.mentionID)",
      TerminalSafe.sanitize(r.responder),
      RFC3339.format(r.createdAt),
    ]
    if let next = r.nextAttemptAt, r.status == .queued || r.status == .unverified {
      columns.append((r.status == .unverified ? "next check " : "next attempt ") + RFC3339.format(next))
    }
    if let error = r.error { columns.append("error: " + TerminalSafe.sanitize(error, lines: .single)) }
    return (columns + [text]).joined(separator: "  ")
  }
}

/// `repute reply`: a signed reply from a script, with the editor's checks and questions.
struct ReplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reply",
    abstract: "Put a signed reply to a mention in the outbox, after the policy's checks.",
    discussion: """
      The signature is added in the policy's format from your roster name unless the text has it \
      already (S16). Exit status 0: queued, and the outbox id is printed. 1: not sent, because a \
      check blocks (too long for the platform, not signed once, signed as a teammate, empty, \
      confirms a known rumour (S4)), because the advice is not to reply (an unfounded accusation \
      S8, staff praise S5, praise repeating a rumour S4) and --override REASON was not given, or \
      because a warning, the cooling-off window (S11), a teammate's claim or draft, or an earlier \
      reply (a follow-up) asks and --yes was not given; the reasons go to stderr. --yes confirms \
      the questions only, never replying against the advice. 2: usage or store errors.
      """)

  @OptionGroup var options: StoreOptions

  @Argument(help: "The store's id of the mention (the first column of repute list).")
  var id: Int64

  @Option(help: "The reply, without or with the signature.")
  var text: String

  @Flag(help: "A holding reply (S12): the question reached the right person; the follow-up clock starts.")
  var holding = false

  @Flag(name: .customLong("yes"), help: "Confirm what the checks ask (warnings, S11, collisions, follow-up).")
  var yes = false

  @Option(
    name: .customLong("override"),
    help: ArgumentHelp(
      "Reply although the advice is not to (S8, S5, S4), for this reason; kept in the audit trail.",
      valueName: "reason"))
  var overrideReason: String?

  func validate() throws {
    if let reason = overrideReason { try requireText(reason, "--override", needs: "a reason") }
  }

  func run() throws {
    let (desk, request, context) = try guarded { () throws -> (ReplyDesk, ReplyRequest, PolicyContext) in
      let context = try PolicyContext.open(options, create: false)
      let actor = try context.actor(options, acting: .person)
      guard try context.store.mention(id: id) != nil else {
        throw InboxError.notFound("no mention with id \(id)")
      }
      let request = ReplyRequest(
        mentionID: id, mode: holding ? .holding : .reply, body: text, actor: actor, openedAt: nil,
        confirmed: yes, overrideReason: overrideReason)
      return (ReplyDesk(store: context.store, policy: context.policy), request, context)
    }
    let now = try guarded { try ReputeClock.fromEnvironment().now() }
    let strings = Words(.en)
    do {
      // The desk's one assessment, made as it sends: it refuses with it when a check blocks or a
      // question is not confirmed. (Assessing here first ran every check twice: issue 17.)
      let sent: SentReply
      do {
        sent = try desk.send(request, now: now)
      } catch let refusal as ReplyRefusal {
        let assessment = refusal.assessment
        for f in assessment.blocking { Output.error("blocking \(f.rule) \(f.code): \(f.message)") }
        if let o = assessment.override, assessment.needsOverride {
          Output.error("against the advice: \(strings.againstAdvice(o.rule)): pass --override REASON")
        }
        for line in strings.asks(assessment.asks, timeZone: .current, editorOpened: false) {
          Output.error("asks: \(line)")
        }
        if assessment.blocking.isEmpty, !assessment.asks.isEmpty, !yes {
          Output.error("repute: not sent; pass --yes to confirm")
        }
        throw fail("not sent", code: 1)
      }
      if let assessment = sent.assessment {
        if let o = assessment.override, let reason = o.reason {
          Output.error(
            "override: \(o.rule), against the advice not to reply: \(TerminalSafe.sanitize(reason))")
        }
        for line in strings.asks(assessment.asks, timeZone: .current, editorOpened: false) {
          Output.error("confirmed: \(line)")
        }
      }
      Output.line(String(sent.outboxID))
      if sent.status == OutboxStatus.awaitingApproval.rawValue {
        // Stdout stays the id for scripts; the person learns why nothing will be sent yet.
        let reasons = try guarded { try context.store.approvalReasons(mentionID: id, policy: context.policy) }
        let why = reasons.map {
          $0.replacingOccurrences(of: "_or_", with: " or ").replacingOccurrences(of: "_", with: " ")
        }
        Output.error(
          "reply #\(sent.outboxID) is waiting for a supervisor's approval"
            + (why.isEmpty ? "" : " (\(why.joined(separator: ", ")))"))
      }
    } catch let error as ActionError {
      throw fail("\(error)")
    } catch let error as OutboxError {
      throw fail(error.description)
    }
  }
}

extension JSONOutput {
  /// One outbox record as `repute outbox --json` prints it.
  static func outbox(_ r: OutboxRecord) -> String {
    var w = JSONWriter()
    w.int("id", r.id)
    w.int("mention_id", r.mentionID)
    w.string("responder", r.responder)
    w.string("kind", r.kind.rawValue)
    w.string("text", r.text)
    w.string("status", r.status.rawValue)
    w.string("created_at", RFC3339.format(r.createdAt))
    w.string("updated_at", RFC3339.format(r.updatedAt))
    w.string("idempotency_key", r.idempotencyKey)
    w.int("attempts", r.attempts)
    w.string("next_attempt_at", r.nextAttemptAt.map(RFC3339.format))
    w.string("platform_post_id", r.platformPostID)
    w.string("platform_url", r.platformURL)
    w.string("error", r.error)
    w.string("reviewed_by", r.reviewedBy)
    w.string("review_note", r.reviewNote)
    w.string("unverified_at", r.unverifiedAt.map(RFC3339.format))
    return w.finish()
  }
}

/// The replies and drafts of a mention, as `repute show` lists them.
enum ReplyText {
  static func lines(_ detail: MentionDetail) -> [String] {
    var lines: [String] = []
    if !detail.replies.isEmpty {
      lines += ["", "replies:"]
      for r in detail.replies {
        lines.append(
          "  #\(r.id)  \(RFC3339.format(r.createdAt))  \(TerminalSafe.sanitize(r.responder))  \(r.mode.rawValue)  \(r.status): "
            + TerminalSafe.sanitize(r.text))
      }
    }
    if !detail.drafts.isEmpty {
      lines += ["", "drafts:"]
      for d in detail.drafts {
        lines.append(
          "  \(TerminalSafe.sanitize(d.author)) is writing a \(d.mode.rawValue), saved \(RFC3339.format(d.updatedAt))"
        )
      }
    }
    return lines
  }
}
