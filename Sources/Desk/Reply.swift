import Foundation
import Inbox
import Policy

/// What the editor was opened for. Stable names, the store's `kind` values.
public enum ReplyMode: String, Hashable, Sendable, CaseIterable {
  /// The first real answer (`r`).
  case reply
  /// A holding reply (`H`, S12): stops the first-response clock, starts the follow-up clock.
  case holding
  /// A further reply to a mention that was answered already.
  case followUp = "follow_up"
}

/// What the checks found on the editor's text, and what they measured, as of one loop pass.
public struct ReplyChecks: Hashable, Sendable {
  public var findings: [Finding]
  /// Exactly what would be posted, signature included (S16).
  public var signedText: String
  /// True when the responder typed the signature already: it is not added a second time.
  public var signatureTyped: Bool
  /// The length the platform counts, signature included, and its limit.
  public var length: Int
  public var limit: Int?

  public init(findings: [Finding], signedText: String, signatureTyped: Bool, length: Int, limit: Int?) {
    self.findings = findings
    self.signedText = signedText
    self.signatureTyped = signatureTyped
    self.length = length
    self.limit = limit
  }
}

/// A reply already in the outbox, as the detail pane and the follow-up question show it.
public struct ReplyInfo: Hashable, Sendable {
  public var id: Int64
  public var responder: String
  public var mode: ReplyMode
  public var text: String
  public var status: String
  public var createdAt: Date
  /// Four eyes: who approved or returned it, and the note it came back with.
  public var reviewedBy: String?
  public var reviewNote: String?

  public init(
    id: Int64, responder: String, mode: ReplyMode, text: String, status: String, createdAt: Date,
    reviewedBy: String? = nil, reviewNote: String? = nil
  ) {
    self.id = id
    self.responder = responder
    self.mode = mode
    self.text = text
    self.status = status
    self.createdAt = createdAt
    self.reviewedBy = reviewedBy
    self.reviewNote = reviewNote
  }

  /// True while the reply is on its way or out: a failed or returned one answered nobody.
  public var answers: Bool { status != "failed" && status != "returned" }
}

/// Someone's draft on a mention: teammates see that it exists, and whose it is.
public struct DraftInfo: Hashable, Sendable {
  public var author: String
  public var mode: ReplyMode
  public var startedAt: Date
  public var updatedAt: Date

  public init(author: String, mode: ReplyMode, startedAt: Date, updatedAt: Date) {
    self.author = author
    self.mode = mode
    self.startedAt = startedAt
    self.updatedAt = updatedAt
  }
}

/// What the editor needs when it opens on a mention.
public struct ReplyOpening: Sendable {
  public var policy: PolicyConfig
  public var responder: TeamMember
  /// The responder's own draft, restored into the editor.
  public var draft: String?
  public var draftSavedAt: Date?
  public var earlier: [ReplyInfo]
  /// Teammates' drafts on the same mention.
  public var othersDrafting: [DraftInfo]
  /// The team's approved snippets, offered with the templates by `Ctrl-T`.
  public var snippets: [Snippet]

  public init(
    policy: PolicyConfig, responder: TeamMember, draft: String? = nil, draftSavedAt: Date? = nil,
    earlier: [ReplyInfo] = [], othersDrafting: [DraftInfo] = [], snippets: [Snippet] = []
  ) {
    self.snippets = snippets
    self.policy = policy
    self.responder = responder
    self.draft = draft
    self.draftSavedAt = draftSavedAt
    self.earlier = earlier
    self.othersDrafting = othersDrafting
  }
}

/// A reply handed over for sending, by the editor or by `repute reply`.
public struct ReplyRequest: Hashable, Sendable {
  public var mentionID: Int64
  public var mode: ReplyMode
  /// What the responder wrote; the signature is added when it is not there yet (S16).
  public var body: String
  public var actor: String
  /// When the editor opened: a teammate's claim, draft or reply after it is a collision. Nil for
  /// the command line, where any teammate's claim or draft counts.
  public var openedAt: Date?
  /// The responder answered `y` (or passed `--yes`) to what `assess` asked.
  public var confirmed: Bool
  /// With `confirmed`: exactly the questions the responder saw and answered `y` to; a question
  /// that arose since (a teammate's reply between `Ctrl-X` and `y`) is asked again. Nil confirms
  /// whatever is asked (`--yes`).
  public var confirmedAsks: [ReplyAsk]?
  /// Why the responder replies although the advice is not to (S8, S5, S4): no confirmation
  /// stands in for it, and it goes into the audit trail with the rule.
  public var overrideReason: String?

  public init(
    mentionID: Int64, mode: ReplyMode, body: String, actor: String, openedAt: Date? = nil,
    confirmed: Bool = false, confirmedAsks: [ReplyAsk]? = nil, overrideReason: String? = nil
  ) {
    self.overrideReason = overrideReason
    self.confirmedAsks = confirmedAsks
    self.mentionID = mentionID
    self.mode = mode
    self.body = body
    self.actor = actor
    self.openedAt = openedAt
    self.confirmed = confirmed
  }
}

/// Something that asks the responder to confirm before a reply goes out.
public enum ReplyAsk: Hashable, Sendable {
  /// The checks warn (tone, apology, source, template unchanged…).
  case warnings([Finding])
  /// The cooling-off window is still running (S11).
  case coolingOff(until: Date)
  /// A teammate claimed, drafted or replied since the editor opened.
  case collision(who: String, what: Collision, at: Date)
  /// The mention was answered already: this reply is a follow-up.
  case followUp(earlier: ReplyInfo?)

  public enum Collision: String, Hashable, Sendable {
    case claimed, drafted, replied
  }
}

/// A reply against the advice not to reply (S8, S5, S4): the rule, and the reason given.
public struct AdviceOverride: Hashable, Sendable {
  /// The rule the advice rests on: `S8`, `S5` or `S4`.
  public var rule: String
  /// Why the responder replies anyway; nil until they say.
  public var reason: String?

  public init(rule: String, reason: String? = nil) {
    self.rule = rule
    self.reason = reason
  }
}

/// The checks' verdict on a reply about to be sent.
public struct ReplyAssessment: Hashable, Sendable {
  /// Exactly what will be posted, signature included.
  public var text: String
  /// What will be stored: `followUp` when the mention was answered already.
  public var mode: ReplyMode
  public var findings: [Finding]
  public var asks: [ReplyAsk]
  /// Set when the advice is not to reply at all: sending needs a reason (`override.reason`).
  public var override: AdviceOverride?

  public init(
    text: String, mode: ReplyMode, findings: [Finding], asks: [ReplyAsk], override: AdviceOverride? = nil
  ) {
    self.text = text
    self.mode = mode
    self.findings = findings
    self.asks = asks
    self.override = override
  }

  public var blocking: [Finding] { findings.filter { $0.severity == .blocking } }
  public var warnings: [Finding] { findings.filter { $0.severity == .warning } }
  /// The advice is not to reply and no reason was given yet.
  public var needsOverride: Bool { override != nil && override?.reason == nil }
}

/// A reply the outbox took.
public struct SentReply: Hashable, Sendable {
  public var outboxID: Int64
  public var status: String
  public var mode: ReplyMode
  /// The checks and questions the reply was sent under (what `repute reply` reports as confirmed).
  public var assessment: ReplyAssessment?

  public init(outboxID: Int64, status: String, mode: ReplyMode, assessment: ReplyAssessment? = nil) {
    self.outboxID = outboxID
    self.status = status
    self.mode = mode
    self.assessment = assessment
  }
}

/// Why a reply was not sent: blocking findings, or questions not yet confirmed.
public struct ReplyRefusal: Error, Hashable, Sendable, CustomStringConvertible {
  public var assessment: ReplyAssessment

  public init(_ assessment: ReplyAssessment) { self.assessment = assessment }

  public var description: String {
    if let first = assessment.blocking.first { return "\(first.rule): \(first.message)" }
    if let o = assessment.override, o.reason == nil { return Words(.en).againstAdvice(o.rule) }
    return Words(.en).asks(assessment.asks, timeZone: .current).joined(separator: "; ")
  }
}

/// The pure rules every reply follows, in the editor and on the command line alike.
public enum ReplyRules {
  /// The team member signing for `actor`: the roster entry with that name or login, else the
  /// actor's own name (S16 signs with a person's name either way).
  public static func responder(for actor: String, policy: PolicyConfig) -> TeamMember {
    let key = actor.lowercased()
    return policy.team.first { $0.name.lowercased() == key || $0.login.lowercased() == key }
      ?? TeamMember(name: actor, login: actor)
  }

  /// The text that will be posted: the body with the signature appended once (S16).
  public static func signed(_ body: String, responder: TeamMember, policy: PolicyConfig) -> String {
    Signature.apply(body, responder: responder, policy: policy)
  }

  /// The language the checks read the reply in: the mention's, Dutch or English.
  public static func language(of mention: Mention) -> String {
    mention.language?.lowercased().hasPrefix("nl") == true ? "nl" : "en"
  }

  /// The live findings on a body: the policy's reply checks on the signed text, plus an empty
  /// reply (nothing but the signature) refused. The phrase lists are the mention's language's (the
  /// reply is written in it); the messages are in `messages` (`nl` or `en`, the responder's UI
  /// language), or in the mention's language when nil.
  public static func findings(
    body: String, mention: Mention, responder: TeamMember, policy: PolicyConfig, messages: String? = nil,
    mode: ReplyMode = .reply
  ) -> [Finding] {
    checks(body: body, mention: mention, responder: responder, policy: policy, messages: messages, mode: mode)
      .findings
  }

  /// Everything the editor shows about a body, from one pass of the checks: the findings, the
  /// signed text, whether the signature was typed, and the length the platform counts.
  public static func checks(
    body: String, mention: Mention, responder: TeamMember, policy: PolicyConfig, messages: String? = nil,
    mode: ReplyMode = .reply
  ) -> ReplyChecks {
    let lang = language(of: mention)
    let messageLang = messages ?? lang
    let signature = Signature.text(for: responder, policy: policy)
    // `apply` leaves a body that holds the signature as it is, so this also says whether it was typed.
    let signedText = signed(body, responder: responder, policy: policy)
    var out: [Finding] = []
    if signedText == signature || body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      out.append(
        Finding(
          severity: .blocking, rule: "S13", code: "empty",
          message: messageLang == "nl" ? "Het antwoord is leeg." : "The reply is empty."))
    }
    // A placeholder nobody filled (`{order_number}` from a snippet) must not reach the author (S13).
    let left = Placeholders.unfilled(in: body)
    if !left.isEmpty {
      let list = left.joined(separator: ", ")
      out.append(
        Finding(
          severity: .blocking, rule: "S13", code: "placeholder_left",
          message: messageLang == "nl"
            ? "Vul de plek in of haal hem weg: \(list)." : "Fill in or remove the placeholder: \(list)."))
    }
    // The templates as they would be filled in for this mention: unchanged is judged against those.
    let rumours = policy.rumours(repeatedIn: mention.text)
    var filled: [String: String] = [:]
    for t in policy.templates { filled[t.id] = fill(t, mention: mention, rumours: rumours, policy: policy) }
    let known = mention.language.map { ["nl", "en"].contains(String($0.lowercased().prefix(2))) } ?? false
    let target = ReplyTarget(
      platform: mention.platform, category: mention.category ?? .neutral, lang: lang,
      messageLang: messageLang,
      isHolding: mode == .holding, languageKnown: known, filledTemplates: filled)
    let (found, length) = ReplyChecker.checkAndMeasure(
      signedText, mention: target, responder: responder, policy: policy)
    // A follow-up to an answered complaint need not apologise again: the first answer did (S10).
    let kept = found.filter { !(mention.status == .replied && $0.code == "apology_missing") }
    return ReplyChecks(
      findings: out + kept, signedText: signedText, signatureTyped: signedText == body, length: length,
      limit: PlatformLength.limit(mention.platform))
  }

  /// The asks that need no store: warnings and the cooling-off window (S11). A holding reply is
  /// not held back by the cooling-off: it exists to answer early (S12).
  public static func localAsks(findings: [Finding], mention: Mention, mode: ReplyMode = .reply, now: Date)
    -> [ReplyAsk]
  {
    var asks: [ReplyAsk] = []
    let warnings = findings.filter { $0.severity == .warning }
    if !warnings.isEmpty { asks.append(.warnings(warnings)) }
    if mode != .holding, let until = mention.deadlines.earliestReply, until > now {
      asks.append(.coolingOff(until: until))
    }
    return asks
  }

  /// True when a reply of `mode` to a mention with these earlier replies is a follow-up: a real
  /// answer went out before (a holding reply alone does not count).
  public static func isFollowUp(mode: ReplyMode, mention: Mention, earlier: [ReplyInfo]) -> Bool {
    mode != .holding && wasAnswered(mention, earlier: earlier)
  }

  /// True when a real answer (not only a holding reply) went out to the mention already: any
  /// further reply, a holding one too, asks for a confirmation that names it.
  public static func wasAnswered(_ mention: Mention, earlier: [ReplyInfo]) -> Bool {
    mention.status == .replied || earlier.contains { $0.answers && $0.mode != .holding }
  }

  /// The templates in the order Ctrl-T offers them: the one for this use in the mention's
  /// language first, then the rest in that language, then the others.
  public static func templates(for mode: ReplyMode, mention: Mention, policy: PolicyConfig) -> [Template] {
    let lang = language(of: mention)
    let kind: TemplateKind = mode == .holding ? .holding : .category(mention.category ?? .neutral)
    func rank(_ t: Template) -> Int {
      (t.kind == kind ? 0 : 2) + (t.lang == lang ? 0 : 4)
    }
    return policy.templates.enumerated().sorted { a, b in
      (rank(a.element), a.offset) < (rank(b.element), b.offset)
    }.map(\.element)
  }

  /// A template's placeholders filled in for a mention (the filler snippets use too).
  public static func fill(_ template: Template, mention: Mention, rumours: [String], policy: PolicyConfig)
    -> String
  {
    // The facts in the template's language: a Dutch correction quotes the Dutch facts.
    template.fill(
      Placeholders.values(mention: mention, rumours: rumours, policy: policy, lang: template.lang))
  }
}
