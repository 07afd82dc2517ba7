import Foundation

extension Duration {
  /// Minutes, for readable policy defaults.
  static func minutes(_ m: Int) -> Duration { .seconds(m * 60) }
  /// Hours, for readable policy defaults.
  static func hours(_ h: Int) -> Duration { .seconds(h * 3600) }
}

extension PolicyConfig {
  /// The article's policy (S1–S16), before an organisation makes it its own (S1).
  ///
  /// No names, accounts, roster or rumours: those are the organisation's. Windows: a question gets a
  /// quick first response (S12); a complaint and a misinformation claim get a cooling-off first
  /// (S11: let anger settle, check the facts), then a fast target. Praise, self-praise, unfounded
  /// accusations and neutral mentions need no reply (S3, S5, S8).
  public static let `default` = PolicyConfig(
    organisation: Organisation(),
    team: [],
    serviceHours: ServiceHours(
      timeZone: TimeZone(identifier: "Europe/Amsterdam")!,
      week: [
        .monday: [Shift("08:00-12:30")!, Shift("13:00-20:00")!],
        .tuesday: [Shift("08:00-12:30")!, Shift("13:00-20:00")!],
        .wednesday: [Shift("08:00-12:30")!, Shift("13:00-20:00")!],
        .thursday: [Shift("08:00-12:30")!, Shift("13:00-20:00")!],
        .friday: [Shift("08:00-12:30")!, Shift("13:00-20:00")!],
        .saturday: [Shift("10:00-16:00")!],
        .sunday: [],
      ],
      holidays: []
    ),
    windows: [
      .question: ResponseWindow(coolingOff: .minutes(2), firstResponse: .hours(1), serviceHours: true),
      .complaint: ResponseWindow(
        coolingOff: .minutes(10), firstResponse: .hours(1), followUp: .hours(24), serviceHours: true),
      .misinformation: ResponseWindow(
        coolingOff: .minutes(15), firstResponse: .hours(2), serviceHours: true),
    ],
    holdingFollowUp: .hours(24),
    holdingFollowUpInServiceHours: false,
    rumours: [],
    staffAccounts: [],
    noise: Noise(mutedWords: [], mutedAuthors: []),
    tone: Tone(
      reproachful: ["nl": DefaultPhrases.reproachfulNL, "en": DefaultPhrases.reproachfulEN],
      apologies: ["nl": DefaultPhrases.apologyNL, "en": DefaultPhrases.apologyEN],
      maxExclamations: 2
    ),
    escalation: Escalation(
      words: ["nl": DefaultPhrases.escalationNL, "en": DefaultPhrases.escalationEN],
      highReach: 10_000
    ),
    signature: SignatureFormat(format: "– {first_name}", separator: " "),
    templates: DefaultPhrases.templates,
    views: PolicyView.defaults
  )
}

/// The default phrase lists and templates, written for this project.
enum DefaultPhrases {
  /// Reproachful or know-it-all phrasing in Dutch (S9). Matched on whole words, case-folded.
  static let reproachfulNL = [
    "zoals we al zeiden", "zoals wij al zeiden", "zoals we al eerder zeiden", "zoals al gezegd",
    "zoals eerder gezegd", "zoals we al schreven", "zoals al eerder aangegeven", "zoals eerder vermeld",
    "zoals duidelijk vermeld", "zoals duidelijk staat", "zoals overal staat", "eigenlijk",
    "uiteraard", "natuurlijk niet", "vanzelfsprekend", "overduidelijk", "duidelijk staat",
    "had u kunnen weten", "had je kunnen weten", "had je kunnen lezen", "had u kunnen lezen",
    "als je goed had gelezen", "als u goed had gelezen", "lees eerst", "lees even", "lees nog eens",
    "lees het nog eens", "u had moeten", "je had moeten", "dat klopt dus niet", "dat is dus onzin",
    "dat is gewoon onzin", "onzin", "kletskoek", "nergens op gebaseerd", "beter informeren",
    "informeer je eerst", "informeer u eerst", "doe eerst je huiswerk", "doe eerst even onderzoek",
    "zoek het eerst uit", "voor de zoveelste keer", "voor de laatste keer", "nogmaals", "alweer",
    "wij hebben al", "echt niet zo moeilijk", "niet zo moeilijk", "iedereen weet", "zoals iedereen weet",
    "gewoon niet waar", "klopt gewoon niet", "fake news", "nepnieuws", "sorry maar", "met alle respect",
  ]

  /// Reproachful or know-it-all phrasing in English (S9).
  static let reproachfulEN = [
    "as we said", "as we already said", "as we clearly stated", "as stated", "as previously stated",
    "as we have said", "as mentioned before", "as already mentioned", "as we already explained",
    "as explained", "as clearly stated", "obviously", "clearly", "actually", "of course not",
    "needless to say", "it's not that hard", "it is not that hard", "not that difficult",
    "if you had read", "if you'd read", "read it again", "please read", "read the fine print",
    "do your research", "do your homework", "get your facts straight", "check your facts",
    "you should have", "you should've", "you ought to", "you clearly", "you obviously",
    "everyone knows", "as everyone knows", "for the last time", "once again", "yet again",
    "simply not true", "that's nonsense", "that is nonsense", "nonsense", "fake news",
    "with all due respect", "educate yourself", "misinformed", "let us be clear", "let's be clear",
    "to be clear", "just so you know", "for your information", "fyi",
  ]

  /// Apology phrases in Dutch (S10). "Vervelend" is how Dutch webcare says it is sorry.
  static let apologyNL = [
    "sorry", "excuses", "excuus", "onze excuses", "onze verontschuldigingen", "verontschuldigen",
    "spijt", "het spijt ons", "het spijt me", "vervelend", "wat vervelend", "balen", "wat jammer",
    "jammer",
  ]

  /// Apology phrases in English (S10).
  static let apologyEN = [
    "sorry", "apologise", "apologize", "apologies", "our apologies", "we apologise", "we apologize",
    "regret", "unfortunate", "that's frustrating", "that is frustrating",
  ]

  /// Legal and press words in Dutch: management must hear about these.
  static let escalationNL = [
    "advocaat", "advocaten", "rechtszaak", "rechter", "rechtbank", "juridisch", "juridische",
    "aangifte", "dagvaarding", "sommatie", "ingebrekestelling", "schadeclaim", "schadevergoeding",
    "geschillencommissie", "ombudsman", "consumentenbond", "acm", "journalist", "journaliste",
    "redactie", "krant", "pers", "persbericht", "kassa", "radar", "tv", "nieuws", "media",
  ]

  /// Legal and press words in English.
  static let escalationEN = [
    "lawyer", "attorney", "lawsuit", "sue", "suing", "legal action", "court", "small claims",
    "class action", "ombudsman", "regulator", "journalist", "reporter", "press", "newspaper",
    "news", "media", "tv", "bbb", "consumer protection",
  ]

  /// Templates to start from, per use and language; every reply is signed on top (S16).
  static let templates: [Template] = [
    Template(
      id: "praise.nl", kind: .category(.praise), lang: "nl",
      text: "Dank je wel voor je mooie woorden, {name}! Fijn om te horen."),
    Template(
      id: "praise.en", kind: .category(.praise), lang: "en",
      text: "Thank you for your kind words, {name}! Great to hear."),
    Template(
      id: "question.nl", kind: .category(.question), lang: "nl",
      text: "Hoi {name}, goede vraag! "),
    Template(
      id: "question.en", kind: .category(.question), lang: "en",
      text: "Hi {name}, good question! "),
    Template(
      id: "holding.nl", kind: .holding, lang: "nl",
      text: "Hoi {name}, we hebben je vraag ontvangen en zoeken het uit. Je hoort snel van ons."),
    Template(
      id: "holding.en", kind: .holding, lang: "en",
      text: "Hi {name}, we have received your question and are looking into it. You will hear from us soon."),
    Template(
      id: "complaint.nl", kind: .category(.complaint), lang: "nl",
      text:
        "Hoi {name}, wat vervelend dat dit is gebeurd. Onze excuses. We willen het graag voor je oplossen: "
        + "stuur je ons een privébericht met je gegevens?"),
    Template(
      id: "complaint.en", kind: .category(.complaint), lang: "en",
      text:
        "Hi {name}, we're sorry this happened. We'd like to put it right: could you send us a private "
        + "message with your details?"),
    Template(
      id: "misinformation.nl", kind: .category(.misinformation), lang: "nl",
      text: "Hoi {name}, dank voor het delen. Wat er precies klopt: {facts} Meer informatie: {sources}"),
    Template(
      id: "misinformation.en", kind: .category(.misinformation), lang: "en",
      text: "Hi {name}, thanks for raising this. Here are the facts: {facts} More information: {sources}"),
  ]
}
