import Desk
import Inbox
import Policy

/// The advice as `show` and `classify` print it, in the language the inbox would speak (issue 14:
/// one language per screen). In English the codes stay as they are (`apologise_then_follow_up`),
/// which scripts and people grep for; in Dutch they are the inbox's Dutch words.
enum AdviceText {
  /// The language `--ui-lang` names, else the inbox's default (LC_ALL, LC_MESSAGES, LANG).
  static func language(_ option: UILanguage?) -> UILanguage { option ?? .fromEnvironment() }

  static func label(_ s: Words) -> String { s.language == .nl ? "advies" : "advice" }

  /// The label of the classifier's evidence, as the inbox's detail pane names it.
  static func signalsLabel(_ s: Words) -> String { s.language == .nl ? "signalen" : "signals" }

  /// "action, channel [rules]" and, when escalated, the reasons after `escalateSeparator`.
  static func summary(_ advice: Advice, _ s: Words, escalateSeparator: String) -> String {
    let nl = s.language == .nl
    var text =
      (nl
        ? "\(s.action(advice.action)), \(s.channel(advice.channel))"
        : "\(advice.action.rawValue), \(advice.channel.rawValue)")
      + (advice.rules.isEmpty ? "" : " [\(advice.rules.joined(separator: ", "))]")
    if advice.escalate {
      let reasons = advice.escalation.map { nl ? s.reason($0.rawValue) : $0.rawValue }
      text += escalateSeparator + (nl ? "escaleren: " : "escalate: ") + reasons.joined(separator: ", ")
    }
    return text
  }

  /// A signal's kind: the code in English, the word in Dutch.
  static func signal(_ kind: SignalKind, _ s: Words) -> String {
    s.language == .nl ? s.signal(kind) : kind.rawValue
  }

  /// A category: the code in English, the word in Dutch.
  static func category(_ c: Category, _ s: Words) -> String {
    s.language == .nl ? s.category(c) : c.rawValue
  }
}
