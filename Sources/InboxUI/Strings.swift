import Foundation
import Policy

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

/// Every piece of UI text, in English and Dutch, from one table.
public enum UIText: String, CaseIterable, Sendable {
  // status line
  case open, holding, replied, noReply, snoozed, overdue, cooling, new, filtered, searching
  // queue
  case headerClock, headerAge, headerDue, headerCategory, headerPlatform, headerAuthor, headerClaim,
    headerText, queueEmpty, queueTitle, detailTitle, marked
  // detail
  case advice, deadlines, earliestReply, firstResponse, followUp, thread, earlierFromAuthor, notes,
    escalations, history, followers, mentionsCount, watched, notWatched, claimedBy, manualBy, signals,
    answeredBy, organisationAnswered, escalate, reopened, noSelection, reason, snoozedUntil, edited
  // a post the platform deleted or withheld
  case deletedMark, deletedByPlatform
  // prompts
  case promptSearch, promptFilter, promptNoReply, promptSnooze, promptEscalate, promptNote, pickCategory,
    filterHint, snoozeHint
  // messages
  case comesWithReplies, comesWithSupervisor, tooSmall, claimed, released, noUnclaimed, recategorised,
    decidedNoReply, reopenedDone, watching, unwatched, snoozedDone, escalated, noteAdded, badSnooze,
    badFilter, indexing, selectOn, selectOff, nothingSelected, hint, helpTitle, helpGlobal, helpClose,
    themeFallback
  // commands (help)
  case cmdUp, cmdDown, cmdPageUp, cmdPageDown, cmdTop, cmdBottom, cmdDetail, cmdFocus, cmdNext, cmdClaim,
    cmdReply, cmdHolding,
    cmdRecategorise, cmdNoReply, cmdReopen, cmdWatch, cmdSnooze, cmdEscalate, cmdNote, cmdSelect, cmdMark,
    cmdFilter, cmdSearch, cmdHelp, cmdQuit, cmdBack, cmdSupervisor, cmdSubmit, cmdDelete, cmdPick,
    cmdSelectAll
}

/// The string table; `strings[.open]` gives the text in the chosen language.
public struct Strings: Sendable {
  public let language: UILanguage

  public init(_ language: UILanguage) { self.language = language }

  public subscript(_ key: UIText) -> String {
    let pair = Strings.table[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }

  static let table: [UIText: (en: String, nl: String)] = [
    .open: ("open", "open"), .holding: ("holding", "wachtbericht"), .replied: ("replied", "beantwoord"),
    .noReply: ("no reply", "geen reactie"), .snoozed: ("snoozed", "gesluimerd"),
    .overdue: ("overdue", "te laat"), .cooling: ("cooling", "afkoelen"), .new: ("new", "nieuw"),
    .filtered: ("filter", "filter"), .searching: ("search", "zoek"),
    .headerClock: ("", ""), .headerAge: ("age", "leeftijd"), .headerDue: ("due", "termijn"),
    .headerCategory: ("category", "categorie"), .headerPlatform: ("platform", "platform"),
    .headerAuthor: ("author", "auteur"), .headerClaim: ("claim", "claim"),
    .headerText: ("text", "tekst"),
    .queueEmpty: ("Nothing in the queue.", "Niets in de wachtrij."), .queueTitle: ("Queue", "Wachtrij"),
    .detailTitle: ("Mention", "Vermelding"), .marked: ("selected", "geselecteerd"),
    .advice: ("Advice", "Advies"), .deadlines: ("Deadlines", "Termijnen"),
    .earliestReply: ("earliest reply", "vroegste reactie"),
    .firstResponse: ("first response", "eerste reactie"),
    .followUp: ("follow-up", "opvolging"), .thread: ("Thread", "Gesprek"),
    .earlierFromAuthor: ("Earlier from this author", "Eerder van deze auteur"), .notes: ("Notes", "Notities"),
    .escalations: ("Escalations", "Escalaties"), .history: ("History", "Geschiedenis"),
    .followers: ("followers", "volgers"), .mentionsCount: ("mentions", "vermeldingen"),
    .watched: ("watched", "gevolgd"), .notWatched: ("not watched", "niet gevolgd"),
    .claimedBy: ("claimed by", "geclaimd door"), .manualBy: ("set by hand by", "met de hand gezet door"),
    .signals: ("signals", "signalen"),
    .answeredBy: (
      "Someone else already answered in the thread (S11):",
      "Iemand anders antwoordde al in het gesprek (S11):"
    ),
    .organisationAnswered: (
      "The organisation already answered in this thread.", "De organisatie antwoordde al in dit gesprek."
    ),
    .escalate: ("Inform the supervisor:", "Licht de leidinggevende in:"),
    .reopened: (
      "↺ reopens a conversation the team replied to or closed",
      "↺ heropent een gesprek dat het team al beantwoordde of afsloot"
    ),
    .noSelection: ("No mention selected.", "Geen vermelding gekozen."), .reason: ("reason", "reden"),
    .snoozedUntil: ("snoozed until", "gesluimerd tot"), .edited: ("edited", "bewerkt"),
    .deletedMark: ("[deleted]", "[verwijderd]"),
    .deletedByPlatform: (
      "Deleted or withheld on the platform; the text below is as stored",
      "Verwijderd of achtergehouden op het platform; de tekst hieronder is zoals bewaard"
    ),
    .promptSearch: ("search: ", "zoek: "), .promptFilter: ("filter: ", "filter: "),
    .promptNoReply: ("no reply, reason: ", "geen reactie, reden: "),
    .promptSnooze: ("snooze until (30m, 2h, 1d, 17:00): ", "sluimer tot (30m, 2u, 1d, 17:00): "),
    .promptEscalate: ("escalate, note for the supervisor: ", "escaleer, notitie voor de leidinggevende: "),
    .promptNote: ("note for the team: ", "notitie voor het team: "),
    .pickCategory: ("category: ", "categorie: "),
    .filterHint: (
      "words: a category, status, clock or platform (e.g. complaint overdue mastodon); empty clears",
      "woorden: categorie, status, klok of platform (bv. complaint overdue mastodon); leeg wist"
    ),
    .snoozeHint: ("30m, 2h, 1d or a time of day", "30m, 2u, 1d of een tijdstip"),
    .comesWithReplies: ("Replies come with the editor (issue 5).", "Reageren komt met de editor (issue 5)."),
    .comesWithSupervisor: (
      "The escalation pane comes with issue 6.", "Het escalatiescherm komt met issue 6."
    ),
    .tooSmall: (
      "The terminal is too small: Repute needs 60×16", "Het venster is te klein: Repute heeft 60×16 nodig"
    ),
    .claimed: ("claimed", "geclaimd"), .released: ("released", "vrijgegeven"),
    .noUnclaimed: ("Nothing unclaimed is waiting.", "Er wacht niets dat niemand claimde."),
    .recategorised: ("category set", "categorie gezet"),
    .decidedNoReply: ("no reply, on purpose", "bewust geen reactie"),
    .reopenedDone: ("reopened", "heropend"), .watching: ("watching the author", "auteur wordt gevolgd"),
    .unwatched: ("no longer watching the author", "auteur niet meer gevolgd"),
    .snoozedDone: ("snoozed", "gesluimerd"),
    .escalated: ("escalated to the supervisor", "geëscaleerd naar de leidinggevende"),
    .noteAdded: ("note added", "notitie toegevoegd"),
    .badSnooze: ("not a time: use 30m, 2h, 1d or 17:00", "geen tijd: gebruik 30m, 2u, 1d of 17:00"),
    .badFilter: ("unknown filter word", "onbekend filterwoord"),
    .indexing: (
      "the search index is still taking in mentions; not yet searchable",
      "de zoekindex neemt nog vermeldingen op; nog niet doorzoekbaar"
    ),
    .selectOn: (
      "select: Space marks, an action applies to all marked",
      "selecteren: spatie markeert, een actie geldt voor alle gemarkeerde"
    ),
    .selectOff: ("selection cleared", "selectie gewist"),
    .nothingSelected: ("no mention selected", "geen vermelding gekozen"),
    .hint: ("? help  q quit", "? hulp  q stoppen"), .helpTitle: ("Keys", "Toetsen"),
    .helpGlobal: ("Queue and detail", "Wachtrij en details"),
    .helpClose: ("Esc or ? closes help", "Esc of ? sluit de hulp"),
    .themeFallback: ("using the default theme", "het standaardthema wordt gebruikt"),
    .cmdUp: ("up", "omhoog"), .cmdDown: ("down", "omlaag"), .cmdPageUp: ("page up", "pagina omhoog"),
    .cmdPageDown: ("page down", "pagina omlaag"), .cmdTop: ("first (most urgent)", "eerste (dringendste)"),
    .cmdBottom: ("last", "laatste"),
    .cmdDetail: ("open / close the detail pane", "detailvenster open / dicht"),
    .cmdFocus: ("switch between queue and detail", "wissel tussen wachtrij en details"),
    .cmdNext: ("most urgent unclaimed mention", "dringendste vermelding die niemand claimde"),
    .cmdClaim: ("claim / release", "claimen / vrijgeven"), .cmdReply: ("reply", "reageren"),
    .cmdHolding: ("holding reply (S12)", "wachtbericht (S12)"),
    .cmdRecategorise: ("recategorise", "andere categorie"),
    .cmdNoReply: ("decide not to reply, with a reason", "bewust niet reageren, met reden"),
    .cmdReopen: ("reopen", "heropenen"),
    .cmdWatch: ("watch / unwatch the author", "auteur volgen / niet volgen"),
    .cmdSnooze: ("snooze until a time", "sluimeren tot een tijd"),
    .cmdEscalate: ("escalate to the supervisor with a note", "escaleren naar de leidinggevende met notitie"),
    .cmdNote: ("internal note for the team", "interne notitie voor het team"),
    .cmdSelect: ("select several (bulk)", "meerdere selecteren (bulk)"),
    .cmdMark: ("mark / unmark", "markeren / loslaten"),
    .cmdFilter: (
      "filter by category, status, clock, platform", "filteren op categorie, status, klok, platform"
    ),
    .cmdSearch: ("search text and authors", "zoeken in tekst en auteurs"), .cmdHelp: ("help", "hulp"),
    .cmdQuit: ("quit", "stoppen"),
    .cmdBack: ("back: close, clear search and filter", "terug: sluiten, zoeken en filter wissen"),
    .cmdSupervisor: ("escalation pane", "escalatiescherm"), .cmdSubmit: ("confirm", "bevestigen"),
    .cmdDelete: ("delete a character", "teken wissen"), .cmdPick: ("choose", "kiezen"),
    .cmdSelectAll: ("mark every row on screen", "alle rijen op het scherm markeren"),
  ]

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

  public func status(_ s: MentionStatus) -> String {
    switch s {
    case .open: return self[.open]
    case .holding: return self[.holding]
    case .replied: return self[.replied]
    case .noReply: return self[.noReply]
    case .snoozed: return self[.snoozed]
    }
  }

  public func clock(_ c: ClockState) -> String {
    switch (c, language) {
    case (.cooling, _): return self[.cooling]
    case (.onTime, .en): return "on time"
    case (.onTime, .nl): return "op tijd"
    case (.dueSoon, .en): return "due soon"
    case (.dueSoon, .nl): return "bijna"
    case (.overdue, _): return self[.overdue]
    case (.none, .en): return "nothing due"
    case (.none, .nl): return "niets open"
    }
  }
}
