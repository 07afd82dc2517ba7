import Foundation
import Policy

/// The policy's verdict on incoming mentions: category, signals, deadlines, and whether the
/// mention is noise that stays out of the queue. Ingest and `policy apply` both use it.
public struct PolicyAnnotator: MentionAnnotator {
  public let policy: PolicyConfig
  private let classifier: Classifier
  private let advisor: Advisor

  public init(policy: PolicyConfig) {
    self.policy = policy
    classifier = Classifier(policy)
    advisor = Advisor(policy)
  }

  /// The policy's advice for a mention already classified, with the other posts of its thread.
  /// `explainIn`: the reader's language for the explanation (nil: the mention's).
  public func advise(
    _ mention: IncomingMention, _ classification: Classification, thread: [ThreadPost] = [],
    priorComplaints: Int = 0, explainIn: String? = nil
  ) -> Advice {
    advisor.advise(
      AdviceContext(
        input: Self.input(mention), classification: classification, time: mention.createdAt, thread: thread,
        priorComplaints: priorComplaints, explainIn: explainIn))
  }

  /// What the classifier reads of a mention.
  public static func input(_ m: IncomingMention) -> ClassifierInput {
    ClassifierInput(
      text: m.text, lang: m.lang, authorHandle: m.author.handle, authorName: m.author.name ?? "",
      followers: m.author.followers, platform: m.platform, isStaff: m.staff)
  }

  /// What the classifier reads of a stored mention.
  public static func input(_ m: Mention) -> ClassifierInput {
    ClassifierInput(
      text: m.text, lang: m.lang, authorHandle: m.author.handle, authorName: m.author.name ?? "",
      followers: m.author.followers, platform: m.platform, isStaff: m.staff)
  }

  /// The policy's judgement of a stored mention: its classification (the stored category rules,
  /// so a responder's override carries into the advice) and the advice, seen with the other
  /// posts of its thread (S11) and how often the author complained before.
  /// `explainIn`: the reader's language for the advice's explanation (nil: the mention's).
  public func judge(_ m: Mention, thread: [Mention], priorComplaints: Int, explainIn: String? = nil) -> (
    Classification, Advice
  ) {
    let input = Self.input(m)
    var classification = classifier.classify(input)
    if let category = m.category { classification.category = category }
    let posts = thread.map { t in
      ThreadPost(
        authorHandle: t.author.handle,
        isOrganisation: policy.isOwnAccount(t.author.handle, platform: t.platform),
        text: t.text, time: t.createdAt)
    }
    let advice = advisor.advise(
      AdviceContext(
        input: input, classification: classification, time: m.createdAt, thread: posts,
        priorComplaints: priorComplaints, followUpDue: m.followUpPending, explainIn: explainIn))
    return (classification, advice)
  }

  public func classify(_ mention: IncomingMention) -> Classification {
    classifier.classify(Self.input(mention))
  }

  public func annotate(_ mention: IncomingMention) -> MentionAnnotation {
    let input = Self.input(mention)
    let result = classifier.classify(input)
    let deadlines = policy.deadlines(category: result.category, arrival: mention.createdAt)
    // The organisation's own posts and muted words or authors never enter the queue; they are
    // kept, so a thread still shows that the organisation answered (S11).
    let muted =
      classifier.isMuted(input) || policy.isOwnAccount(mention.author.handle, platform: mention.platform)
    return MentionAnnotation(
      category: result.category, confidence: result.confidence,
      signals: PackedSignals(result.signals), detectedLang: result.lang,
      deadlines: MentionDeadlines(
        earliestReply: deadlines.earliestReply, firstResponse: deadlines.firstResponse,
        followUp: deadlines.followUp),
      muted: muted,
      escalation: EscalationRules(policy.escalation).onArrival(
        category: result.category, followers: mention.author.followers,
        escalationWords: result.escalationWords ?? [], muted: muted),
      // Where ingest classifies on its reading thread, the writer is spared the key (issue 17).
      repeatKey: muted || policy.repeatWindow <= .zero ? nil : RepeatKey(mention.text))
  }

  public func deadlines(category: Category, arrival: Date) -> MentionDeadlines {
    let d = policy.deadlines(category: category, arrival: arrival)
    return MentionDeadlines(
      earliestReply: d.earliestReply, firstResponse: d.firstResponse, followUp: d.followUp)
  }

  public func followUpDeadline(category: Category, firstResponseAt time: Date) -> Date? {
    policy.followUpDeadline(category: category, firstResponseAt: time)
  }

  /// The signals as a JSON array of `{kind, token, weight}`.
  public static func signalsJSON(_ c: Classification) -> String {
    var w = JSONWriter()
    writeSignals(c, into: &w)
    let object = w.finish()
    // The array alone: drop the wrapping `{"signals":` … `}`.
    return String(object.dropFirst(#"{"signals":"#.count).dropLast())
  }

  /// Writes the signals as the field `signals` of `w`.
  public static func writeSignals(_ c: Classification, into w: inout JSONWriter) {
    w.objects("signals", c.signals) { o, s in
      o.string("kind", s.kind.rawValue)
      o.string("token", s.token)
      o.decimal3("weight", s.weight)
    }
  }

  /// Writes the advice as the field `advice` of `w`: action, channel, escalation, template, rules,
  /// explanation.
  public static func writeAdvice(_ a: Advice, into w: inout JSONWriter) {
    w.object("advice") { o in
      o.string("action", a.action.rawValue)
      o.string("channel", a.channel.rawValue)
      o.bool("escalate", a.escalate)
      o.strings("escalation", a.escalation.map(\.rawValue))
      o.string("template", a.templateID)
      o.strings("rules", a.rules)
      o.bool("organisation_answered", a.organisationAnswered)
      o.strings("answered_by", a.answeredBy)
      o.string("explanation", a.explanation)
      o.string("lang", a.lang)
    }
  }
}
