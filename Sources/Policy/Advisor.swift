import Foundation

/// Another post in the same thread as the mention (S11: has someone answered already?).
public struct ThreadPost: Sendable, Hashable {
  public var authorHandle: String
  /// Posted by one of the organisation's own accounts.
  public var isOrganisation: Bool
  public var text: String
  public var time: Date

  public init(authorHandle: String, isOrganisation: Bool, text: String, time: Date) {
    self.authorHandle = authorHandle
    self.isOrganisation = isOrganisation
    self.text = text
    self.time = time
  }
}

/// Everything the advisor looks at for one mention.
public struct AdviceContext: Sendable {
  public var input: ClassifierInput
  public var classification: Classification
  /// When the mention was posted; thread posts after it count as answers.
  public var time: Date
  /// Other posts in the thread, in any order.
  public var thread: [ThreadPost]
  /// How many complaints this author made before (a repeat complainer is escalated).
  public var priorComplaints: Int
  /// The mention was answered and its personal follow-up (S10) is what is due now.
  public var followUpDue: Bool
  /// The language of the explanation (`nl`, `en`): the reader's, so a screen speaks one
  /// language. Nil: the mention's (a dry run, an export).
  public var explainIn: String?

  public init(
    input: ClassifierInput, classification: Classification, time: Date, thread: [ThreadPost] = [],
    priorComplaints: Int = 0, followUpDue: Bool = false, explainIn: String? = nil
  ) {
    self.explainIn = explainIn
    self.input = input
    self.classification = classification
    self.time = time
    self.thread = thread
    self.priorComplaints = priorComplaints
    self.followUpDue = followUpDue
  }
}

/// What to do with a mention.
public enum AdviceAction: String, Sendable, Codable, Hashable, CaseIterable {
  /// Praise: pause; thank if you react at all (S3, S6).
  case thankOrStaySilent = "thank_or_stay_silent"
  case answer
  /// The answer isn't known yet: say the question reached the right person (S12).
  case holdingReply = "holding_reply"
  /// Complaint: apologise on the same platform, repair, follow up personally (S10).
  case apologiseThenFollowUp = "apologise_then_follow_up"
  /// Answered already: now follow up personally, offline if that suits better (S10, S7).
  case followUpPersonally = "follow_up_personally"
  /// Misinformation: correct with facts and source links, without reproach (S9).
  case correctWithSources = "correct_with_sources"
  /// Unfounded: don't reply; watch the author and inform management (S8).
  case noReplyWatch = "no_reply_watch"
  /// Self-praise, or praise that repeats a rumour: don't react, don't share (S5, S4).
  case dontAmplify = "dont_amplify"
  case noAction = "no_action"
}

/// Where to answer (S7: decide whether online or offline).
public enum AdviceChannel: String, Sendable, Codable, Hashable, CaseIterable {
  case samePlatform = "same_platform"
  case privateMessage = "private"
  /// Some matters are better face to face: phone or a meeting (S7).
  case considerOffline = "consider_offline"
  case none
}

/// Why management must hear about a mention.
public enum EscalationReason: String, Sendable, Codable, Hashable, CaseIterable {
  /// S8: inform the board or management of unfounded accusations.
  case unfoundedAccusation = "unfounded_accusation"
  case legalOrPress = "legal_or_press"
  case highReach = "high_reach"
  case repeatComplainer = "repeat_complainer"
  /// Still unanswered past the first-response (or follow-up) target (S12).
  case overdue
  /// Many more mentions this hour than usual for this hour.
  case volumeRise = "volume_rise"
  /// A responder escalated it with the inbox's `e`, with a note.
  case byHand = "by_hand"

  /// How much it weighs on the supervisor's pane: 3 first, then 2, then 1.
  public var severity: Int {
    switch self {
    case .legalOrPress, .volumeRise: return 3
    case .highReach, .unfoundedAccusation, .byHand: return 2
    case .overdue, .repeatComplainer: return 1
    }
  }
}

/// The policy's advice for one mention; it explains itself.
public struct Advice: Sendable, Hashable {
  public var action: AdviceAction
  public var channel: AdviceChannel
  public var escalate: Bool { !escalation.isEmpty }
  public var escalation: [EscalationReason]
  /// The legal or press words found.
  public var escalationWords: [String]
  /// The template to start from, if any.
  public var templateID: String?
  /// The rules that apply, e.g. ["S10", "S7"].
  public var rules: [String]
  /// Handles of people other than the organisation who already answered in the thread (S11).
  public var answeredBy: [String]
  /// The organisation already answered in the thread.
  public var organisationAnswered: Bool
  /// A short explanation in the reader's language (`AdviceContext.explainIn`), else the mention's.
  public var explanation: String
  public var lang: String
}

extension Advice {
  /// The rule that advises against replying at all, when it does: S8 for an unfounded accusation,
  /// S5 for staff praising the organisation, S4 for praise that repeats a rumour. A reply against
  /// it needs an explicit override with a reason; nil when replying is not advised against.
  public var noReplyRule: String? {
    switch action {
    case .noReplyWatch: return "S8"
    case .dontAmplify: return rules.first { $0 == "S4" || $0 == "S5" } ?? "S5"
    default: return nil
    }
  }
}

/// Turns a classified mention into advice, following S1–S16.
public struct Advisor: Sendable {
  public let policy: PolicyConfig
  let escalationWords: PhraseMatcher

  public init(_ policy: PolicyConfig) {
    self.policy = policy
    escalationWords = PhraseMatcher(policy.escalation.words.sorted { $0.key < $1.key }.flatMap(\.value))
  }

  public func advise(_ ctx: AdviceContext) -> Advice {
    let c = ctx.classification
    let nl = (ctx.explainIn ?? c.lang) == "nl"
    // The reply's language: templates and facts are what the author will read.
    let replyLang = c.lang == "nl" ? "nl" : "en"
    var a = byCategory(c, nl: nl, replyLang: replyLang)
    if ctx.followUpDue { a.followUp(nl: nl) }
    let (reasons, words) = escalation(ctx, nl: nl, into: &a)
    faceToFace(ctx, words: words, nl: nl, into: &a)
    let (answeredBy, orgAnswered) = thread(ctx, nl: nl, into: &a)
    if a.templateKind != nil, a.action != .noAction, a.channel != .none { a.rules.append("S16") }

    return Advice(
      action: a.action, channel: a.channel, escalation: reasons, escalationWords: words,
      templateID: a.templateKind.flatMap { policy.template(for: $0, lang: c.lang)?.id }, rules: a.rules,
      answeredBy: answeredBy, organisationAnswered: orgAnswered, explanation: a.notes.joined(separator: " "),
      lang: replyLang)
  }

  /// Advice as it is being put together: what to do, where, why (the rules and the notes that
  /// explain them) and with which template.
  struct Draft {
    var action: AdviceAction
    var channel: AdviceChannel = .samePlatform
    var rules: [String] = []
    var notes: [String] = []
    var templateKind: TemplateKind? = nil

    /// S10: the public answer went out; what is due now is the personal follow-up.
    mutating func followUp(nl: Bool) {
      action = .followUpPersonally
      channel = .considerOffline
      rules = ["S10", "S7"]
      templateKind = nil
      notes = [
        nl
          ? "Beantwoord, maar nog niet afgerond: volg het persoonlijk op bij deze persoon en herstel wat mis ging (S10); overweeg contact buiten het platform, zoals een telefoontje (S7)."
          : "Answered, but not done yet: follow up personally with this person and put right what went wrong (S10); consider contact offline, such as a phone call (S7)."
      ]
    }
  }

  /// What each category asks for (S3–S12), with the note that says why.
  func byCategory(_ c: Classification, nl: Bool, replyLang: String) -> Draft {
    var a = Draft(action: .noAction)
    let repeatsRumour = !c.rumours.isEmpty
    switch c.category {
    case .praise where repeatsRumour:
      a.action = .dontAmplify
      a.channel = .none
      a.rules = ["S4"]
      a.notes.append(
        nl
          ? "Positief bericht, maar het herhaalt een bekend gerucht (\(c.rumours.joined(separator: ", "))): niet bevestigen of delen (S4)."
          : "A positive message, but it repeats a known rumour (\(c.rumours.joined(separator: ", "))): don't confirm or share it (S4)."
      )
    case .praise:
      a.action = .thankOrStaySilent
      a.rules = ["S3", "S6"]
      a.templateKind = .category(.praise)
      a.notes.append(
        nl
          ? "Positief bericht: even pas op de plaats; reageren hoeft niet. Reageer je wel, bedank dan (S3, S6)."
          : "A positive message: pause first; a reply is optional. If you do react, thank the sender (S3, S6)."
      )
    case .selfPraise:
      a.action = .dontAmplify
      a.channel = .none
      a.rules = ["S5"]
      a.notes.append(
        nl
          ? "Een medewerker prijst de eigen organisatie: liever niet reageren of delen; het is sterker als anderen positief over je praten (S5)."
          : "A member of staff praises the organisation: better not to react or share; praise is stronger from others (S5)."
      )
    case .question:
      a.action = .answer
      a.rules = ["S12"]
      a.templateKind = .category(.question)
      a.notes.append(
        nl
          ? "Een vraag: niet te lang wachten, stil zijn lijkt afwezig zijn. Weet je het antwoord nog niet, stuur dan nu een wachtbericht (S12)."
          : "A question: don't wait too long, silence reads as absence. If you don't know the answer yet, send a holding reply now (S12)."
      )
    case .complaint:
      a.action = .apologiseThenFollowUp
      a.rules = ["S10", "S11"]
      a.templateKind = .category(.complaint)
      a.notes.append(
        nl
          ? "Een klacht: bied excuses aan op hetzelfde platform, herstel wat mis ging en volg het persoonlijk op (S10). Laat eerst je eigen emotie zakken (S11)."
          : "A complaint: apologise on the same platform, put right what went wrong and follow up personally (S10). Let your own emotions settle first (S11)."
      )
    case .misinformation:
      a.action = .correctWithSources
      a.rules = ["S9", "S11"]
      a.templateKind = .category(.misinformation)
      let facts = policy.rumours.filter { c.rumours.contains($0.id) }
      a.notes.append(
        nl
          ? "Onjuiste informatie (\(c.rumours.joined(separator: ", "))): benoem de feiten met links naar bronnen, op hetzelfde platform, niet verwijtend of betweterig (S9)."
          : "Wrong facts (\(c.rumours.joined(separator: ", "))): state the facts with links to sources, on the same platform, without reproach or a know-it-all tone (S9)."
      )
      if let f = facts.first {
        a.notes.append(
          (nl ? "Feiten: " : "Facts: ") + f.facts(in: replyLang) + " "
            + f.sources(in: replyLang).joined(separator: " ")
        )
      }
    case .unfounded:
      a.action = .noReplyWatch
      a.channel = .none
      a.rules = ["S8"]
      a.notes.append(
        nl
          ? "Beschuldiging zonder onderbouwing: niet reageren, dat maakt het groter. Volg deze persoon, kijk of anderen reageren en licht zo nodig de directie in (S8)."
          : "An accusation without substance: don't reply, it only makes it bigger. Watch this author, see whether others react, and inform management if needed (S8)."
      )
    case .neutral:
      a.action = .noAction
      a.channel = .none
      a.rules = []
      a.notes.append(nl ? "Niets te doen." : "Nothing to do.")
    }

    return a
  }

  /// Why the mention goes to management: an unfounded accusation, legal or press words, a large
  /// reach or a repeat complainer. The reasons, and the escalation words found (each once).
  func escalation(_ ctx: AdviceContext, nl: Bool, into a: inout Draft) -> ([EscalationReason], [String]) {
    let c = ctx.classification
    var reasons: [EscalationReason] = []
    if c.category == .unfounded { reasons.append(.unfoundedAccusation) }
    // Each word once, however often it is written ("journalist, journalist" said nothing more).
    var seenWords = Set<String>()
    let words = (c.escalationWords ?? escalationWords.matches(Tokenizer.scan(ctx.input.text))).filter {
      seenWords.insert($0.lowercased()).inserted
    }
    if !words.isEmpty {
      reasons.append(.legalOrPress)
      a.notes.append(
        nl
          ? "Juridische of perswoorden (\(words.joined(separator: ", "))): de leiding moet dit weten."
          : "Legal or press words (\(words.joined(separator: ", "))): management must know.")
    }
    let negative = [.complaint, .unfounded, .misinformation].contains(c.category)
    if negative, let f = ctx.input.followers, f >= policy.escalation.highReach {
      reasons.append(.highReach)
      a.notes.append(
        nl
          ? "Groot bereik: \(f) volgers (drempel \(policy.escalation.highReach))."
          : "High reach: \(f) followers (threshold \(policy.escalation.highReach)).")
    }
    if negative, ctx.priorComplaints >= 2 {
      reasons.append(.repeatComplainer)
      a.notes.append(
        nl
          ? "Deze auteur klaagde al \(ctx.priorComplaints) keer eerder."
          : "This author complained \(ctx.priorComplaints) times before.")
    }

    return (reasons, words)
  }

  /// S7: some matters are better face to face.
  func faceToFace(_ ctx: AdviceContext, words: [String], nl: Bool, into a: inout Draft) {
    let c = ctx.classification
    if c.category == .complaint, !ctx.followUpDue,
      c.sentiment <= -0.6 || ctx.priorComplaints >= 2 || !words.isEmpty
        || c.signals.contains(where: { $0.kind == .shouting })
    {
      a.channel = .considerOffline
      a.rules.append("S7")
      a.notes.append(
        nl
          ? "Overweeg persoonlijk contact buiten het platform (telefoon, gesprek): sommige zaken los je beter oog in oog op (S7)."
          : "Consider contact offline (phone, a meeting): some matters are better handled face to face (S7).")
    }

  }

  /// S11: someone else may have answered already. Who answered in the thread since the mention,
  /// and whether the organisation did.
  func thread(_ ctx: AdviceContext, nl: Bool, into a: inout Draft) -> ([String], Bool) {
    let later = ctx.thread.filter { $0.time >= ctx.time }
    let author = later.isEmpty ? "" : Handle.normalise(ctx.input.authorHandle)
    let others = later.filter {
      !$0.isOrganisation && !policy.isOwnAccount($0.authorHandle)
        && Handle.normalise($0.authorHandle) != author
    }
    var answeredBy: [String] = []
    for p in others where !answeredBy.contains(p.authorHandle) { answeredBy.append(p.authorHandle) }
    let orgAnswered = later.contains { $0.isOrganisation || policy.isOwnAccount($0.authorHandle) }
    if !answeredBy.isEmpty, a.action != .noAction {
      if !a.rules.contains("S11") { a.rules.append("S11") }
      a.notes.append(
        nl
          ? "Let op: \(answeredBy.joined(separator: ", ")) reageerde al in dit gesprek; je antwoord is misschien al (deels) gegeven (S11)."
          : "Note: \(answeredBy.joined(separator: ", ")) already answered in this thread; the reply may already be (partly) given (S11)."
      )
    }
    if orgAnswered {
      a.notes.append(
        nl
          ? "De organisatie heeft in dit gesprek al gereageerd."
          : "The organisation has already replied in this thread.")
    }
    return (answeredBy, orgAnswered)
  }

  /// The holding reply's template for a language (S12).
  public func holdingTemplate(lang: String) -> Template? {
    policy.template(for: .holding, lang: lang)
  }
}
