import Foundation
import Inbox
import Policy

/// Where a reply is checked and handed to the outbox: the inbox's editor and `repute reply` both
/// come here, so the signature, the checks and the questions are the same everywhere.
public struct ReplyDesk {
  public let store: any QueueStore & OutboxStore & EscalationStore
  public let policy: PolicyConfig
  /// The language of the findings' messages (`nl`, `en`): the responder's; nil writes them in
  /// the mention's language. The checks read the reply in the mention's language either way.
  public let messages: String?
  /// Runs between the checks and the outbox, for tests that send a teammate's reply right then.
  var betweenCheckAndSend: (() throws -> Void)?

  public init(
    store: any QueueStore & OutboxStore & EscalationStore, policy: PolicyConfig, messages: String? = nil
  ) {
    self.store = store
    self.policy = policy
    self.messages = messages
  }

  /// Four eyes: whether this reply must wait for a supervisor's approval before it is sent.
  /// The one place the editor and `repute reply` decide it: the policy's approval categories and
  /// every reason the mention was ever escalated for (`approval_categories`, `approval_reasons`).
  /// A supervisor's own reply does not wait: they are the second pair of eyes.
  public func needsApproval(mentionID: Int64, responder: TeamMember) throws -> Bool {
    if responder.role == .supervisor { return false }
    return try store.replyNeedsApproval(mentionID: mentionID, policy: policy)
  }

  /// What the editor needs when it opens on a mention.
  public func opening(mentionID: Int64, actor: String) throws -> ReplyOpening {
    let responder = ReplyRules.responder(for: actor, policy: policy)
    let own = try store.draft(mentionID: mentionID, author: actor)
    return ReplyOpening(
      policy: policy, responder: responder, draft: own?.text, draftSavedAt: own?.updatedAt,
      earlier: try replies(mentionID: mentionID),
      othersDrafting: try drafts(mentionID: mentionID).filter { $0.author != actor })
  }

  /// The replies in the outbox for a mention, oldest first.
  public func replies(mentionID: Int64) throws -> [ReplyInfo] {
    try store.outbox(mentionID: mentionID).map(Self.info)
  }

  /// The drafts on a mention, newest first.
  public func drafts(mentionID: Int64) throws -> [DraftInfo] {
    try store.drafts(mentionID: mentionID).map(Self.draftInfo)
  }

  static func draftInfo(_ d: DraftRecord) -> DraftInfo {
    DraftInfo(
      author: d.author, mode: d.kind == .holding ? .holding : .reply, startedAt: d.startedAt,
      updatedAt: d.updatedAt)
  }

  static func info(_ r: OutboxRecord) -> ReplyInfo {
    ReplyInfo(
      id: r.id, responder: r.responder, mode: ReplyMode(rawValue: r.kind.rawValue) ?? .reply, text: r.text,
      status: r.status.rawValue, createdAt: r.createdAt, reviewedBy: r.reviewedBy, reviewNote: r.reviewNote)
  }

  /// The checks on the signed text and every question sending would ask: warnings, the
  /// cooling-off window (S11), a teammate's claim, draft or reply (a collision), and an earlier
  /// answer (a follow-up).
  public func assess(_ request: ReplyRequest, now: Date) throws -> ReplyAssessment {
    guard let entry = try store.entry(id: request.mentionID) else {
      throw ActionError.noSuchMention(request.mentionID)
    }
    let mention = entry.mention
    let responder = ReplyRules.responder(for: request.actor, policy: policy)
    let findings = ReplyRules.findings(
      body: request.body, mention: mention, responder: responder, policy: policy, messages: messages,
      mode: request.mode)
    var asks = ReplyRules.localAsks(findings: findings, mention: mention, mode: request.mode, now: now)
    // The advice as it stands now (a responder's recategorisation included): when it is not to
    // reply at all (S8, S5, S4), sending needs a reason, which no `y` or `--yes` stands in for.
    let (_, advice) = PolicyAnnotator(policy: policy).judge(
      mention, thread: [], priorComplaints: 0, explainIn: messages)
    let reason = request.overrideReason?.trimmingCharacters(in: .whitespacesAndNewlines)
    let override = advice.noReplyRule.map {
      AdviceOverride(rule: $0, reason: reason.flatMap { $0.isEmpty ? nil : $0 })
    }
    let me = request.actor.lowercased()
    func isTeammate(_ name: String) -> Bool { name.lowercased() != me }

    // Collisions: since the editor opened; from the command line, any teammate's claim or draft.
    var collisions: [ReplyAsk] = []
    if let opened = request.openedAt {
      for e in try store.events(mentionID: mention.id)
      where e.action == "claim" && e.at > opened && isTeammate(e.actor) {
        collisions.append(.collision(who: e.actor, what: .claimed, at: e.at))
      }
    } else if let claimer = entry.claimedBy, isTeammate(claimer) {
      // The claimer's own latest claim: another's later claim or release is not when they took it.
      let at =
        try store.events(mentionID: mention.id).last {
          $0.action == "claim" && $0.actor.lowercased() == claimer.lowercased()
        }?.at ?? now
      collisions.append(.collision(who: claimer, what: .claimed, at: at))
    }
    for d in try drafts(mentionID: mention.id) where isTeammate(d.author) {
      if request.openedAt.map({ d.updatedAt > $0 }) ?? true {
        collisions.append(.collision(who: d.author, what: .drafted, at: d.startedAt))
      }
    }
    let earlier = try replies(mentionID: mention.id)
    if let opened = request.openedAt {
      for r in earlier where r.createdAt > opened && isTeammate(r.responder) {
        collisions.append(.collision(who: r.responder, what: .replied, at: r.createdAt))
      }
    }
    asks += collisions

    var mode = request.mode
    if ReplyRules.wasAnswered(mention, earlier: earlier) {
      // A further answer is a follow-up; a holding reply stays one (S12), but asks all the same.
      if mode == .reply { mode = .followUp }
      asks.append(.followUp(earlier: earlier.last { $0.answers && $0.mode != .holding }))
    }
    return ReplyAssessment(
      text: ReplyRules.signed(request.body, responder: responder, policy: policy), mode: mode,
      findings: findings, asks: asks, override: override)
  }

  /// Puts the reply in the outbox when nothing blocks it and every question was confirmed.
  ///
  /// The replies counted before the checks must still be all when the reply is stored: a
  /// teammate's reply that came in between (both pressed send at once) makes it check again, and
  /// ask about that reply, rather than send a second answer unasked.
  public func send(_ request: ReplyRequest, now: Date) throws -> SentReply {
    for _ in 0..<3 {
      do {
        return try send(
          request, now: now, expectedReplies: try store.outbox(mentionID: request.mentionID).count)
      } catch OutboxError.repliedMeanwhile {
        continue
      }
    }
    return try send(request, now: now, expectedReplies: nil)
  }

  private func send(_ request: ReplyRequest, now: Date, expectedReplies: Int?) throws -> SentReply {
    let assessment = try assess(request, now: now)
    let unconfirmed: [ReplyAsk]
    if !request.confirmed {
      unconfirmed = assessment.asks
    } else if let seen = request.confirmedAsks {
      unconfirmed = assessment.asks.filter { !seen.contains($0) }
    } else {
      unconfirmed = []
    }
    if !assessment.blocking.isEmpty || !unconfirmed.isEmpty || assessment.needsOverride {
      throw ReplyRefusal(assessment)
    }
    guard try store.mention(id: request.mentionID) != nil else {
      throw ActionError.noSuchMention(request.mentionID)
    }
    let responder = ReplyRules.responder(for: request.actor, policy: policy)
    let kind = ReplyKind(rawValue: assessment.mode.rawValue) ?? .reply
    let approval = try needsApproval(mentionID: request.mentionID, responder: responder)
    try betweenCheckAndSend?()
    let record = try store.enqueueReply(
      mentionID: request.mentionID, responder: request.actor, kind: kind, text: assessment.text,
      policy: policy, needsApproval: approval, expectedReplies: expectedReplies,
      againstAdvice: assessment.override.flatMap { o in o.reason.map { (rule: o.rule, reason: $0) } })
    return SentReply(
      outboxID: record.id, status: record.status.rawValue, mode: assessment.mode, assessment: assessment)
  }
}
