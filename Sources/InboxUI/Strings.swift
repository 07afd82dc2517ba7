import Desk
import Foundation
import Inbox
import Policy

/// Every piece of UI text, in English and Dutch, from one table.
public enum UIText: String, CaseIterable, Sendable {
  // status line
  case open, holding, replied, noReply, snoozed, overdue, cooling, new, filtered, searching
  // status line: the live sources' health (issue 7)
  case sourcesOK, sourceFailing, recordsRefused, repliesFailed
  // queue
  case headerClock, headerAge, headerDue, headerCategory, headerPlatform, headerAuthor, headerClaim,
    headerText, queueEmpty, queueTitle, detailTitle, marked
  // detail
  case advice, deadlines, earliestReply, firstResponse, followUp, thread, earlierFromAuthor, notes,
    escalations, history, followers, mentionsCount, watched, notWatched, claimedBy, assignedTo, manualBy,
    signals,
    answeredBy, organisationAnswered, escalate, reopened, noSelection, reason, snoozedUntil, edited
  // a post the platform deleted or withheld
  case deletedMark, deletedByPlatform
  // queue and detail: a replied mention's personal follow-up (S10); short statuses for the due column
  case followUpDue, shortHolding, shortReplied, shortNoReply, shortSnoozed
  // prompts
  case promptSearch, promptFilter, promptNoReply, promptSnooze, promptEscalate, promptNote, pickCategory,
    filterHint, snoozeHint, snoozePastTarget, reasonsListed, badReason
  // deadlines' outcomes (issue 14)
  case metAt, answeredLate, target
  // messages
  case tooSmall, claimed, released, noUnclaimed, recategorised,
    decidedNoReply, reopenedDone, watching, unwatched, snoozedDone, escalated, noteAdded, badSnooze,
    badFilter, ambiguousName, indexing, selectOn, selectOff, nothingSelected, selectionLeft, selectionNowOn,
    hint, helpTitle,
    helpGlobal, helpClose,
    themeFallback
  // help: what the marks mean, the filter words, the prompts, scrolling (issue 14)
  case helpMarks, markOverdue, markDueSoon, markOnTime, markCooling, markNone, markOver, markLeft,
    markCursor, markMarked, markDrafting, markAssigned, markClaimed, markSeverity, markReopens,
    helpFilterWords,
    filterCategories, filterStatuses, filterClocks, filterPlatforms, helpPrompts, helpMore, helpLines
  // commands (help)
  case cmdUp, cmdDown, cmdPageUp, cmdPageDown, cmdTop, cmdBottom, cmdDetail, cmdFocus, cmdNext, cmdClaim,
    cmdReply, cmdHolding, cmdTakeBack, takenBack,
    cmdRecategorise, cmdNoReply, cmdReopen, cmdWatch, cmdSnooze, cmdEscalate, cmdNote, cmdSelect, cmdMark,
    cmdFilter, cmdSearch, cmdHelp, cmdQuit, cmdBack, cmdSupervisor, cmdSubmit, cmdDelete, cmdPick,
    cmdSelectAll
  // opening the post on its platform (issue 16)
  // assign and notices (issue 16)
  case cmdAssign, cmdNotices, cmdComplete, promptAssign, assignSupervisorsOnly, assignedDone, noticesTitle,
    noNotices, noticeGone, noticesKey
  case cmdOpenPost, postOpened, postNoLink, postLinkRefused, postLink, postCopyAsk, postCopied, postNotCopied,
    postOpenFailed
  // the reply editor (issue 5)
  // replying against the advice (S8, S5, S4)
  case promptOverride, overrideNeedsReason
  case editorReply, editorHolding, editorFollowUp, alsoDrafting, earlierReply, noFindings, signatureFixed,
    signatureTyped, signatureOther, confirmSend, editorHint, helpEditor, draftRestored, draftKept, notSent,
    notSentYet,
    replyQueued, replyAwaitsApproval, noTemplates, templatePicked, templateNext, noExternalEditor,
    externalEditorFailed, replies, drafts, isWriting, returnedBy, cmdSendReply, cmdConfirmSend, cmdKeepDraft,
    cmdTemplate,
    cmdExternalEditor, cmdUndo, cmdRedo, cmdCursorLeft, cmdCursorRight, cmdCursorUp, cmdCursorDown,
    cmdWordLeft, cmdWordRight, cmdVisualLineStart, cmdVisualLineEnd, cmdLineStart, cmdLineEnd, cmdNewline,
    cmdDeleteForward, cmdDeleteWord, cmdDeleteWordForward, cmdKillLineEnd, cmdKillLineStart
}

/// The string table; `strings[.open]` gives the text in the chosen language.
public struct Strings: Localised {
  public let language: UILanguage

  public init(_ language: UILanguage) { self.language = language }

  public subscript(_ key: UIText) -> String {
    let pair = Strings.table[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }

  /// A count with its noun in agreement: "1 mention", "3 mentions"; "1 volger", "412 volgers".
  public func count(_ n: Int, _ key: UIText) -> String {
    guard n == 1, let one = Strings.singular[key] else { return "\(n) \(self[key])" }
    return "1 \(language == .nl ? one.nl : one.en)"
  }

  /// The singular of the counted nouns in `table` (which holds their plural).
  static let singular: [UIText: (en: String, nl: String)] = [
    .followers: ("follower", "volger"), .mentionsCount: ("mention", "vermelding"),
    .recordsRefused: ("record refused", "record geweigerd"),
  ]

  static let table: [UIText: (en: String, nl: String)] = [
    .open: ("open", "open"), .holding: ("holding", "wachtbericht"), .replied: ("replied", "beantwoord"),
    .noReply: ("no reply", "geen reactie"), .snoozed: ("snoozed", "gesluimerd"),
    .overdue: ("overdue", "te laat"), .cooling: ("cooling", "afkoelen"), .new: ("new", "nieuw"),
    .filtered: ("filter", "filter"), .searching: ("search", "zoek"),
    .headerClock: ("", ""), .headerAge: ("age", "oud"), .headerDue: ("due", "rest"),
    .headerCategory: ("category", "categorie"), .headerPlatform: ("platform", "platform"),
    .headerAuthor: ("author", "auteur"), .headerClaim: ("claim", "wie"),
    .headerText: ("text", "tekst"),
    .queueEmpty: ("Nothing in the queue.", "Niets in de wachtrij."), .queueTitle: ("Queue", "Wachtrij"),
    .detailTitle: ("Mention", "Vermelding"), .marked: ("selected", "geselecteerd"),
    .advice: ("Advice", "Advies"), .deadlines: ("Deadlines", "Termijnen"),
    .earliestReply: ("earliest reply", "vroegste reactie"),
    .firstResponse: ("first response", "eerste reactie"),
    .followUp: ("follow-up", "opvolging"), .thread: ("Thread", "Gesprek"),
    .followUpDue: ("follow-up due", "opvolging nodig"),
    .shortHolding: ("hold", "wacht"), .shortReplied: ("done", "klaar"), .shortNoReply: ("silent", "stil"),
    .shortSnoozed: ("later", "later"),
    .earlierFromAuthor: ("Earlier from this author", "Eerder van deze auteur"), .notes: ("Notes", "Notities"),
    .escalations: ("Escalations", "Escalaties"), .history: ("History", "Geschiedenis"),
    .followers: ("followers", "volgers"), .mentionsCount: ("mentions", "vermeldingen"),
    .watched: ("watched", "gevolgd"), .notWatched: ("not watched", "niet gevolgd"),
    .claimedBy: ("claimed by", "geclaimd door"), .assignedTo: ("assigned to", "toegewezen aan"),
    .manualBy: ("set by hand by", "met de hand gezet door"),
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
    .snoozePastTarget: ("past its target %@: back as overdue then", "na het doel %@: dan terug als te laat"),
    .reasonsListed: ("number or name:", "nummer of naam:"),
    .badReason: (
      "not a listed reason: type its number or name", "geen reden uit de lijst: typ het nummer of de naam"
    ),
    .metAt: ("met at %@", "gehaald om %@"), .answeredLate: ("answered %@ late", "%@ te laat beantwoord"),
    .target: ("target", "doel"),
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
    .cmdAssign: ("assign to a teammate (supervisor)", "toewijzen aan een collega (leidinggevende)"),
    .cmdNotices: ("your notices", "je meldingen"),
    .cmdComplete: ("complete the name (assign)", "naam aanvullen (toewijzen)"),
    .promptAssign: ("assign to (Tab completes): ", "toewijzen aan (Tab vult aan): "),
    .assignSupervisorsOnly: (
      "only a supervisor assigns mentions (role in the policy's roster)",
      "alleen een leidinggevende wijst vermeldingen toe (rol in het rooster van het beleid)"
    ),
    .assignedDone: ("assigned to", "toegewezen aan"), .noticesTitle: ("Notices", "Meldingen"),
    .noNotices: ("No notices.", "Geen meldingen."), .noticesKey: ("m: all", "m: alle"),
    .noticeGone: (
      "is not in the queue now (closed or snoozed): repute show",
      "staat nu niet in de wachtrij (gesloten of gesluimerd): repute show"
    ),
    .badSnooze: ("not a time: use 30m, 2h, 1d or 17:00", "geen tijd: gebruik 30m, 2u, 1d of 17:00"),
    .badFilter: ("unknown filter word", "onbekend filterwoord"),
    .ambiguousName: (
      "is ambiguous, give the full name or login", "is niet eenduidig, geef de volledige naam of login"
    ),
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
    .selectionLeft: ("left this view", "staat niet meer in deze weergave"),
    .selectionNowOn: ("now on", "nu op"),
    .hint: ("? help  q quit", "? hulp  q stoppen"), .helpTitle: ("Keys", "Toetsen"),
    .helpGlobal: ("Queue and detail", "Wachtrij en details"),
    .helpClose: ("Esc or ? closes help", "Esc of ? sluit de hulp"),
    .helpMarks: ("Marks", "Tekens"),
    .markOverdue: ("overdue: the deadline has passed", "te laat: de termijn is voorbij"),
    .markDueSoon: ("due soon: the deadline is near", "bijna: de termijn is dichtbij"),
    .markOnTime: ("on time", "op tijd"),
    .markCooling: (
      "cooling off: let emotions settle, don't reply yet (S11)", "afkoelen: nog niet reageren (S11)"
    ),
    .markNone: ("nothing due: no deadline runs", "niets open: er loopt geen termijn"),
    .markOver: ("the deadline passed 2 hours ago (due column)", "de termijn is 2 uur voorbij (kolom rest)"),
    .markLeft: ("26 minutes left before the deadline", "nog 26 minuten tot de termijn"),
    .markCursor: ("the row you are on", "de regel waar je staat"),
    .markMarked: ("marked for a bulk action (v, Space)", "gemarkeerd voor een bulkactie (v, spatie)"),
    .markDrafting: (
      "a teammate is writing a reply (✎Bram: who)", "een collega schrijft een antwoord (✎Bram: wie)"
    ),
    .markAssigned: (
      "assigned by a supervisor (→Anna: to whom)", "toegewezen door een leidinggevende (→Anna: aan wie)"
    ),
    .markClaimed: ("claimed by a teammate (in the editor)", "geclaimd door een collega (in de editor)"),
    .markSeverity: (
      "an escalation's weight: one ▲ per reason (escalation pane)",
      "één ▲ per reden van een escalatie (escalatiescherm)"
    ),
    .markReopens: (
      "reopens a conversation the team replied to or closed",
      "heropent een gesprek dat het team al afhandelde"
    ),
    .helpFilterWords: ("Filter words (f), combined", "Filterwoorden (f), te combineren"),
    .filterCategories: ("category", "categorie"), .filterStatuses: ("status", "status"),
    .filterClocks: ("clock", "klok"), .filterPlatforms: ("platform", "platform"),
    .helpPrompts: ("In a prompt", "In een invoerregel"),
    .helpMore: ("more below: j, PgDn", "meer hieronder: j, PgDn"), .helpLines: ("lines", "regels"),
    .themeFallback: ("using the default theme", "het standaardthema wordt gebruikt"),
    .sourcesOK: ("sources ok", "bronnen ok"), .sourceFailing: ("failing", "faalt"),
    .recordsRefused: ("records refused", "records geweigerd"),
    .repliesFailed: ("failed to send (see the outbox)", "niet verstuurd (zie de uitbak)"),
    .cmdUp: ("up", "omhoog"), .cmdDown: ("down", "omlaag"), .cmdPageUp: ("page up", "pagina omhoog"),
    .cmdPageDown: ("page down", "pagina omlaag"), .cmdTop: ("first (most urgent)", "eerste (dringendste)"),
    .cmdBottom: ("last", "laatste"),
    .cmdDetail: ("open / close the detail pane", "detailvenster open / dicht"),
    .cmdFocus: ("switch between queue and detail", "wissel tussen wachtrij en details"),
    .cmdNext: ("most urgent unclaimed mention", "dringendste vermelding die niemand claimde"),
    .cmdClaim: ("claim / release", "claimen / vrijgeven"), .cmdReply: ("reply", "reageren"),
    .cmdTakeBack: (
      "take my reply back while it waits to be sent", "mijn antwoord terugnemen zolang het wacht"
    ),
    .takenBack: (
      "reply taken back: edit it, or Esc keeps it as a draft",
      "antwoord teruggenomen: pas het aan, of Esc bewaart het als concept"
    ),
    .cmdHolding: ("holding reply (S12)", "wachtbericht (S12)"),
    .cmdRecategorise: ("recategorise", "andere categorie"),
    .cmdNoReply: ("decide not to reply, with a reason", "bewust niet reageren, met reden"),
    .cmdReopen: ("reopen", "heropenen"),
    .cmdWatch: ("watch / unwatch the author", "auteur volgen / niet volgen"),
    .cmdSnooze: ("snooze until a time", "sluimeren tot een tijd"),
    .cmdEscalate: ("escalate to the supervisor with a note", "escaleren naar de leidinggevende met notitie"),
    .cmdNote: ("internal note for the team", "interne notitie voor het team"),
    .cmdOpenPost: ("open the post on its platform", "bericht openen op het platform"),
    .postOpened: ("Opened in the browser", "Geopend in de browser"),
    .postNoLink: ("This mention has no link.", "Deze vermelding heeft geen link."),
    .postLinkRefused: ("Not opened, not an http(s) link", "Niet geopend, geen http(s)-link"),
    .postLink: ("No browser; the link", "Geen browser; de link"),
    .postCopyAsk: ("Copy to the clipboard? y/n", "Naar het klembord kopiëren? j/n"),
    .postCopied: ("Link copied to the clipboard.", "Link gekopieerd naar het klembord."),
    .postNotCopied: ("Not copied", "Niet gekopieerd"),
    .postOpenFailed: ("The browser did not start", "De browser startte niet"),
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
    .editorReply: ("Reply to", "Antwoord aan"),
    .editorHolding: ("Holding reply (S12) to", "Wachtbericht (S12) aan"),
    .editorFollowUp: ("Follow-up to", "Vervolgantwoord aan"),
    .alsoDrafting: ("is writing a reply too, saved", "schrijft ook een antwoord, bewaard"),
    .earlierReply: ("earlier reply by", "eerder antwoord van"),
    .noFindings: ("the checks find nothing", "de controles vinden niets"),
    .promptOverride: ("reason to reply anyway: ", "reden om toch te reageren: "),
    .overrideNeedsReason: (
      "not sent: replying against the advice needs a reason",
      "niet verzonden: tegen het advies in reageren vraagt een reden"
    ),
    .signatureFixed: ("signature, added when sent (S16)", "ondertekening, komt er bij verzenden onder (S16)"),
    .signatureTyped: ("signature typed: not added twice (S16)", "ondertekening getypt: niet dubbel (S16)"),
    .signatureOther: (
      "not added: the text is signed by a teammate (S16)",
      "niet toegevoegd: een collega heeft ondertekend (S16)"
    ),
    .confirmSend: (
      "Send anyway? y sends, any other key goes back",
      "Toch verzenden? y verzendt, een andere toets gaat terug"
    ),
    .editorHint: (
      "^X send · Esc keep draft · ^T insert · ^O $EDITOR · ^Z undo · F1 keys",
      "^X verzend · Esc bewaar · ^T invoegen · ^O $EDITOR · ^Z terug · F1 toetsen"
    ),
    .helpEditor: ("Reply editor", "Antwoordeditor"),
    .draftRestored: ("your draft is back", "je concept is terug"),
    .draftKept: ("draft kept", "concept bewaard"), .notSent: ("not sent", "niet verzonden"),
    .notSentYet: ("not sent; the text is still here", "niet verzonden; de tekst staat er nog"),
    .replyQueued: ("reply in the outbox", "antwoord in de uitbak"),
    .replyAwaitsApproval: (
      "reply waits for approval (four eyes)", "antwoord wacht op goedkeuring (vier ogen)"
    ),
    .noTemplates: ("the policy has no templates", "het beleid heeft geen sjablonen"),
    .templatePicked: ("template", "sjabloon"),
    .templateNext: ("Ctrl-T next, Ctrl-Z back", "Ctrl-T volgende, Ctrl-Z terug"),
    .noExternalEditor: ("no external editor here", "geen externe editor hier"),
    .externalEditorFailed: ("the external editor failed", "de externe editor mislukte"),
    .replies: ("Replies", "Antwoorden"), .drafts: ("Drafts", "Concepten"),
    .returnedBy: ("sent back for another look by", "teruggestuurd om nog eens te bekijken door"),
    .isWriting: ("is writing a reply", "schrijft een antwoord"),
    .cmdSendReply: ("send (y confirms what it asks)", "verzenden (y bevestigt wat het vraagt)"),
    .cmdConfirmSend: ("send anyway", "toch verzenden"),
    .cmdKeepDraft: ("leave the editor, keep the draft", "editor verlaten, concept bewaren"),
    .cmdTemplate: ("search templates and snippets, insert one", "sjablonen en snippets zoeken, een invoegen"),
    .cmdExternalEditor: ("edit in $EDITOR", "bewerken in $EDITOR"), .cmdUndo: ("undo", "ongedaan maken"),
    .cmdRedo: ("redo", "opnieuw"), .cmdCursorLeft: ("left", "links"), .cmdCursorRight: ("right", "rechts"),
    .cmdCursorUp: ("line up", "regel omhoog"), .cmdCursorDown: ("line down", "regel omlaag"),
    .cmdWordLeft: ("word left", "woord links"), .cmdWordRight: ("word right", "woord rechts"),
    .cmdVisualLineStart: ("start of the screen line", "begin van de schermregel"),
    .cmdVisualLineEnd: ("end of the screen line", "eind van de schermregel"),
    .cmdLineStart: ("start of the line", "begin van de regel"),
    .cmdLineEnd: ("end of the line", "eind van de regel"),
    .cmdNewline: ("new line", "nieuwe regel"), .cmdDeleteForward: ("delete forward", "vooruit wissen"),
    .cmdDeleteWord: ("delete word back", "woord terug wissen"),
    .cmdDeleteWordForward: ("delete word forward", "woord vooruit wissen"),
    .cmdKillLineEnd: ("delete to end of line", "wissen tot eind van de regel"),
    .cmdKillLineStart: ("delete to start of line", "wissen tot begin van de regel"),
  ]

  /// The category's name in at most twelve columns, for the queue at narrow widths.
  public func shortCategory(_ c: Category) -> String {
    c == .misinformation && language == .en ? "misinfo" : category(c)
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

  /// A status in at most six columns, for the queue's due column.
  public func shortStatus(_ s: MentionStatus) -> String {
    switch s {
    case .open: return ""
    case .holding: return self[.shortHolding]
    case .replied: return self[.shortReplied]
    case .noReply: return self[.shortNoReply]
    case .snoozed: return self[.shortSnoozed]
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
