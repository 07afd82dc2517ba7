// Cue lists written for Repute (not derived from any third-party list): the words and phrases the
// classifier treats as negation, intensity, questions, complaints, insults and so on, in Dutch and
// English. Kept as code so the hot path needs no file and no resource bundle.

/// The curated cues of the classifier.
enum Cues {
  /// Negators flip and damp the sentiment of the words after them ("niet slecht", "not happy").
  static let negators = [
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "cannot", "cant",
    "can't", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "wasn't", "wasnt",
    "aren't", "arent", "weren't", "won't", "wouldn't", "couldn't", "couldnt", "shouldn't", "haven't",
    "havent", "hasn't", "hadn't", "ain't", "niet", "geen", "nooit", "niets", "niks", "nergens", "zonder",
    "noch", "geeneens",
  ]

  /// Intensifiers (positive amount) and dampeners (negative amount), added to a sentiment word's
  /// strength in the direction of its sign, as VADER does with its boosters.
  static let boosters: [(String, Double)] = [
    ("very", 0.3), ("really", 0.3), ("so", 0.3), ("extremely", 0.4), ("absolutely", 0.4),
    ("totally", 0.4), ("completely", 0.4), ("incredibly", 0.4), ("super", 0.3), ("too", 0.2),
    ("truly", 0.3), ("utterly", 0.4), ("highly", 0.3), ("especially", 0.2), ("such", 0.2),
    ("most", 0.3), ("beyond", 0.3), ("seriously", 0.3), ("entirely", 0.3), ("extra", 0.2),
    ("at all", 0.4), ("whatsoever", 0.4),
    ("echt", 0.3), ("heel", 0.3), ("erg", 0.3), ("zeer", 0.3), ("zo", 0.3), ("ontzettend", 0.4),
    ("enorm", 0.4), ("hartstikke", 0.4), ("vreselijk", 0.4), ("verschrikkelijk", 0.4), ("extreem", 0.4),
    ("totaal", 0.4), ("compleet", 0.4), ("volledig", 0.3), ("ongelofelijk", 0.4), ("bijzonder", 0.3),
    ("uitermate", 0.4), ("absoluut", 0.4), ("behoorlijk", 0.2), ("best", -0.1), ("wel", 0.1),
    ("superslecht", 0.0),
    ("barely", -0.3), ("hardly", -0.3), ("slightly", -0.3), ("somewhat", -0.3), ("kind of", -0.3),
    ("sort of", -0.3), ("a bit", -0.3), ("a little", -0.3), ("fairly", -0.2), ("rather", -0.1),
    ("beetje", -0.3), ("een beetje", -0.3), ("redelijk", -0.2), ("nogal", 0.1), ("enigszins", -0.3),
    ("wat", 0.0), ("vrij", -0.1), ("tamelijk", -0.2),
  ]

  /// Question words anywhere in a sentence start ("waarom", "how").
  static let whWords = [
    "what", "why", "how", "when", "where", "who", "which", "whom", "whose", "wat", "waarom", "hoe",
    "wanneer", "waar", "wie", "welke", "welk", "hoeveel", "hoelang", "waarheen", "waarvoor", "waarmee",
  ]

  /// Verbs that make a question when they open a sentence ("Kan ik…", "Can I…", "Is my flight…").
  static let questionVerbs = [
    "can", "could", "will", "would", "is", "are", "do", "does", "did", "should", "may", "has", "have",
    "was", "were", "any", "anyone", "kan", "kun", "kunt", "kunnen", "mag", "mogen", "moet", "moeten",
    "is", "zijn", "ben", "bent", "heb", "hebt", "heeft", "hebben", "wordt", "worden", "zou", "zouden",
    "gaat", "gaan", "klopt", "weet", "weten", "krijg", "krijgen", "komt", "komen", "zit", "zitten",
    "doen", "doet", "geldt", "werkt",
  ]

  /// Requests count as questions to the organisation: they ask for an answer or an action.
  static let requests: [(String, Double)] = [
    ("please", 0.6), ("pls", 0.6), ("plz", 0.6), ("help", 0.4), ("dm", 0.5), ("advise", 0.6),
    ("please advise", 1.0), ("let me know", 0.8), ("can you", 0.8), ("could you", 0.8),
    ("would you", 0.6), ("need to know", 0.6), ("looking for", 0.5), ("info", 0.4), ("information", 0.4),
    ("graag", 0.6), ("alsjeblieft", 0.6), ("aub", 0.6), ("svp", 0.6), ("laat me weten", 0.8),
    ("laat even weten", 0.8), ("kunnen jullie", 0.8), ("kun je", 0.8), ("kunt u", 0.8), ("iemand", 0.3),
    ("vraag", 0.8), ("vraagje", 0.9), ("question", 0.8), ("benieuwd", 0.6), ("wondering", 0.6),
    ("weet iemand", 1.0), ("does anyone", 1.0), ("hoe zit het", 1.0),
    // Request forms (S12): asking how, whether, or for a private message needs an answer.
    ("is there", 0.6), ("how do i", 0.6), ("how can i", 0.6), ("is it possible", 0.8), ("do you", 0.4),
    ("please dm", 0.6), ("dm me", 0.5), ("is er", 0.6), ("hoe kan ik", 0.6), ("hoe moet ik", 0.6),
    ("is het mogelijk", 0.8), ("hebben jullie", 0.4), ("stuur een dm", 0.6), ("stuur me een dm", 0.6),
    // Indirect questions (S12): "graag hoor ik hoe…", "I'd like to know whether…".
    ("graag hoor ik", 1.0), ("hoor graag", 0.8), ("wil graag weten", 1.0), ("zou graag willen weten", 1.0),
    ("wil weten", 0.8), ("ik vroeg me af", 1.0), ("vraag me af", 1.0), ("would like to know", 1.0),
    ("like to know", 0.8), ("want to know", 0.8), ("i was wondering", 1.0), ("wondering if", 0.8),
    ("wondering whether", 0.8),
  ]

  /// Own bad experience: what makes negative words a complaint, with a weight. Words and phrases.
  static let complaints: [(String, Double)] = [
    // waiting, delays, late
    ("delayed", 1.2), ("delay", 1.0), ("delays", 1.0), ("late", 0.8), ("waiting", 0.8), ("wait", 0.5),
    ("waited", 1.0), ("still waiting", 1.5), ("on hold", 1.2), ("hold", 0.5), ("hours", 0.6),
    ("hrs", 0.6), ("hour", 0.4), ("hr", 0.4), ("days", 0.4), ("weeks", 0.5), ("minutes", 0.3),
    ("mins", 0.3), ("again", 0.4), ("still", 0.5), ("yet again", 1.0),
    ("vertraagd", 1.2), ("vertraging", 1.2), ("te laat", 1.2), ("wachten", 0.8), ("wacht", 0.6),
    ("gewacht", 1.0), ("wacht nog steeds", 1.5), ("nog steeds", 0.8), ("nog altijd", 0.8),
    ("alweer", 0.8), ("weer", 0.3), ("uur", 0.5), ("uren", 0.8), ("dagen", 0.5), ("weken", 0.6),
    ("minuten", 0.3), ("in de wacht", 1.2), ("wachtrij", 0.8),
    // cancelled, missed, stranded
    ("cancelled", 1.4), ("canceled", 1.4), ("cancellation", 1.0), ("cancel", 0.6), ("missed", 0.9),
    ("stranded", 1.4), ("stuck", 1.0), ("diverted", 0.8), ("overbooked", 1.2), ("bumped", 1.0),
    ("rebooked", 0.8), ("rebook", 0.6), ("reschedule", 0.4), ("rescheduled", 0.6),
    ("geannuleerd", 1.4), ("annulering", 1.0), ("geschrapt", 1.2), ("uitgevallen", 1.2),
    ("gemist", 0.9), ("vast", 0.6), ("gestrand", 1.4), ("omgeboekt", 0.8),
    // broken, failing
    ("broken", 1.2), ("not working", 1.4), ("doesn't work", 1.4), ("does not work", 1.4),
    ("won't work", 1.2), ("stopped working", 1.4), ("down", 0.4), ("outage", 1.2), ("error", 0.8),
    ("crashed", 1.0), ("crash", 0.7), ("failed", 1.0), ("fail", 0.8), ("fails", 0.8), ("glitch", 0.8),
    ("kapot", 1.4), ("defect", 1.2), ("stuk", 0.8), ("werkt niet", 1.4), ("doet het niet", 1.4),
    ("storing", 1.2), ("foutmelding", 1.2), ("fout", 0.6), ("mislukt", 1.0), ("gecrasht", 1.0),
    ("valt uit", 1.0), ("ligt eruit", 1.2), ("eruit", 0.4),
    // lost, damaged, not received
    ("lost", 1.0), ("missing", 0.9), ("damaged", 1.2), ("never received", 1.4), ("not received", 1.2),
    ("never arrived", 1.4), ("never showed", 1.2), ("not delivered", 1.2), ("never got", 1.0),
    ("kwijt", 1.0), ("zoekgeraakt", 1.2), ("vermist", 1.0), ("beschadigd", 1.2), ("niet ontvangen", 1.4),
    ("niet geleverd", 1.4), ("niet aangekomen", 1.4), ("nooit ontvangen", 1.4), ("nooit aangekomen", 1.4),
    ("niet bezorgd", 1.4),
    // no answer, bad service
    ("no answer", 1.4), ("no response", 1.4), ("no reply", 1.4), ("no one", 0.8), ("nobody", 0.6),
    ("hung up", 1.4), ("ignored", 1.2), ("ignoring", 1.2), ("no help", 1.2), ("unhelpful", 1.0),
    ("geen antwoord", 1.4), ("geen reactie", 1.4), ("geen gehoor", 1.4), ("niemand", 0.6),
    ("opgehangen", 1.2), ("genegeerd", 1.2), ("negeren", 1.0), ("niet bereikbaar", 1.2),
    ("onbereikbaar", 1.2), ("niet opgelost", 1.4), ("niks gehoord", 1.2), ("niets gehoord", 1.2),
    // money
    ("refund", 0.8), ("charged", 0.8), ("overcharged", 1.4), ("double charged", 1.4), ("fee", 0.5),
    ("fees", 0.5), ("compensation", 0.6), ("voucher", 0.4), ("terugbetaling", 0.8), ("geld terug", 1.0),
    ("dubbel betaald", 1.4), ("afgeschreven", 0.8), ("te veel betaald", 1.4), ("compensatie", 0.6),
    ("kosten", 0.3),
    // complaining as such
    ("complaint", 1.0), ("complain", 0.8), ("complaining", 0.8), ("klacht", 1.0), ("klagen", 0.8),
    ("never again", 1.2), ("nooit meer", 1.2), ("worst", 0.6), ("unacceptable", 0.8),
    ("onacceptabel", 0.8), ("thanks for nothing", 2.0),
    // trouble as such, trying and being told
    ("issue", 0.8), ("issues", 0.8), ("problem", 0.8), ("problems", 0.8), ("bug", 0.8), ("had to", 1.0),
    ("have to", 0.4), ("forced", 0.8), ("told", 0.6), ("supposed to", 0.8), ("tried", 0.6),
    ("trying", 0.4), ("called", 0.5), ("calling", 0.4), ("call back", 0.8), ("why", 0.5),
    ("customer service", 0.6), ("already", 0.5), ("no update", 1.2), ("no updates", 1.2),
    ("still no", 1.2), ("can't get", 1.0), ("cant get", 1.0), ("can't find", 0.8), ("no way", 0.6),
    ("disconnected", 1.0), ("lack", 0.6), ("zero", 0.5), ("explanation", 0.6), ("excuse", 0.6),
    ("tarmac", 0.8), ("sitting", 0.4), ("sat", 0.4), ("agent", 0.3), ("apology", 0.6),
    ("probleem", 0.8), ("problemen", 0.8), ("moest", 0.8), ("moeten", 0.3), ("gebeld", 0.6),
    ("al drie keer", 1.2), ("waarom", 0.5), ("uitleg", 0.6), ("klantenservice", 0.6), ("bezorger", 0.4),
    ("al dagen", 1.0), ("al weken", 1.0), ("al uren", 1.0), ("al maanden", 1.0), ("incasso", 0.6),
    ("aanmaning", 0.8), ("wanneer krijg", 0.6), ("nog niks", 1.0), ("nog niets", 1.0), ("nog geen", 1.0),
    ("bedankt voor niks", 2.0),
    ("bedankt voor niets", 2.0), ("so much for", 1.0), ("what a joke", 1.0), ("wat een grap", 1.0),
  ]

  /// Exasperation (S10, S11): a demand, a rhetorical question or a sigh aimed at the organisation
  /// ("come on", "what gives", "fix this", "kom op", "hoe moeilijk kan het zijn"). It carries no
  /// sentiment word, yet the author is unhappy and expects an apology, not information.
  static let exasperation = [
    "come on", "what gives", "are you kidding", "you kidding me", "kidding me", "are you serious",
    "you must be joking", "fix this", "fix it", "sort it out", "get your act together", "do better",
    "step it up", "how hard is it", "how hard can it be", "why can't you", "why cant you",
    "why won't you", "what is going on", "what's going on", "whats going on", "wtf", "smh", "ugh",
    "sigh", "fed up", "sick of", "tired of", "enough is enough", "is this a joke", "really now",
    "again and again", "not again", "yet another",
    "kom op", "meen je dat", "meen je dit", "is dit een grap", "los dit op", "los het op",
    "doe er wat aan", "doe er iets aan", "doe eens normaal", "hoe moeilijk kan", "hoe moeilijk is het",
    "hoe kan dat nou", "waarom kunnen jullie", "waarom lukt het", "wat is er aan de hand",
    "wat is hier aan de hand", "zucht", "pff", "pfff", "ik ben het zat", "ben het zat", "spuugzat",
    "genoeg is genoeg", "telkens weer", "niet weer", "alweer niet", "zoveelste",
  ]

  /// Venting about the organisation as such (S8): it makes a case for a complaint, but it is no
  /// own experience, so with an insult or a sweeping word the mention is unfounded, not a
  /// complaint with substance. Those not among `complaints` count 1.0 as a cue.
  static let venting = [
    "never again", "nooit meer", "worst", "worst company", "slechtste", "slechtste bedrijf",
    "unacceptable", "onacceptabel", "so much for", "what a joke", "wat een grap", "is a joke", "a joke",
    "een grap", "grote grap", "een lachertje", "thanks for nothing", "bedankt voor niks",
    "bedankt voor niets", "stay away", "blijf weg", "avoid", "boycott", "boycot",
  ]

  /// A problem put right (S3): "storing om 11 uur opgelost, netjes", "lost parcel, replaced the
  /// next day". With positive words beside it, the problem it mentions was solved: its complaint
  /// cues count less.
  static let resolutions = [
    "opgelost", "verholpen", "goed geregeld", "netjes geregeld", "snel geregeld", "afgehandeld",
    "teruggestort", "terugbetaald",
    "rechtgezet", "hersteld", "gerepareerd", "fixed", "sorted", "sorted out", "resolved", "refunded",
    "put right", "taken care of", "solved", "repaired", "restored",
  ]

  /// Greetings open a polite question or a plain message more often than a complaint (S12): "hi,
  /// can I…", "goedemorgen, weet iemand…".
  static let greetings = [
    "hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "dear",
    "hoi", "hallo", "hai", "goedemorgen", "goedemiddag", "goedenavond", "beste", "goedendag", "hee", "hé",
  ]

  /// The press introducing itself: a question from a journalist is a question to answer (S12),
  /// escalated for its press words, not a complaint about what the story is about.
  static let press = [
    "journalist", "journaliste", "journalisten", "verslaggever", "verslaggeefster", "redacteur",
    "redactrice", "correspondent", "persbureau", "voor mijn artikel", "voor een artikel", "voor een item",
    "schrijf een stuk", "schrijf een artikel", "reporter", "journalists", "for my article", "for an article",
    "for a story", "for my story", "writing a story", "writing an article", "press inquiry", "media inquiry",
  ]

  /// A threat of legal action: the author holds the organisation to account for damage, which is a
  /// complaint (S10), escalated for its legal words, however calmly it is put.
  static let legalThreat = [
    "mijn advocaat", "onze advocaat", "een advocaat", "rechtszaak", "naar de rechter", "juridische stappen",
    "dagvaarding", "dagvaarden", "sommatie", "ingebrekestelling", "aansprakelijk", "aansprakelijkstelling",
    "schadeclaim", "aanklagen", "my lawyer", "our lawyer", "my attorney", "our attorney", "a lawyer",
    "lawsuit", "sue you", "suing", "legal action", "to court", "in court", "small claims", "liable",
    "class action",
  ]

  /// Insults: a mention that only insults is an unfounded accusation (S8).
  static let insults = [
    "idiot", "idiots", "moron", "morons", "imbecile", "imbeciles", "clown", "clowns", "scammer",
    "scammers", "scam", "scams", "fraud", "frauds", "fraudsters", "crook", "crooks", "thief", "thieves",
    "liar", "liars", "criminal", "criminals", "loser", "losers", "incompetent", "incompetence", "pathetic",
    "garbage", "trash", "scum", "dumb", "stupid", "asshole", "assholes", "bastards", "fuckers", "crooked",
    "idioot", "idioten", "oplichter", "oplichters", "oplichting", "oplichterij", "boef", "boeven", "dief",
    "dieven", "leugenaar", "leugenaars", "sukkel", "sukkels", "prutser", "prutsers", "klootzak",
    "klootzakken", "crimineel", "criminelen", "tuig", "zakkenvullers", "graaiers", "amateurs",
    "amateuristisch", "debiel", "debielen", "achterlijk", "mafkezen", "eikel", "eikels", "kutbedrijf",
    "nepbedrijf", "maffia", "schoften", "schoft", "uitbuiters", "hufters", "hufter", "lafaards",
    "oetlul", "zakkenwassers", "boevenbende", "tokkies", "nietsnutten", "maffiabedrijf", "muppets",
    "cowboybedrijf", "oplichtersbende", "kan de pot op",
    "kan doodvallen", "rot op", "go to hell", "screw you", "piss off",
  ]

  /// Sweeping words: accusations about everyone, always, without specifics (S8).
  static let sweeping = [
    "always", "everyone", "everybody", "all of you", "you people", "every single", "every time",
    "whole company", "all the same", "allemaal", "altijd", "iedereen", "elke keer", "jullie allemaal",
    "zijn allemaal", "hele bedrijf", "het hele bedrijf", "typisch", "zoals altijd", "as always",
    "as usual", "zoals gewoonlijk",
  ]

  /// First person: an own experience, the substance that makes a complaint more than venting.
  static let firstPerson = [
    "i", "i'm", "im", "i've", "ive", "my", "me", "mine", "myself", "we", "our", "us", "ik", "mijn",
    "m'n", "mn", "mij", "mezelf", "wij", "ons", "onze",
  ]

  /// Pronouns that follow a verb that opens a question ("Kan ik…", "Can you…", "Rijdt de…" not).
  static let secondPerson = [
    "ik", "je", "jij", "u", "we", "wij", "jullie", "ze", "hij", "zij", "er", "i", "you", "we", "they", "it",
    "there", "he", "she", "het", "dat", "dit",
  ]

  /// Hopes, wishes and conditions (S3): "hoping for an upgrade", "if you can that'd be great",
  /// "hopelijk lukt het", "zou fijn zijn" praise nothing that happened, so the sentiment words they
  /// govern (and their own) weigh less.
  static let irrealis = [
    "hope", "hoping", "hopefully", "hoped", "wish", "wishing", "would", "if", "unless", "whether",
    "maybe", "perhaps", "might", "hoop", "hopen", "hoopte", "hopelijk", "wens", "zou", "zouden",
    "indien", "mocht", "misschien", "wellicht", "tenzij",
  ]

  /// "but" and friends: what follows weighs more than what came before.
  static let contrasts = ["but", "however", "although", "though", "yet", "maar", "echter", "alleen", "toch"]

  /// Function words that tell Dutch from English.
  static let dutch = [
    "de", "het", "een", "en", "niet", "ik", "je", "jij", "jullie", "u", "wij", "van", "voor", "op", "dat",
    "die", "met", "maar", "nog", "al", "geen", "ook", "wel", "er", "naar", "bij", "om", "zijn", "hebben",
    "heb", "heeft", "was", "wat", "waarom", "hoe", "mijn", "is", "te", "dit", "deze", "aan", "uit", "over",
    "weer", "nu", "kan", "wordt", "heel", "echt", "gewoon", "toch", "wel", "dan", "als", "omdat", "want",
    "ben", "bent", "hoe", "hier", "daar", "zo", "ze", "hij", "zij", "mij", "ons", "onze", "uw", "jouw",
    "wanneer", "waar", "welke", "gaat", "nieuw", "nieuwe", "vandaag", "morgen", "gisteren", "naar", "nog",
    "geen", "graag", "hoi", "hallo", "tussen", "vanwege", "tegen", "zonder", "alleen", "mee",
  ]

  static let english = [
    "the", "a", "an", "and", "not", "i", "you", "your", "we", "of", "for", "on", "that", "this", "with",
    "but", "my", "it", "is", "are", "was", "were", "be", "have", "has", "had", "to", "in", "at", "from",
    "what", "why", "how", "no", "do", "does", "did", "can", "will", "just", "so", "they", "their", "our",
    "me", "get", "got", "been", "would", "could", "should", "there", "when", "about", "any", "if", "or",
    "all", "one", "out", "up", "now", "thanks", "please",
  ]

  /// Thanks: positive, and the usual start of praise.
  static let thanks: [(String, Double)] = [
    ("thanks", 2.0), ("thank you", 2.2), ("thank", 1.6), ("thx", 1.8), ("ty", 1.0), ("tnx", 1.8),
    ("bedankt", 2.0), ("dank", 1.6), ("dankje", 2.0), ("dankjewel", 2.2), ("dankuwel", 2.2),
    ("dank je", 2.0), ("dank u", 2.0), ("dank jullie", 2.0), ("merci", 1.8), ("thanx", 1.8),
    ("thnx", 1.8), ("thks", 1.8), ("tks", 1.6),
  ]

  /// English valences that differ from VADER's in webcare: request words are not sentiment, a
  /// brand-like word is not praise, slang and irony are weaker than the general lexicon says.
  static let englishValences: [(String, Double)] = [
    ("please", 0), ("pls", 0), ("help", 0.2), ("like", 0.5), ("hope", 0.5), ("hopefully", 0.4),
    ("want", 0), ("yes", 0.3), ("ok", 0.3), ("okay", 0.3), ("care", 0.4), ("kind", 0.6), ("free", 0.4),
    ("united", 0), ("hand", 0), ("joke", -1.2), ("pretty", 0.4), ("well", 0.3), ("god", 0), ("credit", 0),
    ("chance", 0.2), ("ready", 0.3), ("share", 0.2), ("true", 0.3), ("sure", 0.3), ("trust", 0.8),
    ("fine", 0.4), ("win", 1.0), ("justice", 0.3), ("lol", 0.6), ("haha", 0.6), ("wow", 0.6),
    ("attention", 0), ("safe", 0.8), ("worth", 0.4), ("easy", 0.9), ("sorry", -0.5), ("no", 0),
    ("thanks", 0), ("thank", 0), ("dear", 0.3), ("fly", 0), ("flying", 0), ("virgin", 0), ("jet", 0),
    ("ha", 0.2), ("matter", 0), ("yeah", 0.3), ("wish", 0.4), ("miss", -0.5), ("missed", -1.0),
    ("number", 0), ("friend", 0.8), ("friends", 0.8), ("security", 0), ("safety", 0.3), ("award", 0.5),
    ("awards", 0.5), ("privileges", 0.5), ("bonus", 0.5), ("bonuses", 0.5), ("party", 0.8),
    ("played", 0.3), ("faith", 0.5), ("support", 0.5), ("advantage", 0.5), ("guarantee", 0.3),
    ("chances", 0.2), ("hug", 1.0), ("cool", 1.0), ("welcome", 0.8), ("luckily", 1.0), ("credits", 0),
    ("grace", 0.5), ("honor", 0.5), ("status", 0), ("priority", 0), ("reward", 0.5), ("rewards", 0.5),
    ("stuck", -1.2), ("delayed", -1.2), ("cancelled", -1.2), ("canceled", -1.2), ("lost", -1.3),
    ("waiting", -0.3), ("hours", 0), ("still", 0), ("again", 0), ("late", -0.8), ("rude", -2.2),
    ("worst", -3.1), ("fail", -2.5), ("hold", 0), ("seriously", -0.8), ("ridiculous", -2.2),
    ("disappointed", -2.2), ("unacceptable", -2.5), ("useless", -2.2), ("awful", -2.5),
    // Service going smoothly (S3), and the hassle it spared ("without any hassle").
    ("hassle", -1.5), ("painless", 1.8), ("seamless", 2.0), ("smooth", 1.5), ("smoothly", 1.5),
    ("effortless", 1.8),
  ]

  /// Dutch valences (on VADER's -4…+4 scale), on top of pattern's adjectives: thanks, praise and
  /// complaint words that are not adjectives, and the common inflected forms.
  static let dutchValences: [(String, Double)] = [
    ("top", 2.2), ("toppie", 2.2), ("topper", 2.2), ("toppers", 2.2), ("super", 2.0), ("geweldig", 3.0),
    ("geweldige", 3.0), ("fantastisch", 3.0), ("fantastische", 3.0), ("prachtig", 2.5), ("prachtige", 2.5),
    ("heerlijk", 2.5), ("heerlijke", 2.5), ("blij", 2.0), ("tevreden", 2.0), ("snel", 0.8), ("snelle", 0.8),
    ("vriendelijk", 2.0), ("vriendelijke", 2.0), ("behulpzaam", 2.0), ("behulpzame", 2.0),
    ("klantvriendelijk", 2.5), ("compliment", 2.5), ("complimenten", 2.5), ("chapeau", 2.5),
    ("goed", 1.5), ("goede", 1.5), ("prima", 1.2), ("fijn", 1.8), ("fijne", 1.8), ("leuk", 1.8),
    ("leuke", 1.8), ("mooi", 1.8), ("mooie", 1.8), ("perfect", 2.5), ("perfecte", 2.5),
    ("uitstekend", 2.8), ("uitstekende", 2.8), ("aanrader", 2.5), ("fan", 1.5), ("opgelost", 1.2),
    ("netjes", 1.5), ("keurig", 1.8), ("held", 2.0), ("helden", 2.0), ("knap", 1.5), ("lekker", 1.5),
    ("genieten", 2.0), ("genoten", 2.0), ("gezellig", 2.0), ("dankbaar", 2.2), ("waardering", 2.0),
    ("waardeer", 2.0), ("hartelijk", 1.5), ("bravo", 2.5), ("hulde", 2.5), ("gaaf", 2.0), ("cool", 1.5),
    ("wauw", 2.0), ("jeej", 2.0), ("hoera", 2.5), ("proficiat", 2.5), ("gefeliciteerd", 2.5),
    ("beste", 2.5), ("prettig", 1.8), ("prettige", 1.8), ("gelukkig", 1.5), ("happy", 2.0),
    ("love", 2.5), ("correct", 0.8), ("vlot", 1.5), ("vlotte", 1.5), ("attent", 2.0), ("sterk", 1.0),
    ("waardeloos", -3.0), ("waardeloze", -3.0), ("slecht", -2.2), ("slechte", -2.2), ("slechter", -2.2),
    ("slechtste", -3.0), ("belachelijk", -2.5), ("belachelijke", -2.5), ("schandalig", -3.0),
    ("schandalige", -3.0), ("schande", -3.0), ("bagger", -2.5), ("kut", -2.8), ("klote", -2.8),
    ("ergerlijk", -2.2), ("irritant", -2.0), ("irritante", -2.0), ("teleurgesteld", -2.2),
    ("teleurstellend", -2.2), ("teleurstelling", -2.2), ("boos", -2.3), ("woedend", -3.0),
    ("kwaad", -2.3), ("gefrustreerd", -2.2), ("frustrerend", -2.2), ("ontevreden", -2.2),
    ("onacceptabel", -2.5), ("triest", -1.8), ("treurig", -1.8), ("jammer", -1.2), ("balen", -1.5),
    ("helaas", -1.0), ("vervelend", -1.5), ("vervelende", -1.5), ("rampzalig", -3.0), ("ramp", -2.5),
    ("drama", -2.0), ("chaos", -2.0), ("puinhoop", -2.5), ("zooitje", -2.2), ("zootje", -2.2),
    ("onbeschoft", -2.2), ("onbeschofte", -2.2), ("onvriendelijk", -2.2), ("onvriendelijke", -2.2),
    ("lui", -1.5), ("onbetrouwbaar", -2.5), ("traag", -1.5), ("trage", -1.5), ("haat", -3.0),
    ("haten", -3.0), ("hekel", -2.5), ("walgelijk", -3.0), ("vies", -2.0), ("smerig", -2.2),
    ("afschuwelijk", -3.0), ("verschrikkelijk", -2.5), ("vreselijk", -2.5), ("hopeloos", -2.2),
    ("nutteloos", -2.2), ("oneerlijk", -2.0), ("gestolen", -2.0), ("diefstal", -2.5), ("ellende", -2.2),
    ("ellendig", -2.2), ("rot", -2.0), ("rotzooi", -2.2), ("schijt", -2.5), ("shit", -2.5), ("zucht", -1.0),
    ("pff", -1.0), ("pfff", -1.0), ("bah", -1.5), ("getver", -2.0), ("gvd", -3.0), ("godverdomme", -3.0),
    ("verdomme", -2.5), ("bizar", -1.5), ("absurd", -2.0), ("dom", -2.0), ("stom", -2.0), ("stomme", -2.0),
    ("pijnlijk", -1.5), ("zwak", -1.5), ("matig", -1.2), ("ondermaats", -2.2), ("abominabel", -2.8),
    ("dramatisch", -2.2), ("gênant", -2.0), ("genant", -2.0), ("lachwekkend", -2.0), ("klachten", -1.0),
    ("probleem", -1.0), ("problemen", -1.2), ("moeilijk", -0.8), ("duur", -0.8), ("dure", -0.8),
    ("onzin", -1.8), ("nep", -1.5), ("sorry", -0.3), ("excuses", 0.0), ("laat", 0.0), ("vast", 0.0),
    ("boete", -1.2), ("dood", -2.5), ("doodgaan", -2.5), ("vermoorden", -3.5), ("moord", -3.0),
    ("ziek", -1.5), ("zieke", -1.5), ("walg", -3.0), ("tyfus", -3.0), ("tering", -3.0), ("kanker", -3.0),
    ("uitroeien", -3.5), ("weg", 0.0), ("vuil", -2.0), ("minderwaardig", -3.0), ("minder", -0.5),
    ("geen", 0.0), ("niet", 0.0), ("net", 0.0), ("even", 0.0), ("gewoon", 0.0), ("echt", 0.0),
    // Contempt, and words pattern's adjectives read as praise where they are not (a colour, "voor
    // eens en altijd", a booster).
    ("verachtelijk", -3.0), ("verachtelijke", -3.0), ("minderwaardige", -3.0), ("kankergezwel", -3.5),
    ("tuig", -2.5), ("ongedierte", -3.0), ("parasieten", -3.0), ("uitschot", -3.0), ("zwart", 0.0),
    ("zwarte", 0.0), ("wit", 0.0), ("witte", 0.0), ("eens", 0.0), ("absoluut", 0.0), ("groot", 0.0),
    ("grote", 0.0), ("grap", -1.0), ("gedoe", -1.5), ("gezeur", -1.5), ("discussie", -0.5),
    ("probleemloos", 2.0), ("moeiteloos", 1.8), ("soepel", 1.8), ("vlekkeloos", 2.5),
  ]

  /// Emoji written for Repute: the common ones in webcare mentions, with a valence.
  static let emoji: [(Unicode.Scalar, Double)] = [
    ("😀", 2), ("😃", 2), ("😄", 2), ("😁", 2), ("😆", 1.5), ("😊", 2), ("🙂", 1.2), ("😍", 3), ("🥰", 3),
    ("😘", 2.5), ("😻", 2.5), ("👍", 1.8), ("👏", 2), ("🙏", 1.0), ("💪", 1.5), ("🎉", 2), ("❤", 2.5),
    ("💕", 2.5), ("💖", 2.5), ("💗", 2.5), ("💙", 2.5), ("💚", 2.5), ("💛", 2.5), ("🧡", 2.5), ("💜", 2.5),
    ("🤩", 3), ("😎", 1.5), ("🌟", 1.8), ("⭐", 1.5), ("✨", 1.2), ("🥳", 2.5), ("👌", 1.5), ("🤗", 2),
    ("😇", 1.5), ("☺", 2), ("😂", 0.5), ("🤣", 0.5), ("😉", 1), ("💯", 1.5), ("🙌", 2), ("✅", 0.8),
    ("😡", -3), ("😠", -2.8), ("🤬", -3.5), ("😤", -2.2), ("😞", -2.2), ("😟", -1.8), ("😢", -2.2),
    ("😭", -2.5), ("😩", -2.2), ("😫", -2.2), ("😒", -1.8), ("🙄", -1.8), ("👎", -2.2), ("💔", -2.5),
    ("😔", -1.8), ("😕", -1.5), ("☹", -2), ("🙁", -1.8), ("😣", -2), ("😖", -2), ("🤮", -3), ("🤢", -2.5),
    ("💩", -2.5), ("😑", -1), ("😐", -0.5), ("🤦", -1.8), ("🤷", -0.8), ("😱", -1.5), ("😰", -1.8),
    ("😓", -1.5), ("😬", -1), ("😪", -1.2), ("🥵", -1), ("🥶", -1), ("😮", -0.3), ("⏳", -0.5), ("⌛", -0.5),
    ("🖕", -3.5), ("🤡", -2), ("🐌", -1), ("🔥", 0.5), ("👀", -0.3),
  ]

  /// Emoticons, matched on whole whitespace-separated chunks.
  static let emoticons: [(String, Double)] = [
    (":)", 1.8), (":-)", 1.8), ("(:", 1.8), ("=)", 1.8), (":]", 1.5), (":D", 2.2), (":-D", 2.2),
    ("xD", 1.5), ("XD", 1.5), (";)", 1.2), (";-)", 1.2), (":P", 0.8), (":p", 0.8), (":-P", 0.8),
    ("<3", 2.5), ("^^", 1.2), ("^_^", 1.5), (":(", -2.0), (":-(", -2.0), ("=(", -2.0), ("):", -2.0),
    (":'(", -2.4), (":'-(", -2.4), (":/", -1.2), (":-/", -1.2), (":\\", -1.2), (":|", -0.6),
    (":-|", -0.6), (":S", -1.2), (":s", -1.2), (":@", -2.5), (">:(", -2.8), ("</3", -2.5), ("D:", -2.0),
    ("-_-", -1.2), ("-.-", -1.2), (":O", -0.4), (":o", -0.4),
  ]
}
