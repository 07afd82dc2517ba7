import Foundation

/// One problem with a reply, for the editor's live checks.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Codable, Hashable {
    /// The reply must not go out like this.
    case blocking
    case warning
  }

  public var severity: Severity
  /// The article's rule, e.g. "S16".
  public var rule: String
  /// A stable code for tests and the UI: "signature_missing", "too_long", …
  public var code: String
  public var message: String

  public var description: String { "\(severity.rawValue) \(rule) \(code): \(message)" }

  public init(severity: Severity, rule: String, code: String, message: String) {
    self.severity = severity
    self.rule = rule
    self.code = code
    self.message = message
  }
}

/// What the checks need to know about the mention being answered.
public struct ReplyTarget: Sendable, Hashable {
  public var platform: String
  public var category: Category
  /// The reply's language, `nl` or `en`: which tone and apology phrase lists are read.
  public var lang: String
  /// The language the findings are written in, `nl` or `en`: the responder's (the UI language),
  /// which need not be the reply's.
  public var messageLang: String

  /// A holding reply (S12): it says the question reached the right person, so it is no
  /// correction that needs a source (S9) and no answer that must apologise yet (S10).
  public var isHolding: Bool
  /// Whether the mention's language is known, so a reply in the other language can be flagged.
  public var languageKnown: Bool
  /// The policy's templates as filled in for this mention, by template id: an unchanged template
  /// is recognised with its facts, sources and name in it (S13).
  public var filledTemplates: [String: String]

  public init(
    platform: String, category: Category, lang: String, messageLang: String? = nil, isHolding: Bool = false,
    languageKnown: Bool = true, filledTemplates: [String: String] = [:]
  ) {
    self.platform = platform
    self.category = category
    self.lang = lang
    self.messageLang = messageLang ?? lang
    self.isHolding = isHolding
    self.languageKnown = languageKnown
    self.filledTemplates = filledTemplates
  }
}

/// Live checks on a reply (S9, S10, S13, S16, and the platform's length limit). Pure.
public enum ReplyChecker {
  public static func check(
    _ reply: String, mention: ReplyTarget, responder: TeamMember, policy: PolicyConfig
  ) -> [Finding] {
    checkAndMeasure(reply, mention: mention, responder: responder, policy: policy).findings
  }

  /// The findings and the length the platform counts (signature included), from one pass over
  /// the text: the editor shows both after every loop pass, so the signature is looked for once.
  public static func checkAndMeasure(
    _ reply: String, mention: ReplyTarget, responder: TeamMember, policy: PolicyConfig
  ) -> (findings: [Finding], length: Int) {
    var out = Findings(nl: mention.messageLang == "nl")
    let sig = Signature.text(for: responder, policy: policy)
    let n = Signature.occurrences(of: sig, in: reply)
    checkSignature(reply, sig: sig, count: n, responder: responder, policy: policy, &out)
    // Length, with the signature counted.
    let full = n == 0 ? Signature.apply(reply, responder: responder, policy: policy) : reply
    let length = PlatformLength.count(full, platform: mention.platform)
    checkLength(length, mention: mention, &out)
    let body = strippingSignature(reply, signature: sig)
    let scan = Tokenizer.scan(body)
    checkContent(body, scan, mention: mention, policy: policy, &out)
    checkTone(body, scan, mention: mention, policy: policy, &out)
    checkAnswer(body, scan, mention: mention, policy: policy, &out)
    return (out.list, length)
  }

  /// The findings of one check, in the mention's language.
  struct Findings {
    let nl: Bool
    var list: [Finding] = []

    init(nl: Bool) { self.nl = nl }

    mutating func add(_ s: Finding.Severity, _ rule: String, _ code: String, _ en: String, _ nlText: String) {
      list.append(Finding(severity: s, rule: rule, code: code, message: nl ? nlText : en))
    }
  }

  /// S16: signed exactly once, at the end, and as the responder.
  static func checkSignature(
    _ reply: String, sig: String, count n: Int, responder: TeamMember, policy: PolicyConfig,
    _ out: inout Findings
  ) {
    if let other = Signature.otherSigner(of: reply, responder: responder, policy: policy) {
      // A teammate's signature at the end: the post would go out under their name (S16).
      let (them, you) = distinctNames(other, responder)
      let theirs = Signature.text(for: other, policy: policy)
      out.add(
        .blocking, "S16", "signed_as_other",
        "Signed as \(them), you are \(you): end the reply with \"\(sig)\", not \"\(theirs)\".",
        "Ondertekend als \(them), maar jij bent \(you): sluit af met \"\(sig)\", niet met \"\(theirs)\".")
    } else if n == 0 {
      out.add(
        .blocking, "S16", "signature_missing", "The reply is not signed: end it with \"\(sig)\".",
        "Het antwoord is niet ondertekend: sluit af met \"\(sig)\".")
    } else if n > 1 {
      out.add(
        .blocking, "S16", "signature_doubled",
        "The signature \"\(sig)\" appears \(n) times; keep one, at the end.",
        "De ondertekening \"\(sig)\" staat er \(n) keer in; houd er één over, aan het eind.")
    } else if !Signature.endsWithSignature(reply, signature: sig) {
      out.add(
        .warning, "S16", "signature_not_at_end", "Put the signature \"\(sig)\" at the end of the reply.",
        "Zet de ondertekening \"\(sig)\" aan het eind van het antwoord.")
    }
  }

  /// The platform's length limit (S12: a reply that cannot be posted helps nobody).
  static func checkLength(_ length: Int, mention: ReplyTarget, _ out: inout Findings) {
    if let limit = PlatformLength.limit(mention.platform) {
      if length > limit {
        out.add(
          .blocking, "S12", "too_long",
          "\(length) of \(limit) characters on \(mention.platform) (signature counted): \(length - limit) too many.",
          "\(length) van \(limit) tekens op \(mention.platform) (ondertekening meegeteld): \(length - limit) te veel."
        )
      }
    }
  }

  /// S4: no confirmed rumour; S13: the person's own language.
  static func checkContent(
    _ body: String, _ scan: Scan, mention: ReplyTarget, policy: PolicyConfig, _ out: inout Findings
  ) {
    // S4: a reply that repeats a known rumour without correcting it confirms what is wrong. It is
    // blocked, not warned: no reason makes confirming a falsehood right.
    if let rumour = Self.confirmedRumour(scan, words: Tokenizer.words(body), policy: policy) {
      out.add(
        .blocking, "S4", "confirms_rumour",
        "This repeats the known rumour '\(rumour.id)' without correcting it: don't confirm what is wrong.",
        "Dit herhaalt het bekende gerucht '\(rumour.id)' zonder het recht te zetten: bevestig niet wat niet klopt."
      )
    }

    // S13: answer a person in their own language.
    if mention.languageKnown, let other = Self.otherLanguage(body, expected: mention.lang) {
      let (en, nlName) = other == "en" ? ("English", "Engels") : ("Dutch", "Nederlands")
      let (mentionEN, mentionNL) = mention.lang == "nl" ? ("Dutch", "Nederlands") : ("English", "Engels")
      out.add(
        .warning, "S13", "wrong_language",
        "Part of the reply is in \(en), the mention is in \(mentionEN): answer in the person's language.",
        "Een deel van het antwoord is in het \(nlName), de vermelding in het \(mentionNL): antwoord in de taal van de schrijver."
      )
    }
  }

  /// S9: a correction states facts with sources, without reproach; S2/S9: no shouting.
  static func checkTone(
    _ body: String, _ scan: Scan, mention: ReplyTarget, policy: PolicyConfig, _ out: inout Findings
  ) {
    // S9: a correction states facts with sources, without reproach.
    if mention.category == .misinformation {
      let phrases =
        (policy.tone.reproachful[mention.lang] ?? [])
        + (mention.lang == "en" ? [] : policy.tone.reproachful["en"] ?? [])
      // Report the longest phrases only: "as we clearly stated", not also "clearly".
      var found: [String] = []
      for p in PhraseMatcher(phrases).matches(scan).sorted(by: { $0.count > $1.count })
      where !found.contains(where: { $0.lowercased().contains(p.lowercased()) }) {
        found.append(p)
      }
      for phrase in found {
        out.add(
          .warning, "S9", "reproachful_phrase",
          "\"\(phrase)\" sounds reproachful or know-it-all in a correction; state the facts plainly.",
          "\"\(phrase)\" klinkt verwijtend of betweterig in een correctie; noem gewoon de feiten.")
      }
      if !mention.isHolding, Links.find(in: body).isEmpty {
        out.add(
          .warning, "S9", "source_missing", "A correction needs a link to a source.",
          "Een correctie heeft een link naar een bron nodig.")
      }
    }
    // S2/S9: shouting and rows of exclamation marks are rude anywhere.
    if scan.capsWords >= 2, scan.capsWords * 2 >= scan.longWords {
      out.add(
        .warning, mention.category == .misinformation ? "S9" : "S2", "shouting",
        "Capitals read as shouting.", "Hoofdletters lezen als schreeuwen.")
    }
    if policy.tone.maxExclamations > 0, scan.longestExclamationRun >= policy.tone.maxExclamations {
      out.add(
        .warning, mention.category == .misinformation ? "S9" : "S2", "exclamations",
        "A row of \(scan.longestExclamationRun) exclamation marks reads as raised voice.",
        "Een rij van \(scan.longestExclamationRun) uitroeptekens leest als stemverheffing.")
    }
  }

  /// S10: a complaint gets an apology; S13: personal, not the template as it was.
  static func checkAnswer(
    _ body: String, _ scan: Scan, mention: ReplyTarget, policy: PolicyConfig, _ out: inout Findings
  ) {
    // S10: a complaint gets an apology.
    if mention.category == .complaint, !mention.isHolding {
      let phrases = (policy.tone.apologies[mention.lang] ?? []) + (policy.tone.apologies["en"] ?? [])
      if PhraseMatcher(phrases).matches(scan).isEmpty {
        out.add(
          .warning, "S10", "apology_missing", "A reply to a complaint should apologise.",
          "Een antwoord op een klacht hoort excuses te bevatten.")
      }
    }

    // S13: respond personally, not with the template as it was.
    let words = Tokenizer.words(body)
    // Compared with the template as written and as filled in for this mention: a filled-in fact
    // or link is the template's text, not the responder's.
    for t in policy.templates
    where Self.isUnchanged(words, template: t)
      || mention.filledTemplates[t.id].map({
        Self.isUnchanged(words, template: Template(id: t.id, kind: t.kind, lang: t.lang, text: $0))
      }) == true
    {
      out.add(
        .warning, "S13", "template_unchanged",
        "This is template '\(t.id)' almost as it was; make it personal.",
        "Dit is sjabloon '\(t.id)' vrijwel ongewijzigd; maak het persoonlijk.")
      break
    }
  }

  /// Words that deny or correct a claim: a reply with one of them does not confirm a rumour.
  static let correcting: Set<String> = Set(Cues.negators).union([
    "nee", "onjuist", "onwaar", "fout", "gerucht", "geruchten", "misverstand", "fabel", "fabeltje",
    "incorrect", "untrue", "false", "wrong", "rumour", "rumours", "rumor", "rumors", "myth",
    "misunderstanding",
  ])

  /// The known rumour a reply repeats without correcting it: a pattern of it matches, and the
  /// reply neither denies it (a negation, "onjuist", "rumour") nor quotes its facts. Nil when none.
  static func confirmedRumour(_ scan: Scan, words: [String], policy: PolicyConfig) -> Rumour? {
    guard !policy.rumours.isEmpty, !words.contains(where: correcting.contains) else { return nil }
    let said = Set(words)
    for rumour in policy.rumours {
      let patterns = rumour.patterns.compactMap { try? RumourPattern.compile($0).get() }
      guard patterns.contains(where: { $0.matches(scan) }) else { continue }
      let quotesFacts = rumour.allFacts.contains { facts in
        let factWords = Tokenizer.words(facts).filter { $0.count >= 3 }
        return !factWords.isEmpty && factWords.filter(said.contains).count * 5 >= factWords.count * 3
      }
      if !quotesFacts { return rumour }
    }
    return nil
  }

  static let dutchOnly = Set(Cues.dutch).subtracting(Cues.english)
  static let englishOnly = Set(Cues.english).subtracting(Cues.dutch)

  /// A cheap guess at the language of a few words from the function words only one of Dutch and
  /// English has; nil when there are too few to tell.
  static func guessLanguage(_ words: [String]) -> String? {
    var nl = 0
    var en = 0
    for w in words {
      if dutchOnly.contains(w) { nl += 1 } else if englishOnly.contains(w) { en += 1 }
    }
    if nl >= 2, nl > 2 * en { return "nl" }
    if en >= 2, en > 2 * nl { return "en" }
    return nil
  }

  /// The other language (`nl` or `en`) a sentence of the reply is written in, when it is not
  /// `expected`: sentence by sentence (a colon starts one too), so facts quoted in the wrong
  /// language count too.
  static func otherLanguage(_ body: String, expected: String) -> String? {
    guard expected == "nl" || expected == "en" else { return nil }
    var sentence = ""
    var sentences: [String] = []
    let chars = Array(body)
    for (i, ch) in chars.enumerated() {
      sentence.append(ch)
      let ends = ch == "\n" || (".!?:;".contains(ch) && (i + 1 == chars.count || chars[i + 1].isWhitespace))
      if ends {
        sentences.append(sentence)
        sentence = ""
      }
    }
    sentences.append(sentence)
    for s in sentences {
      if let guess = guessLanguage(Tokenizer.words(s)), guess != expected { return guess }
    }
    return nil
  }

  /// The names that tell two people apart: first names, or full names when those are the same.
  static func distinctNames(_ a: TeamMember, _ b: TeamMember) -> (String, String) {
    a.firstName.lowercased() == b.firstName.lowercased() ? (a.name, b.name) : (a.firstName, b.firstName)
  }

  /// The reply without its signature, for the checks on the text itself.
  static func strippingSignature(_ reply: String, signature: String) -> String {
    guard Signature.endsWithSignature(reply, signature: signature) else { return reply }
    // Cut from the last occurrence of the signature's first visible character run.
    let folded = Signature.fold(signature).chars
    var kept = 0
    var end = reply.endIndex
    while end > reply.startIndex, kept < folded.count {
      reply.formIndex(before: &end)
      if !reply[end].isWhitespace { kept += 1 }
    }
    return String(reply[..<end])
  }

  /// S13: most of the template's words still there in order, and hardly anything added.
  static func isUnchanged(_ replyWords: [String], template: Template) -> Bool {
    var text = ""
    var inPlaceholder = false
    for ch in template.text {
      if ch == "{" {
        inPlaceholder = true
      } else if ch == "}" {
        inPlaceholder = false
        text.append(" ")
      } else if !inPlaceholder {
        text.append(ch)
      }
    }
    let tw = Tokenizer.words(text)
    guard tw.count >= 4 else { return false }
    // Both bounds below need the reply's length near the template's: no LCS needed otherwise.
    guard replyWords.count <= tw.count + 3, 5 * replyWords.count >= 4 * tw.count else { return false }
    let common = lcs(tw, replyWords)
    let kept = Double(common) / Double(tw.count)
    let added = replyWords.count - common
    // Filled placeholders add a word or two ({name}, {author}); more than that is personal.
    return kept >= 0.8 && added <= 3
  }

  static func lcs(_ a: [String], _ b: [String]) -> Int {
    if a.isEmpty || b.isEmpty { return 0 }
    var prev = [Int](repeating: 0, count: b.count + 1)
    var cur = prev
    for i in 1...a.count {
      for j in 1...b.count {
        cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : max(prev[j], cur[j - 1])
      }
      swap(&prev, &cur)
    }
    return prev[b.count]
  }
}

/// Post length as each platform counts it.
public enum PlatformLength {
  /// The limit per platform; nil for platforms without a known limit.
  public static func limit(_ platform: String) -> Int? {
    switch platform.lowercased() {
    case "mastodon": return 500
    case "bluesky", "bsky": return 300
    case "x", "twitter": return 280
    default: return nil
    }
  }

  /// The length of `text` as the platform counts it.
  public static func count(_ text: String, platform: String) -> Int {
    switch platform.lowercased() {
    case "mastodon": return mastodon(text)
    case "x", "twitter": return x(text)
    default: return text.count
    }
  }

  /// Mastodon: characters, every link counted as 23, and `@user@domain` as `@user`.
  public static func mastodon(_ text: String) -> Int {
    var total = 0
    var rest = Substring(text)
    for r in Links.find(in: text) {
      total += countMentions(text[rest.startIndex..<r.lowerBound]) + 23
      rest = text[r.upperBound...]
    }
    return total + countMentions(rest)
  }

  private static func countMentions(_ s: Substring) -> Int {
    // "@user@domain.tld" counts as "@user": the domain part is not counted.
    let chars = Array(s)
    var count = 0
    var i = 0
    while i < chars.count {
      if chars[i] == "@", i == 0 || chars[i - 1].isWhitespace || chars[i - 1] == "(" {
        var j = i + 1
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
        if j > i + 1, j < chars.count, chars[j] == "@" {
          var k = j + 1
          while k < chars.count, chars[k].isLetter || chars[k].isNumber || chars[k] == "." || chars[k] == "-"
          {
            k += 1
          }
          while k > j + 1, chars[k - 1] == "." { k -= 1 }
          if k > j + 1 {
            count += j - i
            i = k
            continue
          }
        }
      }
      count += 1
      i += 1
    }
    return count
  }

  /// X: twitter-text v3 weighting. Links weigh 23; code points in U+0000–U+10FF, U+2000–U+200D,
  /// U+2010–U+201F and U+2032–U+2037 weigh 1, every other code point 2; an emoji sequence weighs 2
  /// in all. The text is NFC-normalised first.
  public static func x(_ text: String) -> Int {
    let nfc = text.precomposedStringWithCanonicalMapping
    var total = 0
    var rest = Substring(nfc)
    for r in Links.find(in: nfc) {
      total += weighted(nfc[rest.startIndex..<r.lowerBound]) + 23
      rest = nfc[r.upperBound...]
    }
    return total + weighted(rest)
  }

  private static func weighted(_ s: Substring) -> Int {
    var total = 0
    for ch in s {
      if isEmoji(ch) {
        total += 2
        continue
      }
      for u in ch.unicodeScalars {
        let v = u.value
        let light =
          v <= 0x10FF || (0x2000...0x200D).contains(v) || (0x2010...0x201F).contains(v)
          || (0x2032...0x2037).contains(v)
        total += light ? 1 : 2
      }
    }
    return total
  }

  static func isEmoji(_ ch: Character) -> Bool {
    guard let first = ch.unicodeScalars.first else { return false }
    if first.properties.isEmojiPresentation { return true }
    return first.properties.isEmoji && ch.unicodeScalars.count > 1 && first.value > 0x7F
  }
}
