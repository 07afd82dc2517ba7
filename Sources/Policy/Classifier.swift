/// What the classifier reads of a mention.
public struct ClassifierInput: Sendable, Hashable {
  public var text: String
  /// `nl`, `en`, another code, or nil to detect Dutch or English.
  public var lang: String?
  public var authorHandle: String
  public var authorName: String
  public var followers: Int?
  /// `mastodon`, `bluesky`, `x`, …
  public var platform: String
  /// The source says the author works for the organisation.
  public var isStaff: Bool

  public init(
    text: String, lang: String? = nil, authorHandle: String = "", authorName: String = "",
    followers: Int? = nil, platform: String = "", isStaff: Bool = false
  ) {
    self.text = text
    self.lang = lang
    self.authorHandle = authorHandle
    self.authorName = authorName
    self.followers = followers
    self.platform = platform
    self.isStaff = isStaff
  }
}

/// Why the classifier decided what it did: one piece of evidence.
public enum SignalKind: String, Sendable, Codable, Hashable, CaseIterable {
  case positiveWord = "positive_word"
  case negativeWord = "negative_word"
  case negation
  case intensifier
  case dampener
  case emoji
  case emoticon
  case thanks
  case questionMark = "question_mark"
  case interrogative
  case request
  case complaintCue = "complaint_cue"
  case ownExperience = "own_experience"
  case insult
  case sweeping
  case shouting
  case exclamation
  case contrast
  case rumour
  case staffAuthor = "staff_author"
  /// A demand, a rhetorical question or a sigh ("come on", "fix this", "kom op") (S10, S11).
  case exasperation
  /// A greeting that opens the mention ("hi", "goedemorgen") (S12).
  case greeting
  /// A problem put right, beside praise: its complaint cues count less (S3).
  case resolution
}

/// One piece of evidence: its kind, the word, phrase or emoji it was found in, and its weight
/// (positive pushes towards praise, negative towards complaint; cues carry their strength).
public struct Signal: Sendable, Codable, Hashable, CustomStringConvertible {
  public var kind: SignalKind
  public var token: String
  public var weight: Double

  public init(kind: SignalKind, token: String, weight: Double) {
    self.kind = kind
    self.token = token
    self.weight = weight
  }

  public var description: String {
    let w = (weight * 100).rounded() / 100
    return "\(kind.rawValue) \"\(token)\" \(w)"
  }
}

/// The classifier's verdict on a mention, with the evidence (S7: classify first).
public struct Classification: Sendable, Hashable {
  public var category: Category
  /// 0…1: the decision model's probability for the side it chose (positive, neutral, negative),
  /// at most 0.99; a rumour match is 0.83. Honest for ranking, not calibrated on every queue.
  public var confidence: Double
  /// The language used: the mention's, or the detected one (`nl` or `en`).
  public var lang: String
  public var signals: [Signal]
  /// Ids of the policy's known rumours that the mention repeats (S9, S4).
  public var rumours: [String]
  /// -1…1, VADER-style normalised sentiment of the words and emoji.
  public var sentiment: Double
  /// The policy's escalation words (legal, press) found in the text, from the same pass over it;
  /// nil when the classification did not look (the advisor then scans the text itself).
  public var escalationWords: [String]? = nil
}

/// Sorts mentions into the article's categories with the policy's lists (S7, S1).
///
/// Rule-based and explainable: one pass over the text hashes each lowercased word, then lexicon
/// lookups give sentiment (with negation, intensifiers, a "but" clause, capitals), complaint cues,
/// question cues, insults and sweeping words. No regular expressions and no allocation per word on
/// the hot path.
public struct Classifier: Sendable {
  public let policy: PolicyConfig
  let rumours: [(id: String, patterns: [RumourPattern])]
  let muted: PhraseMatcher
  let mutedAuthors: Set<String>
  let staff: Set<String>
  /// The organisation's own names carry no sentiment ("United", "Virgin").
  let neutralNames: Set<UInt64>
  let lexicon = Lexicon.shared
  let escalationWords: PhraseMatcher
  /// The press introducing itself and threats of legal action, in one matcher (`Cues`).
  static let pressOrLegal = PhraseMatcher(Cues.press + Cues.legalThreat)
  static let pressCues = Set(Cues.press)
  /// Weighs the evidence into positive, neutral or negative (trained on the airline tweets' tuning
  /// part, never on the held-out part's rows: `repute-dev train`).
  let model: DecisionModel

  public init(_ policy: PolicyConfig) {
    self.init(policy, model: .shipped)
  }

  init(_ policy: PolicyConfig, model: DecisionModel) {
    self.policy = policy
    self.model = model
    rumours = policy.rumours.map { r in
      (r.id, r.patterns.compactMap { try? RumourPattern.compile($0).get() })
    }
    muted = PhraseMatcher(policy.noise.mutedWords)
    mutedAuthors = Set(policy.noise.mutedAuthors.map(Handle.normalise))
    staff = Set(policy.staffAccounts.map(Handle.normalise))
    neutralNames = Set(policy.organisation.names.flatMap { Tokenizer.wordHashes($0) })
    escalationWords = PhraseMatcher(policy.escalation.words.sorted { $0.key < $1.key }.flatMap(\.value))
  }

  /// Noise that never enters the queue: a muted author, or a muted word or phrase in the text.
  public func isMuted(_ input: ClassifierInput) -> Bool {
    if !mutedAuthors.isEmpty, mutedAuthors.contains(Handle.normalise(input.authorHandle)) { return true }
    if muted.phrases.isEmpty { return false }
    return !muted.matches(Tokenizer.scan(input.text)).isEmpty
  }

  /// How the lexicon pass builds the evidence, set by hand on the tuning part of the airline tweets'
  /// figures (the held-out part was also measured between changes, seven times in all: see
  /// docs/benchmarks.md). How the evidence is weighed is the decision model's (`DecisionModel`),
  /// trained on the tuning part only.
  enum Tune {
    static let negationScalar: Float = -0.74
    static let capsBoost: Float = 0.733
    static let cueWeight: Float = 1.0
    /// A mention that repeats a known rumour is misinformation unless its case for praise is
    /// clearly stronger than its case for a complaint and at least this strong (S9, S4).
    static let rumourPraise: Float = 2.5
    /// A neutral mention is a question from this much of a case for one: a question mark, a
    /// question word that opens a sentence, a request (S12).
    static let questionFloor: Float = 1.0
    /// What a negation adds to the case for a complaint.
    static let bareNegation: Float = 0.7
    static let insult: Float = 1.5
    /// Mixed mentions. A complaint cue takes this much from the case for praise ("great job
    /// losing my bag"), and negative words count this much towards a complaint even where
    /// positive words cancel them in the sum: a bad experience needs an answer however it is
    /// wrapped (S10).
    static let mixCue: Float = 0.6
    static let mixNeg: Float = 0.2
    /// A demand, a rhetorical question or a sigh ("come on", "fix this", "kom op", "?!") is part
    /// of the case for a complaint: the author is unhappy with the organisation (S10, S11).
    static let exasperation: Float = 1.0
    /// What the complaint cues of a problem put right still count, beside praise (S3).
    static let resolved: Float = 0.4
    /// A complaint cue inside a sentence that ends with "?" asks about a delay or a cancellation
    /// rather than reporting one ("Is flight 1202 delayed?", "Rijdt mijn trein, of is hij
    /// geannuleerd?"): it counts this much (S12: a question needs a fast answer, not an apology).
    static let questionCue: Float = 0.6
    /// Sentiment words governed by a hope, a wish or a condition ("hoping for an upgrade", "if
    /// you can that'd be great", "hopelijk lukt het") praise nothing that happened (S3).
    static let irrealis: Float = 0.5
    /// A link shared without an own experience (an announcement, a news item, a retweet-style
    /// share) is information first: its positive words count this much towards praise (S3).
    static let shareDamp: Float = 0.6
  }

  public func classify(_ input: ClassifierInput) -> Classification {
    let scan = Tokenizer.scan(input.text)
    return classify(input, scan)
  }

  func classify(_ input: ClassifierInput, _ scan: Scan) -> Classification {
    classify(input, scan) { _ in }
  }

  /// The classification and the evidence vector the decision model weighed (for training it).
  func classifyWithEvidence(_ input: ClassifierInput) -> (Classification, Evidence.Vector) {
    var evidence: Evidence.Vector = []
    let c = classify(input, Tokenizer.scan(input.text)) { evidence = Array($0) }
    return (c, evidence)
  }

  func classify(
    _ input: ClassifierInput, _ scan: Scan, evidence: (UnsafeMutableBufferPointer<Float>) -> Void
  ) -> Classification {
    // The per-token scratch and the evidence live on the stack (or one temporary buffer), not in
    // arrays allocated for each mention.
    let longest = Swift.max(1, lexicon.longestPhrase)
    return withUnsafeTemporaryAllocation(of: LexEntry?.self, capacity: Swift.max(1, scan.tokens.count)) {
      entries in
      entries.initialize(repeating: nil)
      return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: longest) { rolling in
        rolling.initialize(repeating: 0)
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: Evidence.count) { x in
          x.initialize(repeating: 0)
          let c = classify(input, scan, entries: entries, rolling: rolling, x: x)
          evidence(x)
          return c
        }
      }
    }
  }

  private func classify(
    _ input: ClassifierInput, _ scan: Scan, entries: UnsafeMutableBufferPointer<LexEntry?>,
    rolling: UnsafeMutableBufferPointer<UInt64>, x: UnsafeMutableBufferPointer<Float>
  ) -> Classification {
    let tokens = scan.tokens
    let count = tokens.count
    var signals: [Signal] = []
    signals.reserveCapacity(8)

    // Look every token up once; count function words for the language.
    var nl = 0
    var en = 0
    var nlOnly = 0
    var enOnly = 0
    for i in 0..<count {
      let t = tokens[i]
      if t.kind == .emoticon { continue }
      if let e = lexicon.words.lookup(t.hash) {
        entries[i] = e
        if e.flags.contains(.dutch) { nl += 1 }
        if e.flags.contains(.english) { en += 1 }
        let l = e.flags.intersection([.hasNL, .hasEN])
        if l == .hasNL { nlOnly += 1 } else if l == .hasEN { enOnly += 1 }
      }
    }
    let lang: String
    if let l = input.lang?.lowercased(), !l.isEmpty {
      lang = l
    } else {
      // Function words decide; on a tie, the words only one lexicon knows.
      lang = nl > en || (nl == en && nlOnly > enOnly) ? "nl" : "en"
    }
    let dutch = lang == "nl" || (lang != "en" && nl > en)

    func text(_ t: Token) -> String {
      String(decoding: input.text.utf8.dropFirst(Int(t.start)).prefix(Int(t.end - t.start)), as: UTF8.self)
    }

    // Sentiment, VADER-style: valence with boosters, negation, capitals, and a "but" clause.
    var before: Float = 0
    var after: Float = 0
    var positives: Float = 0
    var negatives: Float = 0
    var sawContrast = false
    let shouting = scan.capsWords >= 2 && scan.capsWords * 2 >= scan.longWords
    let emphasiseCaps = !shouting && scan.capsWords < scan.longWords
    var complaint: Float = 0
    var request: Float = 0
    var thanks: Float = 0
    var insults = 0
    var sweeping = 0
    var firstPerson = false
    var interrogative: Float = 0
    var numbers = 0
    var negators = 0
    // Negations spent on flipping a sentiment word ("niet slecht"): not a bare negation.
    var flipped = 0
    var lastNegated: Float = 0
    // A hope, a wish or a condition governs the rest of its clause (S3).
    var irrealisClause = false
    var exasperation = 0
    var greeting = false
    // Complaint cues that vent rather than tell what happened (S8), and a problem put right (S3).
    var venting: Float = 0
    var resolved = false

    // rolling[d] is the folded hash of tokens[i-d ... i]: each phrase ending at token i is looked up
    // without refolding it from its start (the lexicon folds phrases from the left).
    let longest = rolling.count
    for i in 0..<count {
      let t = tokens[i]
      var d = Swift.min(i, longest - 1)
      while d >= 1 {
        rolling[d] = FNV.pair(rolling[d - 1], t.hash)
        d -= 1
      }
      rolling[0] = t.hash
      if t.clauseStart { irrealisClause = false }
      if t.kind == .number {
        numbers += 1
        continue
      }
      if t.kind == .emoticon {
        if let (s, v) = lexicon.emoticons[t.hash] {
          signals.append(Signal(kind: .emoticon, token: s, weight: Double(v)))
          if sawContrast { after += v } else { before += v }
          if v > 0 { positives += v } else { negatives += v }
        }
        continue
      }

      // Phrases ending at this token: complaint cues, requests, thanks, boosters, sweeping words.
      // Phrases ending at this token, folded from the left as the lexicon built them.
      for start in Swift.max(0, i - lexicon.longestPhrase + 1)..<i {
        if let p = lexicon.phrases.lookup(rolling[i - start]) {
          let phrase = String(
            decoding: input.text.utf8.dropFirst(Int(tokens[start].start)).prefix(
              Int(t.end - tokens[start].start)), as: UTF8.self)
          if p.flags.contains(.complaint) {
            let w = t.inQuestion ? p.complaint * Tune.questionCue : p.complaint
            complaint += w
            if p.flags.contains(.venting) { venting += w }
            signals.append(Signal(kind: .complaintCue, token: phrase, weight: Double(w)))
          }
          if p.flags.contains(.insult) {
            insults += 1
            signals.append(Signal(kind: .insult, token: phrase, weight: 1))
          }
          if p.flags.contains(.resolution) { resolved = true }
          if p.flags.contains(.request) {
            request += p.request
            signals.append(Signal(kind: .request, token: phrase, weight: Double(p.request)))
          }
          if p.flags.contains(.thanks), p.thanks > thanks {
            thanks = p.thanks
            signals.append(Signal(kind: .thanks, token: phrase, weight: Double(p.thanks)))
          }
          if p.flags.contains(.sweeping) {
            sweeping += 1
            signals.append(Signal(kind: .sweeping, token: phrase, weight: 1))
          }
          if p.flags.contains(.booster), p.boost > 0, lastNegated != 0 {
            // "not happy at all", "not bad at all": a trailing intensifier strengthens the negated word.
            let b = lastNegated > 0 ? p.boost : -p.boost
            if sawContrast { after += b } else { before += b }
            if b > 0 { positives += b } else { negatives += b }
            signals.append(Signal(kind: .intensifier, token: phrase, weight: Double(p.boost)))
          }
          if p.flags.contains(.negator) {
            signals.append(Signal(kind: .negation, token: phrase, weight: Double(Tune.negationScalar)))
          }
          if p.flags.contains(.exasperation) {
            exasperation += 1
            signals.append(Signal(kind: .exasperation, token: phrase, weight: 1))
          }
          if p.flags.contains(.greeting), start == 0 {
            greeting = true
            signals.append(Signal(kind: .greeting, token: phrase, weight: 1))
          }
        }
      }

      guard let e = entries[i] else {
        // Compound hashtags carry sentiment in a part: #unitedsucks, #WorstAirline, #nooitmeer.
        if t.hashtag, t.kind == .word, let (v, part) = hashtagValence(t, scan, dutch: dutch) {
          signals.append(
            Signal(kind: v > 0 ? .positiveWord : .negativeWord, token: "#" + part, weight: Double(v)))
          if sawContrast { after += v } else { before += v }
          if v > 0 { positives += v } else { negatives += v }
        }
        continue
      }
      let f = e.flags
      if f.contains(.irrealis) { irrealisClause = true }
      if f.contains(.complaint) {
        let w = t.inQuestion ? e.complaint * Tune.questionCue : e.complaint
        complaint += w
        if f.contains(.venting) { venting += w }
        signals.append(Signal(kind: .complaintCue, token: text(t), weight: Double(w)))
      }
      if f.contains(.resolution) { resolved = true }
      if f.contains(.request) {
        request += e.request
        signals.append(Signal(kind: .request, token: text(t), weight: Double(e.request)))
      }
      if f.contains(.thanks), e.thanks > thanks {
        thanks = e.thanks
        signals.append(Signal(kind: .thanks, token: text(t), weight: Double(e.thanks)))
      }
      if f.contains(.insult) {
        insults += 1
        signals.append(Signal(kind: .insult, token: text(t), weight: 1))
      }
      if f.contains(.sweeping) {
        sweeping += 1
        signals.append(Signal(kind: .sweeping, token: text(t), weight: 1))
      }
      if f.contains(.firstPerson) { firstPerson = true }
      if f.contains(.exasperation) {
        exasperation += 1
        signals.append(Signal(kind: .exasperation, token: text(t), weight: 1))
      }
      if f.contains(.greeting), i == 0 {
        greeting = true
        signals.append(Signal(kind: .greeting, token: text(t), weight: 1))
      }
      // "but" opens a clause of its own: a hope before it governs nothing after it ("nooit gedacht
      // dat ik dit zou zeggen, maar de app is geweldig").
      if f.contains(.contrast), i > 0 { irrealisClause = false }
      if f.contains(.contrast), !sawContrast, i > 0 {
        sawContrast = true
        signals.append(Signal(kind: .contrast, token: text(t), weight: 1.5))
      }
      if f.contains(.whWord), t.sentenceStart || scan.questionMarks > 0 {
        interrogative += 1
        signals.append(Signal(kind: .interrogative, token: text(t), weight: 1))
      } else if f.contains(.questionVerb), t.sentenceStart, i + 1 < count, tokens[i + 1].kind == .word {
        // Verb first, then a pronoun, is how both languages ask: "Kan ik…", "Can you…".
        let w: Float = entries[i + 1]?.flags.contains(.secondPerson) == true ? 1.2 : 0.8
        interrogative += w
        signals.append(Signal(kind: .interrogative, token: text(t), weight: Double(w)))
      }
      if f.contains(.negator) {
        negators += 1
        signals.append(Signal(kind: .negation, token: text(t), weight: Double(Tune.negationScalar)))
      }

      // Valence in the mention's language; Dutch mentions borrow English words, not the reverse.
      var v: Float
      if dutch {
        v = f.contains(.hasNL) ? e.valenceNL : (f.contains(.hasEN) && !f.contains(.dutch) ? e.valenceEN : 0)
      } else {
        v = f.contains(.hasEN) ? e.valenceEN : 0
      }
      // Short all-caps tokens are codes and acronyms (LAX, JP), not the slang VADER lists; a
      // single letter is no word at all.
      if t.allCaps, t.letters <= 3, abs(v) < 2 { v = 0 }
      if t.letters == 1 { v = 0 }
      // "Beste NS," and "Dear team" greet; "de beste" and "dear to me" mean something.
      if f.contains(.greeting), i == 0 || entries[i - 1]?.flags.contains(.greeting) == true { v = 0 }
      if v == 0, t.hashtag, e.flags.isEmpty { v = 0 }
      if v == 0 || neutralNames.contains(t.hash) { continue }
      if f.contains(.emoji) {
        signals.append(Signal(kind: .emoji, token: text(t), weight: Double(v)))
        if sawContrast { after += v } else { before += v }
        if v > 0 { positives += v } else { negatives += v }
        continue
      }
      // Boosters and negators up to three words back, as VADER does.
      var negated = false
      let hypothetical = irrealisClause
      var j = i - 1
      var distance = 0
      while j >= 0, distance < 3, !tokens[j + 1].clauseStart {
        let pt = tokens[j]
        if pt.kind != .word { break }
        if let pe = entries[j] {
          if pe.flags.contains(.booster), pe.boost != 0 {
            let scale: Float = distance == 0 ? 1 : (distance == 1 ? 0.95 : 0.9)
            v += (v > 0 ? pe.boost : -pe.boost) * scale
            signals.append(
              Signal(kind: pe.boost > 0 ? .intensifier : .dampener, token: text(pt), weight: Double(pe.boost))
            )
          }
          if pe.flags.contains(.negator) { negated = true }
        }
        j -= 1
        distance += 1
      }
      // Phrase negators ("no one") and phrase boosters ("kind of") just before the word.
      if i >= 2, let pe = lexicon.phrases.lookup(FNV.pair(tokens[i - 2].hash, tokens[i - 1].hash)) {
        if pe.flags.contains(.booster) { v += v > 0 ? pe.boost : -pe.boost }
        if pe.flags.contains(.negator) { negated = true }
      }
      if emphasiseCaps, t.allCaps { v += v > 0 ? Tune.capsBoost : -Tune.capsBoost }
      // Negation flips mild words ("niet slecht", "not great"); a strong negative word stays
      // negative, only damped: "geen kut…" or "not kill" is never praise.
      if negated {
        v *= (v < -2.5 ? 0.5 : Tune.negationScalar)
        lastNegated = v
        flipped += 1
      }
      if hypothetical, v > 0 { v *= Tune.irrealis }
      // "Is flight 1202 delayed?": the delay asked about is not yet a bad experience (S12).
      if t.inQuestion, v < 0, f.contains(.complaint) { v *= Tune.questionCue }
      signals.append(Signal(kind: v > 0 ? .positiveWord : .negativeWord, token: text(t), weight: Double(v)))
      if sawContrast { after += v } else { before += v }
      if v > 0 { positives += v } else { negatives += v }
    }

    // Thanks counts as positive, unless it is sarcastic ("thanks for nothing" is a complaint cue).
    // Thanks next to negative words or complaint cues is mostly sarcasm ("thanks for the delay").
    let sarcastic = negatives <= -1.5 || complaint >= 1
    if sarcastic, thanks > 0 {
      thanks *= 0.3
    }
    var sum = (sawContrast ? before * 0.5 + after * 1.5 : before) + thanks
    if scan.exclamations > 0, sum != 0 {
      let amp = Float(Swift.min(scan.exclamations, 4)) * 0.292
      sum += sum > 0 ? amp : -amp
    }
    let sentiment = Double(sum / (sum * sum + 15).squareRoot())

    if scan.questionMarks > 0 {
      signals.append(Signal(kind: .questionMark, token: "?", weight: Double(scan.questionMarks)))
    }
    if shouting { signals.append(Signal(kind: .shouting, token: "CAPS", weight: Double(scan.capsWords))) }
    if scan.interrobangs > 0 {
      signals.append(Signal(kind: .exasperation, token: "?!", weight: Double(scan.interrobangs)))
    }
    if scan.longestExclamationRun >= 2 {
      signals.append(
        Signal(
          kind: .exclamation, token: String(repeating: "!", count: scan.longestExclamationRun),
          weight: Double(scan.longestExclamationRun)))
    }

    // Rumours (S9, S4).
    var matched: [String] = []
    if !rumours.isEmpty {
      for r in rumours where r.patterns.contains(where: { $0.matches(scan) }) {
        matched.append(r.id)
        signals.append(Signal(kind: .rumour, token: r.id, weight: 1))
      }
    }

    let isStaff = input.isStaff || (!staff.isEmpty && staff.contains(Handle.normalise(input.authorHandle)))
    if isStaff { signals.append(Signal(kind: .staffAuthor, token: input.authorHandle, weight: 1)) }

    // Decide.
    let question = Float(scan.questionMarks > 0 ? 1.5 : 0) + interrogative + request
    // A problem put right, with thanks or praise beside it: its cues tell what was solved (S3).
    if resolved, positives > 0 {
      complaint *= Tune.resolved
      venting *= Tune.resolved
      signals.append(Signal(kind: .resolution, token: "", weight: Double(Tune.resolved)))
    }
    let told = complaint - venting
    let experience = told >= 1 || (firstPerson && (told > 0 || numbers > 0))
    if experience, firstPerson {
      signals.append(Signal(kind: .ownExperience, token: "", weight: 1))
    }
    var pos = Swift.max(0, Swift.max(0, sum) + (sum > 0 ? 0 : thanks * 0.25) - Tune.mixCue * complaint)
    // A link passed on without an own experience is information, not praise (S3).
    if scan.urls > 0, !firstPerson { pos *= Tune.shareDamp }
    // In a mention to the organisation, a bare negation is mostly a service that didn't deliver
    // ("didn't work", "no gate", "wouldn't let us on"); a row of ?!?! is agitation.
    let bareNegations = Swift.max(0, negators - flipped)
    let agitation: Float =
      (scan.longestExclamationRun >= 3 ? 0.5 : 0) + (scan.questionMarks >= 3 ? 0.5 : 0)
    let exasperated = exasperation + scan.interrobangs
    let negScore =
      Swift.max(0, -sum) + Tune.cueWeight * complaint + Float(insults) * Tune.insult
      + (shouting ? 1 : 0) + Tune.bareNegation * Float(Swift.min(bareNegations, 3)) + agitation
      + (positives > 0 ? Tune.mixNeg * -negatives : 0) + Tune.exasperation * Float(Swift.min(exasperated, 2))

    // The evidence as numbers, weighed by the decision model (see `Evidence`).
    x[Evidence.bias] = 1
    x[Evidence.praiseCase] = pos
    x[Evidence.complaintCase] = negScore
    x[Evidence.questionCase] = question
    x[Evidence.sentiment] = sum
    x[Evidence.positiveWords] = positives
    x[Evidence.negativeWords] = -negatives
    x[Evidence.thanks] = thanks
    x[Evidence.complaintCues] = complaint
    x[Evidence.requests] = request
    x[Evidence.interrogatives] = interrogative
    x[Evidence.questionMark] = scan.questionMarks > 0 ? 1 : 0
    x[Evidence.insults] = Float(Swift.min(insults, 3))
    x[Evidence.sweeping] = Float(Swift.min(sweeping, 3))
    x[Evidence.shouting] = shouting ? 1 : 0
    x[Evidence.firstPerson] = firstPerson ? 1 : 0
    x[Evidence.experience] = experience ? 1 : 0
    x[Evidence.numbers] = Float(Swift.min(numbers, 3))
    x[Evidence.negations] = Float(Swift.min(bareNegations, 3))
    x[Evidence.exclamations] = Float(Swift.min(scan.exclamations, 4))
    x[Evidence.agitation] = agitation
    x[Evidence.link] = scan.urls > 0 ? 1 : 0
    x[Evidence.contrast] = sawContrast ? 1 : 0
    x[Evidence.noEvidence] = pos == 0 && negScore == 0 && question == 0 ? 1 : 0
    x[Evidence.length] = Float(Swift.min(count, 60)) / 10
    x[Evidence.praiseOverComplaint] = pos - negScore
    x[Evidence.praiseOverQuestion] = pos - question
    x[Evidence.anyPraise] = pos > 0 ? 1 : 0
    x[Evidence.anyComplaint] = negScore > 0 ? 1 : 0
    x[Evidence.compound] = Float(sentiment)
    x[Evidence.questionAndComplaint] = question > 0 && negScore > 0 ? 1 : 0
    x[Evidence.mixed] = pos > 0 && negScore > 0 ? 1 : 0
    x[Evidence.exasperation] = exasperated > 0 ? 1 : 0
    x[Evidence.greeting] = greeting ? 1 : 0
    Evidence.expand(x)

    var category: Category
    var confidence: Double
    if !matched.isEmpty, pos <= negScore || pos < Tune.rumourPraise {
      // A mention that repeats a known rumour is misinformation unless it clearly praises (S9, S4).
      category = .misinformation
      confidence = 0.83
    } else {
      var (side, p) = model.decide(x)
      // An exasperated question ("what gives?", "really?!") asks for an apology, not for
      // information (S10, S11): it is a complaint even where its words are a question's.
      if side == .neutral, exasperated > 0, pos == 0 {
        side = .negative
        p = 0.5
      }
      // A question whose only case for a complaint is a negation ("Hoe laat vertrekt de eerste
      // trein? Ik kan het niet vinden") asks for information: answer it, don't apologise (S12).
      if side == .negative, question >= 2, complaint == 0, negatives == 0, insults == 0, sweeping == 0,
        !shouting, exasperated == 0
      {
        side = .neutral
        p = 0.5
      }
      // An insult is never praise or information, whatever else the mention says (S8).
      if side != .negative, insults > 0, pos < 2 {
        side = .negative
        p = 0.5
      }
      // Staff praising the organisation (S5): positive, even where the words are few.
      if isStaff, side != .positive, pos >= 1, complaint < 1, insults == 0, negScore < pos + 1 {
        side = .positive
        p = 0.5
      }
      confidence = Double(p)
      switch side {
      case .negative:
        let unfounded = !experience && (insults > 0 || sweeping > 0 || shouting)
        category = unfounded ? .unfounded : .complaint
      case .positive:
        category = isStaff ? .selfPraise : .praise
      case .neutral:
        category = question >= Tune.questionFloor ? .question : .neutral
      }
      // The press and the law speak in their own way; both are escalated for their words.
      if category != .praise, category != .selfPraise {
        let found = Self.pressOrLegal.matches(scan)
        if !found.isEmpty {
          let press = found.contains { Self.pressCues.contains($0) }
          if press, question >= Tune.questionFloor, insults == 0, !shouting {
            // A journalist's question is a question, whatever the story is about (S12): no apology.
            category = .question
            confidence = Swift.max(confidence, 0.6)
          } else if let threat = found.first(where: { !Self.pressCues.contains($0) }) {
            // A threat of legal action is a complaint to answer (S10), however calmly put.
            category = .complaint
            confidence = Swift.max(confidence, 0.6)
            signals.append(Signal(kind: .complaintCue, token: threat, weight: 1))
          }
        }
      }
    }
    confidence = Swift.min(0.99, confidence)
    return Classification(
      category: category, confidence: confidence, lang: lang, signals: signals, rumours: matched,
      sentiment: sentiment, escalationWords: escalationWords.matches(scan))
  }

  /// The strongest sentiment in a split of a compound hashtag, parts of at least three letters.
  func hashtagValence(_ t: Token, _ scan: Scan, dutch: Bool) -> (Float, String)? {
    let low = scan.lowered[Int(t.lowStart)..<Int(t.lowEnd)]
    guard low.count >= 6, low.count <= 40 else { return nil }
    var best: (Float, String)?
    let base = low.startIndex
    for cut in 3...(low.count - 3) {
      for part in [low[base..<(base + cut)], low[(base + cut)...]] {
        var h = FNV.offset
        for b in part { h = FNV.add(h, b) }
        guard let e = lexicon.words.lookup(h) else { continue }
        let v = dutch ? (e.flags.contains(.hasNL) ? e.valenceNL : e.valenceEN) : e.valenceEN
        if v != 0, abs(v) > abs(best?.0 ?? 0) { best = (v, String(decoding: part, as: UTF8.self)) }
      }
    }
    return best
  }
}
