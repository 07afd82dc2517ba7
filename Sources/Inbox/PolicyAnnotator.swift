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
  public func advise(
    _ mention: IncomingMention, _ classification: Classification, thread: [ThreadPost] = [],
    priorComplaints: Int = 0
  ) -> Advice {
    advisor.advise(
      AdviceContext(
        input: Self.input(mention), classification: classification, time: mention.createdAt, thread: thread,
        priorComplaints: priorComplaints))
  }

  /// The advice as JSON: action, channel, escalation, template, rules, explanation.
  public static func adviceJSON(_ a: Advice) -> String {
    var w = JSONWriter()
    w.string("action", a.action.rawValue)
    w.string("channel", a.channel.rawValue)
    w.bool("escalate", a.escalate)
    w.strings("escalation", a.escalation.map(\.rawValue))
    w.string("template", a.templateID)
    w.strings("rules", a.rules)
    w.bool("organisation_answered", a.organisationAnswered)
    w.strings("answered_by", a.answeredBy)
    w.string("explanation", a.explanation)
    w.string("lang", a.lang)
    return w.finish()
  }

  /// What the classifier reads of a mention.
  public static func input(_ m: IncomingMention) -> ClassifierInput {
    ClassifierInput(
      text: m.text, lang: m.lang, authorHandle: m.author.handle, authorName: m.author.name ?? "",
      followers: m.author.followers, platform: m.platform, isStaff: m.staff)
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
      signalsJSON: Self.signalsJSON(result), detectedLang: result.lang,
      deadlines: MentionDeadlines(
        earliestReply: deadlines.earliestReply, firstResponse: deadlines.firstResponse,
        followUp: deadlines.followUp),
      muted: muted)
  }

  public func deadlines(category: Category, arrival: Date) -> MentionDeadlines {
    let d = policy.deadlines(category: category, arrival: arrival)
    return MentionDeadlines(
      earliestReply: d.earliestReply, firstResponse: d.firstResponse, followUp: d.followUp)
  }

  /// The signals as a JSON array of `{kind, token, weight}`, plus matched rumour ids.
  public static func signalsJSON(_ c: Classification) -> String {
    JSONWriter.array(
      c.signals.map { s in
        var w = JSONWriter()
        w.string("kind", s.kind.rawValue)
        w.string("token", s.token)
        w.decimal3("weight", s.weight)
        return w.finish()
      })
  }
}
