import Foundation
import Inbox
import Policy
import TerminalUI

/// The language of the inbox's own text (mentions keep theirs).
public enum UILanguage: String, Sendable, CaseIterable {
  case en
  case nl

  /// From `LANG`/`LC_ALL`/`LC_MESSAGES`: Dutch when the locale says `nl`, English otherwise.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> UILanguage
  {
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      if let value = environment[key], !value.isEmpty {
        return value.lowercased().hasPrefix("nl") ? .nl : .en
      }
    }
    return .en
  }
}

/// Anything that speaks in a UI language: the inbox's `Strings`, and the plain commands' `Words`.
/// The words below (codes' names, the reply rules' sentences) are the same for both.
public protocol Localised: Sendable {
  var language: UILanguage { get }
}

/// The words the rules and the plain commands share with the inbox, without the inbox's own table.
public struct Words: Localised {
  public let language: UILanguage

  public init(_ language: UILanguage) { self.language = language }
}

extension Localised {
  /// The category's name in the UI language.
  public func category(_ c: Category) -> String {
    switch (c, language) {
    case (.praise, .en): return "praise"
    case (.praise, .nl): return "lof"
    case (.selfPraise, .en): return "self-praise"
    case (.selfPraise, .nl): return "eigen lof"
    case (.question, .en): return "question"
    case (.question, .nl): return "vraag"
    case (.complaint, .en): return "complaint"
    case (.complaint, .nl): return "klacht"
    case (.misinformation, .en): return "misinformation"
    case (.misinformation, .nl): return "onjuist"
    case (.unfounded, .en): return "unfounded"
    case (.unfounded, .nl): return "ongegrond"
    case (.neutral, .en): return "neutral"
    case (.neutral, .nl): return "neutraal"
    }
  }

  /// An escalation reason in words.
  public func reason(_ raw: String) -> String {
    let en: [String: String] = [
      "unfounded_accusation": "unfounded (S8)", "legal_or_press": "legal/press", "high_reach": "high reach",
      "repeat_complainer": "repeat complainer", "overdue": "overdue", "volume_rise": "volume rise",
      "by_hand": "by hand",
    ]
    let nl: [String: String] = [
      "unfounded_accusation": "ongegrond (S8)", "legal_or_press": "juridisch/pers",
      "high_reach": "groot bereik",
      "repeat_complainer": "vaker geklaagd", "overdue": "te laat", "volume_rise": "piek in volume",
      "by_hand": "handmatig",
    ]
    return (language == .nl ? nl[raw] : en[raw]) ?? TerminalSafe.sanitize(raw)
  }

}

/// Names of the policy's and the outbox's codes in the UI language: the detail pane shows them
/// as words, not as `apologise_then_follow_up` (issue 14: one language per screen).
extension Words {
  static let actions: [AdviceAction: (en: String, nl: String)] = [
    .thankOrStaySilent: ("thank or stay silent", "bedanken of stil blijven"),
    .answer: ("answer", "beantwoorden"),
    .holdingReply: ("holding reply", "wachtbericht"),
    .apologiseThenFollowUp: ("apologise, then follow up", "excuses, dan opvolgen"),
    .followUpPersonally: ("follow up personally", "persoonlijk opvolgen"),
    .correctWithSources: ("correct with sources", "rechtzetten met bronnen"),
    .noReplyWatch: ("don't reply, watch", "niet reageren, volgen"),
    .dontAmplify: ("don't amplify", "niet versterken"), .noAction: ("nothing to do", "niets te doen"),
  ]

  static let channels: [AdviceChannel: (en: String, nl: String)] = [
    .samePlatform: ("same platform", "zelfde platform"), .privateMessage: ("private message", "privébericht"),
    .considerOffline: ("consider offline", "buiten het platform overwegen"),
    .none: ("no channel", "geen kanaal"),
  ]

  static let signalKinds: [SignalKind: (en: String, nl: String)] = [
    .positiveWord: ("positive word", "positief woord"), .negativeWord: ("negative word", "negatief woord"),
    .negation: ("negation", "ontkenning"), .intensifier: ("intensifier", "versterker"),
    .dampener: ("dampener", "verzachter"), .emoji: ("emoji", "emoji"), .emoticon: ("emoticon", "emoticon"),
    .thanks: ("thanks", "dank"), .questionMark: ("question mark", "vraagteken"),
    .interrogative: ("question word", "vraagwoord"), .request: ("request", "verzoek"),
    .complaintCue: ("complaint cue", "klachtwoord"), .ownExperience: ("own experience", "eigen ervaring"),
    .insult: ("insult", "belediging"), .sweeping: ("sweeping", "veralgemening"),
    .shouting: ("shouting", "schreeuwen"), .exclamation: ("exclamation", "uitroep"),
    .contrast: ("contrast", "tegenstelling"), .rumour: ("rumour", "gerucht"),
    .staffAuthor: ("staff author", "eigen medewerker"), .exasperation: ("exasperation", "ergernis"),
    .greeting: ("greeting", "groet"), .resolution: ("put right", "opgelost"),
  ]

  static let replyModes: [ReplyMode: (en: String, nl: String)] = [
    .reply: ("reply", "antwoord"), .holding: ("holding", "wachtbericht"),
    .followUp: ("follow-up", "opvolging"),
  ]

  static let replyStatuses: [String: (en: String, nl: String)] = [
    "queued": ("queued", "in de uitbak"), "awaiting_approval": ("awaiting approval", "wacht op goedkeuring"),
    "returned": ("returned", "teruggestuurd"), "sent": ("sent", "verzonden"),
    "unverified": ("unverified", "onbevestigd"), "failed": ("failed", "mislukt"),
  ]

  static let events: [String: (en: String, nl: String)] = [
    "approve_reply": ("approved the reply", "keurde het antwoord goed"), "claim": ("claimed", "claimde"),
    "deleted": ("deleted by the platform", "verwijderd door het platform"),
    "delivered": ("delivered", "verzonden"),
    "delivery_failed": ("delivery failed", "verzending mislukt"),
    "delivery_unverified": ("delivery unverified", "verzending onbevestigd"), "edited": ("edited", "bewerkt"),
    "erased": ("erased", "gewist"), "escalate": ("escalated", "geëscaleerd"),
    "escalation_acknowledge": ("took the escalation", "nam de escalatie op"),
    "escalation_note": ("noted on the escalation", "schreef bij de escalatie"),
    "escalation_reassign": ("passed the escalation on", "gaf de escalatie door"),
    "escalation_resolve": ("resolved the escalation", "sloot de escalatie af"),
    "held_for_approval": ("held for approval", "wacht op goedkeuring"),
    "ingest": ("arrived", "binnengekomen"),
    "no_reply": ("no reply", "geen reactie"), "note": ("note", "notitie"),
    "recategorise": ("recategorised", "andere categorie"), "release": ("released", "vrijgegeven"),
    "reopen": ("reopened", "heropend"), "replied_elsewhere": ("replied elsewhere", "elders beantwoord"),
    "retry_reply": ("retried the reply", "antwoord opnieuw geprobeerd"),
    "return_reply": ("sent the reply back", "stuurde het antwoord terug"),
    "snooze": ("snoozed", "gesluimerd"),
    "unwatch": ("stopped watching", "niet meer gevolgd"), "wake": ("woke", "gewekt"),
    "watch": ("watched", "gevolgd"), "reply": ("replied", "antwoordde"),
    "reply_for_approval": ("reply for approval", "antwoord ter goedkeuring"),
    "reply_against_advice": ("replied against the advice", "antwoordde tegen het advies in"),
    "holding": ("holding reply", "wachtbericht"), "follow_up": ("follow-up", "opvolging"),
  ]
}

extension Localised {
  func pick(_ pair: (en: String, nl: String)?, _ fallback: String) -> String {
    guard let pair else { return fallback }
    return language == .nl ? pair.nl : pair.en
  }

  /// What the advice says to do.
  public func action(_ a: AdviceAction) -> String { pick(Words.actions[a], a.rawValue) }
  /// Where the advice says to answer.
  public func channel(_ c: AdviceChannel) -> String { pick(Words.channels[c], c.rawValue) }
  /// A signal's kind, as the detail's signal line names it.
  public func signal(_ k: SignalKind) -> String { pick(Words.signalKinds[k], k.rawValue) }
  /// A reply's kind: reply, holding, follow-up.
  public func mode(_ m: ReplyMode) -> String { pick(Words.replyModes[m], m.rawValue) }
  /// An outbox status (`queued`, `sent`…).
  public func replyStatus(_ s: String) -> String { pick(Words.replyStatuses[s], s) }
}

extension Localised {
  /// An event of the audit trail in words; an unknown action shows as it is stored.
  public func event(_ action: String) -> String {
    pick(Words.events[action], TerminalSafe.sanitize(action))
  }
}

extension Localised {
  /// Why a reply against the advice not to reply needs a reason, naming the rule.
  public func againstAdvice(_ rule: String) -> String {
    let what: (en: String, nl: String)
    switch rule {
    case "S8":
      what = (
        "an unfounded accusation: replying makes it bigger",
        "een ongegronde beschuldiging: reageren maakt het groter"
      )
    case "S5":
      what = (
        "staff praising the organisation: better not to react",
        "een medewerker prijst de eigen organisatie: liever niet reageren"
      )
    case "S4":
      what = (
        "praise that repeats a rumour: don't amplify it", "lof die een gerucht herhaalt: niet versterken"
      )
    default: what = ("", "")
    }
    return language == .nl
      ? "\(rule): het advies is niet te reageren (\(what.nl)); reageren kan alleen met een reden"
      : "\(rule): the advice is not to reply (\(what.en)); replying anyway needs a reason"
  }

  /// The asks as sentences a responder can act on, in the UI language.
  /// `editorOpened`: false from the command line, where there is no editor to have opened, so a
  /// collision says who and when (with the date) rather than "after you opened the editor".
  public func asks(_ asks: [ReplyAsk], timeZone: TimeZone, editorOpened: Bool = true) -> [String] {
    let nl = language == .nl
    return asks.map { ask in
      switch ask {
      case .warnings(let findings):
        let list = findings.map { "\($0.rule) \($0.message)" }.joined(separator: " ")
        return nl
          ? "\(findings.count) waarschuwing\(findings.count == 1 ? "" : "en"): \(list)"
          : "\(findings.count) warning\(findings.count == 1 ? "" : "s"): \(list)"
      case .coolingOff(let until):
        let time = Format.clock(until, timeZone: timeZone)
        return nl
          ? "S11: de afkoeltijd loopt nog tot \(time); eerst nadenken en uitzoeken."
          : "S11: the cooling-off window runs until \(time); think and research first."
      case .collision(let who, let what, let at):
        let time = Format.clock(at, timeZone: timeZone)
        let name = TerminalSafe.sanitize(who)
        if !editorOpened {
          let when = Format.day(at, timeZone: timeZone) + " " + time
          switch (what, nl) {
          case (.claimed, false): return "\(name) claimed this mention on \(when)."
          case (.claimed, true): return "\(name) claimde deze vermelding op \(when)."
          case (.drafted, false): return "\(name) has been writing a reply since \(when)."
          case (.drafted, true): return "\(name) schrijft sinds \(when) ook een antwoord."
          case (.replied, false): return "\(name) replied on \(when)."
          case (.replied, true): return "\(name) antwoordde op \(when)."
          }
        }
        switch (what, nl) {
        case (.claimed, false): return "\(name) claimed this mention at \(time), after you opened the editor."
        case (.claimed, true): return "\(name) claimde deze vermelding om \(time), nadat je de editor opende."
        case (.drafted, false): return "\(name) has been writing a reply since \(time)."
        case (.drafted, true): return "\(name) schrijft sinds \(time) ook een antwoord."
        case (.replied, false): return "\(name) replied at \(time), after you opened the editor."
        case (.replied, true): return "\(name) antwoordde om \(time), nadat je de editor opende."
        }
      case .followUp(let earlier):
        guard let e = earlier else {
          return nl
            ? "Deze vermelding is al beantwoord: dit wordt een vervolgantwoord."
            : "This mention was answered already: this is a follow-up."
        }
        let time = Format.clock(e.createdAt, timeZone: timeZone)
        let excerpt = TextWidth.truncate(TerminalSafe.sanitize(e.text), to: 40)
        let name = TerminalSafe.sanitize(e.responder)
        return nl
          ? "Al beantwoord door \(name) om \(time) (#\(e.id), \(e.status)): \"\(excerpt)\"; dit wordt een vervolgantwoord."
          : "Already answered by \(name) at \(time) (#\(e.id), \(e.status)): \"\(excerpt)\"; this is a follow-up."
      }
    }
  }
}
