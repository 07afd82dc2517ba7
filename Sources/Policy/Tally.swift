/// The lexicon pass of one classification: what the words, phrases and emoji of a mention add up
/// to, read token by token (`read(_:)`), then weighed into the cases for praise, a complaint and a
/// question (`cases(rumourSignalsAdded:)`).
///
/// A value on the stack: the per-token scratch (`entries`, `rolling`) is the caller's temporary
/// buffers, so the pass allocates nothing per word.
struct Tally {
  typealias Tune = Classifier.Tune

  // What the pass reads.
  let text: String
  let scan: Scan
  let tokens: [Token]
  let lexicon: Lexicon
  let neutralNames: Set<UInt64>
  /// Each token's lexicon entry, looked up once before the pass.
  let entries: UnsafeMutableBufferPointer<LexEntry?>
  /// rolling[d] is the folded hash of tokens[i-d ... i]: each phrase ending at token i is looked up
  /// without refolding it from its start (the lexicon folds phrases from the left).
  let rolling: UnsafeMutableBufferPointer<UInt64>
  /// Valence in the mention's language: Dutch mentions borrow English words, not the reverse.
  let dutch: Bool
  let shouting: Bool
  let emphasiseCaps: Bool

  // What it found. Sentiment, VADER-style: valence with boosters, negation, capitals, and a "but"
  // clause.
  var signals: [Signal] = []
  var before: Float = 0
  var after: Float = 0
  var positives: Float = 0
  var negatives: Float = 0
  var sawContrast = false
  var complaint: Float = 0
  var request: Float = 0
  var thanks: Float = 0
  var insults = 0
  var sweeping = 0
  var firstPerson = false
  var interrogative: Float = 0
  var numbers = 0
  var negators = 0
  /// Negations spent on flipping a sentiment word ("niet slecht"): not a bare negation.
  var flipped = 0
  var lastNegated: Float = 0
  /// A hope, a wish or a condition governs the rest of its clause (S3).
  var irrealisClause = false
  var exasperation = 0
  var greeting = false
  /// Complaint cues that vent rather than tell what happened (S8), and a problem put right (S3).
  var venting: Float = 0
  var resolved = false

  init(
    text: String, scan: Scan, lexicon: Lexicon, neutralNames: Set<UInt64>,
    entries: UnsafeMutableBufferPointer<LexEntry?>, rolling: UnsafeMutableBufferPointer<UInt64>, dutch: Bool
  ) {
    self.text = text
    self.scan = scan
    self.tokens = scan.tokens
    self.lexicon = lexicon
    self.neutralNames = neutralNames
    self.entries = entries
    self.rolling = rolling
    self.dutch = dutch
    shouting = scan.capsWords >= 2 && scan.capsWords * 2 >= scan.longWords
    emphasiseCaps = !shouting && scan.capsWords < scan.longWords
    signals.reserveCapacity(8)
  }

  func text(_ t: Token) -> String {
    String(decoding: text.utf8.dropFirst(Int(t.start)).prefix(Int(t.end - t.start)), as: UTF8.self)
  }

  /// A valence counted in the sum (before or after a "but") and on its side.
  mutating func add(_ v: Float) {
    if sawContrast { after += v } else { before += v }
    if v > 0 { positives += v } else { negatives += v }
  }

  /// Reads token `i`: the phrases that end at it, its cues, and its valence.
  mutating func read(_ i: Int) {
    let t = tokens[i]
    var d = Swift.min(i, rolling.count - 1)
    while d >= 1 {
      rolling[d] = FNV.pair(rolling[d - 1], t.hash)
      d -= 1
    }
    rolling[0] = t.hash
    if t.clauseStart { irrealisClause = false }
    if t.kind == .number {
      numbers += 1
      return
    }
    if t.kind == .emoticon {
      if let (s, v) = lexicon.emoticons[t.hash] {
        signals.append(Signal(kind: .emoticon, token: s, weight: Double(v)))
        add(v)
      }
      return
    }
    readPhrases(endingAt: i)
    guard let e = entries[i] else {
      // Compound hashtags carry sentiment in a part: #unitedsucks, #WorstAirline, #nooitmeer.
      if t.hashtag, t.kind == .word, let (v, part) = hashtagValence(t) {
        signals.append(
          Signal(kind: v > 0 ? .positiveWord : .negativeWord, token: "#" + part, weight: Double(v)))
        add(v)
      }
      return
    }
    readCues(e, at: i)
    readValence(e, at: i)
  }

  /// Phrases ending at token `i`, folded from the left as the lexicon built them: complaint cues,
  /// requests, thanks, boosters, sweeping words.
  mutating func readPhrases(endingAt i: Int) {
    let t = tokens[i]
    for start in Swift.max(0, i - lexicon.longestPhrase + 1)..<i {
      guard let p = lexicon.phrases.lookup(rolling[i - start]) else { continue }
      let phrase = String(
        decoding: text.utf8.dropFirst(Int(tokens[start].start)).prefix(Int(t.end - tokens[start].start)),
        as: UTF8.self)
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
        add(lastNegated > 0 ? p.boost : -p.boost)
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

  /// The cues of the word at `i`: complaint, request, thanks, insult, question, negation and the rest.
  mutating func readCues(_ e: LexEntry, at i: Int) {
    let t = tokens[i]
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
    } else if f.contains(.questionVerb), t.sentenceStart, i + 1 < tokens.count, tokens[i + 1].kind == .word {
      // Verb first, then a pronoun, is how both languages ask: "Kan ik…", "Can you…".
      let w: Float = entries[i + 1]?.flags.contains(.secondPerson) == true ? 1.2 : 0.8
      interrogative += w
      signals.append(Signal(kind: .interrogative, token: text(t), weight: Double(w)))
    }
    if f.contains(.negator) {
      negators += 1
      signals.append(Signal(kind: .negation, token: text(t), weight: Double(Tune.negationScalar)))
    }
  }

  /// The valence of the word at `i` in the mention's language, with the boosters, negators,
  /// capitals, hopes and questions around it.
  mutating func readValence(_ e: LexEntry, at i: Int) {
    let t = tokens[i]
    let f = e.flags
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
    if v == 0 || neutralNames.contains(t.hash) { return }
    if f.contains(.emoji) {
      signals.append(Signal(kind: .emoji, token: text(t), weight: Double(v)))
      add(v)
      return
    }
    let hypothetical = irrealisClause
    let negated = applyModifiers(to: &v, at: i)
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
    add(v)
  }

  /// Boosters and negators up to three words back, as VADER does, and the phrase negators ("no
  /// one") and phrase boosters ("kind of") just before the word: boosts `v`, and says whether the
  /// word is negated.
  mutating func applyModifiers(to v: inout Float, at i: Int) -> Bool {
    var negated = false
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
            Signal(kind: pe.boost > 0 ? .intensifier : .dampener, token: text(pt), weight: Double(pe.boost)))
        }
        if pe.flags.contains(.negator) { negated = true }
      }
      j -= 1
      distance += 1
    }
    if i >= 2, let pe = lexicon.phrases.lookup(FNV.pair(tokens[i - 2].hash, tokens[i - 1].hash)) {
      if pe.flags.contains(.booster) { v += v > 0 ? pe.boost : -pe.boost }
      if pe.flags.contains(.negator) { negated = true }
    }
    return negated
  }

  /// The strongest sentiment in a split of a compound hashtag, parts of at least three letters.
  func hashtagValence(_ t: Token) -> (Float, String)? {
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

  /// The sentiment sum once every token is read: thanks counts as positive unless it is sarcastic
  /// ("thanks for nothing" is a complaint cue; thanks next to negative words or complaint cues is
  /// mostly sarcasm, "thanks for the delay"), a "but" clause outweighs what came before, and
  /// exclamation marks amplify.
  mutating func sum() -> Float {
    let sarcastic = negatives <= -1.5 || complaint >= 1
    if sarcastic, thanks > 0 {
      thanks *= 0.3
    }
    var sum = (sawContrast ? before * 0.5 + after * 1.5 : before) + thanks
    if scan.exclamations > 0, sum != 0 {
      let amp = Float(Swift.min(scan.exclamations, 4)) * 0.292
      sum += sum > 0 ? amp : -amp
    }
    return sum
  }

  /// The signals of the marks: question marks, capitals, "?!" and a row of exclamation marks.
  mutating func noteMarks() {
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
  }
}

/// The cases the evidence makes, once the tally is complete: what the decision weighs.
struct Cases {
  var sum: Float
  var sentiment: Double
  var question: Float
  var praise: Float
  var complaint: Float
  var experience: Bool
  var bareNegations: Int
  var agitation: Float
  var exasperated: Int
}

extension Tally {
  /// Weighs the tally into the cases for praise, a complaint and a question.
  mutating func cases(sum: Float) -> Cases {
    let sentiment = Double(sum / (sum * sum + 15).squareRoot())
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
    var pos = Swift.max(
      0, Swift.max(0, sum) + (sum > 0 ? 0 : thanks * 0.25) - Tune.mixCue * complaint)
    // A link passed on without an own experience is information, not praise (S3).
    if scan.urls > 0, !firstPerson { pos *= Tune.shareDamp }
    // In a mention to the organisation, a bare negation is mostly a service that didn't deliver
    // ("didn't work", "no gate", "wouldn't let us on"); a row of ?!?! is agitation.
    let bareNegations = Swift.max(0, negators - flipped)
    let agitation: Float =
      (scan.longestExclamationRun >= 3 ? 0.5 : 0) + (scan.questionMarks >= 3 ? 0.5 : 0)
    let exasperated = exasperation + scan.interrobangs
    let negScore =
      Swift.max(0, -sum) + Tune.cueWeight * complaint + Float(insults) * Tune.insult + (shouting ? 1 : 0)
      + Tune.bareNegation * Float(Swift.min(bareNegations, 3)) + agitation
      + (positives > 0 ? Tune.mixNeg * -negatives : 0) + Tune.exasperation * Float(Swift.min(exasperated, 2))
    return Cases(
      sum: sum, sentiment: sentiment, question: question, praise: pos, complaint: negScore,
      experience: experience, bareNegations: bareNegations, agitation: agitation, exasperated: exasperated)
  }

  /// The evidence as numbers, weighed by the decision model (see `Evidence`).
  func evidence(_ c: Cases, into x: UnsafeMutableBufferPointer<Float>) {
    let pos = c.praise
    let negScore = c.complaint
    x[Evidence.bias] = 1
    x[Evidence.praiseCase] = pos
    x[Evidence.complaintCase] = negScore
    x[Evidence.questionCase] = c.question
    x[Evidence.sentiment] = c.sum
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
    x[Evidence.experience] = c.experience ? 1 : 0
    x[Evidence.numbers] = Float(Swift.min(numbers, 3))
    x[Evidence.negations] = Float(Swift.min(c.bareNegations, 3))
    x[Evidence.exclamations] = Float(Swift.min(scan.exclamations, 4))
    x[Evidence.agitation] = c.agitation
    x[Evidence.link] = scan.urls > 0 ? 1 : 0
    x[Evidence.contrast] = sawContrast ? 1 : 0
    x[Evidence.noEvidence] = pos == 0 && negScore == 0 && c.question == 0 ? 1 : 0
    x[Evidence.length] = Float(Swift.min(tokens.count, 60)) / 10
    x[Evidence.praiseOverComplaint] = pos - negScore
    x[Evidence.praiseOverQuestion] = pos - c.question
    x[Evidence.anyPraise] = pos > 0 ? 1 : 0
    x[Evidence.anyComplaint] = negScore > 0 ? 1 : 0
    x[Evidence.compound] = Float(c.sentiment)
    x[Evidence.questionAndComplaint] = c.question > 0 && negScore > 0 ? 1 : 0
    x[Evidence.mixed] = pos > 0 && negScore > 0 ? 1 : 0
    x[Evidence.exasperation] = c.exasperated > 0 ? 1 : 0
    x[Evidence.greeting] = greeting ? 1 : 0
    Evidence.expand(x)
  }
}
