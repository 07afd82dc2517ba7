/// Builds the lexicons the slow way, from the text of `LexiconData` and `Cues`: tokenizing and
/// hashing every entry, about 430 M instructions in a debug build. Only the generator of
/// `LexiconTable` and the tests run it; a command reads the prebuilt table (`Lexicon`).
enum LexiconBuilder {
  static func build() -> (words: [UInt64: LexEntry], phrases: [UInt64: LexEntry]) {
    var words: [UInt64: LexEntry] = [:]
    var phrases: [UInt64: LexEntry] = [:]

    func edit(_ text: String, _ body: (inout LexEntry) -> Void) {
      let hashes = Tokenizer.wordHashes(text)
      guard !hashes.isEmpty else { return }
      if hashes.count == 1 {
        body(&words[hashes[0], default: LexEntry()])
      } else {
        var h = hashes[0]
        for x in hashes.dropFirst() { h = FNV.pair(h, x) }
        var e = phrases[h, default: LexEntry()]
        e.words = UInt8(hashes.count)
        body(&e)
        phrases[h] = e
      }
    }

    for line in LexiconData.vaderEN.split(separator: "\n") {
      let parts = line.split(separator: "\t")
      guard parts.count == 2, let v = Float(parts[1]) else { continue }
      edit(String(parts[0])) {
        $0.valenceEN = v
        $0.flags.insert(.hasEN)
      }
    }
    for line in LexiconData.patternNL.split(separator: "\n") {
      let parts = line.split(separator: "\t")
      guard parts.count == 2, let v = Float(parts[1]) else { continue }
      // pattern's polarity is -1…+1; VADER's scale is -4…+4, and a strong Dutch adjective should
      // weigh about as much as a strong English one.
      edit(String(parts[0])) {
        $0.valenceNL = v * 3
        $0.flags.insert(.hasNL)
      }
    }
    for (w, v) in Cues.englishValences {
      edit(w) {
        $0.valenceEN = Float(v)
        $0.flags.insert(.hasEN)
      }
    }
    for (w, v) in Cues.dutchValences {
      edit(w) {
        $0.valenceNL = Float(v)
        $0.flags.insert(.hasNL)
      }
    }
    for w in Cues.negators { edit(w) { $0.flags.insert(.negator) } }
    for (w, b) in Cues.boosters {
      edit(w) {
        $0.flags.insert(.booster)
        $0.boost = Float(b)
      }
    }
    for w in Cues.whWords { edit(w) { $0.flags.insert(.whWord) } }
    for w in Cues.questionVerbs { edit(w) { $0.flags.insert(.questionVerb) } }
    for (w, r) in Cues.requests {
      edit(w) {
        $0.flags.insert(.request)
        $0.request = Float(r)
      }
    }
    for (w, c) in Cues.complaints {
      edit(w) {
        $0.flags.insert(.complaint)
        $0.complaint = Float(c)
      }
    }
    for w in Cues.insults { edit(w) { $0.flags.insert(.insult) } }
    for w in Cues.sweeping { edit(w) { $0.flags.insert(.sweeping) } }
    for w in Cues.firstPerson { edit(w) { $0.flags.insert(.firstPerson) } }
    for w in Cues.contrasts { edit(w) { $0.flags.insert(.contrast) } }
    for w in Cues.dutch { edit(w) { $0.flags.insert(.dutch) } }
    for w in Cues.english { edit(w) { $0.flags.insert(.english) } }
    for (w, t) in Cues.thanks {
      edit(w) {
        $0.flags.insert(.thanks)
        $0.thanks = Float(t)
      }
    }
    // Dutch function words are not sentiment, whatever an adjective sense says ("naar" is mostly
    // "to", not "nasty"; "net" is "just", not "neat").
    for (h, e) in words where e.flags.contains(.dutch) {
      words[h]!.valenceNL = 0
    }
    for w in Cues.secondPerson { edit(w) { $0.flags.insert(.secondPerson) } }
    for w in Cues.irrealis { edit(w) { $0.flags.insert(.irrealis) } }
    for w in Cues.exasperation { edit(w) { $0.flags.insert(.exasperation) } }
    for w in Cues.greetings { edit(w) { $0.flags.insert(.greeting) } }
    for w in Cues.venting {
      edit(w) {
        $0.flags.insert([.venting, .complaint])
        if $0.complaint == 0 { $0.complaint = 1.0 }
      }
    }
    for w in Cues.resolutions { edit(w) { $0.flags.insert(.resolution) } }
    for (scalar, v) in Cues.emoji {
      var e = LexEntry()
      e.flags = [.emoji, .hasEN, .hasNL]
      e.valenceEN = Float(v)
      e.valenceNL = Float(v)
      words[FNV.emoji(scalar.value)] = e
    }
    return (words, phrases)
  }
}
