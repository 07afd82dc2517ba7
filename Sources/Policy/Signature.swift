/// Signing replies as a person on behalf of the organisation (S16): "… – Anna".
public enum Signature {
  /// The signature of a responder in the policy's format: "– Anna", "^AV".
  public static func text(for responder: TeamMember, policy: PolicyConfig) -> String {
    policy.signature.format
      .replacingOccurrences(of: "{first_name}", with: responder.firstName)
      .replacingOccurrences(of: "{name}", with: responder.name)
      .replacingOccurrences(of: "{initials}", with: responder.initials)
  }

  /// The reply with the signature appended, unless it is already there (typed or applied before):
  /// the signature can't be lost or doubled by accident.
  /// A reply that ends with a teammate's signature is left as it is too: appending the
  /// responder's would sign one post with two names (S16); the checks block it instead.
  public static func apply(_ reply: String, responder: TeamMember, policy: PolicyConfig) -> String {
    let sig = text(for: responder, policy: policy)
    if occurrences(of: sig, in: reply) > 0 { return reply }
    if otherSigner(of: reply, responder: responder, policy: policy) != nil { return reply }
    var body = Substring(reply)
    while let last = body.last, last.isWhitespace { body.removeLast() }
    if body.isEmpty { return sig }
    return body + policy.signature.separator + sig
  }

  /// The roster member, other than the responder, whose signature the reply ends with (S16),
  /// matched after folding dashes, case and spaces; nil when it ends with the responder's own
  /// signature or with nobody's. Teammates who sign exactly as the responder does (the same
  /// first name) are not told apart: the signature is the same text. When several match, the
  /// longest signature wins ("– Joanna" over "– Anna" for a format without the dash's help).
  public static func otherSigner(of reply: String, responder: TeamMember, policy: PolicyConfig)
    -> TeamMember?
  {
    guard !policy.team.isEmpty else { return nil }
    let own = text(for: responder, policy: policy)
    let ownFolded = fold(own).chars
    var best: (member: TeamMember, length: Int)?
    for member in policy.team where member.login != responder.login || member.name != responder.name {
      let sig = text(for: member, policy: policy)
      let folded = fold(sig).chars
      guard folded != ownFolded, folded.count > (best?.length ?? 0),
        endsWithSignature(reply, signature: sig), occurrences(of: sig, in: reply) > 0
      else { continue }
      best = (member, folded.count)
    }
    guard let best else { return nil }
    // The responder's own signature at the end, at least as long, is theirs: "– Joanna" signed
    // by Joanna also ends with a teammate's "Anna" when the format has no dash.
    if ownFolded.count >= best.length, endsWithSignature(reply, signature: own),
      occurrences(of: own, in: reply) > 0
    {
      return nil
    }
    return best.member
  }

  /// How often the signature occurs, matched after folding dashes (- – —), case and spaces, and
  /// not as the start of a longer word ("– Anna" is not in "– Annabel").
  public static func occurrences(of signature: String, in reply: String) -> Int {
    let sig = fold(signature).chars
    guard let first = sig.first else { return 0 }
    let (text, spaced) = foldKeepingSpaces(reply)
    guard text.count >= sig.count else { return 0 }
    var n = 0
    var i = 0
    while i <= text.count - sig.count {
      if text[i..<(i + sig.count)].elementsEqual(sig, by: same) {
        let end = i + sig.count
        // The match must not run on into a word ("– Annabel"), nor start inside one.
        let continuesWord = end < text.count && !spaced[end] && (text[end].isLetter || text[end].isNumber)
        let startsMidWord =
          (first.isLetter || first.isNumber) && i > 0 && !spaced[i] && text[i - 1].isLetter
        if !continuesWord, !startsMidWord {
          n += 1
          i = end
          continue
        }
      }
      i += 1
    }
    return n
  }

  /// Folded characters, and for each whether whitespace came before it.
  static func foldKeepingSpaces(_ s: String) -> ([Character], [Bool]) {
    var out: [Character] = []
    var spaced: [Bool] = []
    var space = true
    for ch in s.lowercased() {
      let isSpace = ascii(ch).map { $0 == 0x20 || (0x09...0x0D).contains($0) } ?? ch.isWhitespace
      if isSpace {
        space = true
        continue
      }
      out.append(fold(ch))
      spaced.append(space)
      space = false
    }
    return (out, spaced)
  }

  static func fold(_ ch: Character) -> Character {
    if ascii(ch) != nil { return ch }  // "-" folds to itself; the rest are not ASCII
    switch ch {
    case "-", "–", "—", "‒", "―", "−", "‐", "‑": return "-"
    default: return ch
    }
  }

  /// The byte of a one-byte (ASCII) character: comparing those needs no Unicode.
  @inline(__always)
  static func ascii(_ ch: Character) -> UInt8? {
    let bytes = ch.utf8
    return bytes.count == 1 ? bytes.first : nil
  }

  /// Character equality, with ASCII compared as bytes (the signature scan compares a lot).
  @inline(__always)
  static func same(_ a: Character, _ b: Character) -> Bool {
    if let x = ascii(a), let y = ascii(b) { return x == y }
    return a == b
  }

  /// True when the reply ends with the signature (after folding), as S16 asks.
  public static func endsWithSignature(_ reply: String, signature: String) -> Bool {
    let sig = fold(signature).chars
    guard !sig.isEmpty else { return false }
    // Only the end matters: fold a tail of the reply, longer until what is left after the
    // trailing punctuation holds the signature's length (or the tail is the whole reply). Case
    // folding maps each scalar on its own, so the tail folds as it would inside the whole.
    var take = 2 * sig.count + 8
    while true {
      let whole = take >= reply.count
      var (text, _) = fold(whole ? reply : String(reply.suffix(take)))
      while let last = text.last, last.isPunctuation, !sig.contains(last) { text.removeLast() }
      if text.count >= sig.count { return text.suffix(sig.count).elementsEqual(sig) }
      if whole { return false }
      take *= 4
    }
  }

  /// Folded characters: lowercase, dashes as "-", no whitespace.
  static func fold(_ s: String) -> (chars: [Character], count: Int) {
    var out: [Character] = []
    for ch in s.lowercased() where !ch.isWhitespace { out.append(fold(ch)) }
    return (out, out.count)
  }
}

extension SignatureFormat {
  /// Why a signature format is unusable, or nil when it is fine.
  public static func problem(in format: String) -> String? {
    let known = ["{first_name}", "{name}", "{initials}"]
    var rest = format
    for k in known { rest = rest.replacingOccurrences(of: k, with: "") }
    if rest.contains("{") || rest.contains("}") {
      return "unknown placeholder or stray brace in \"\(format)\"; use {first_name}, {name} or {initials}"
    }
    if !known.contains(where: { format.contains($0) }) {
      return "\"\(format)\" names nobody; S16 asks for {first_name}, {name} or {initials}"
    }
    return nil
  }
}

/// Links in text.
public enum Links {
  /// True for an absolute http(s) link with a host.
  public static func isLink(_ s: String) -> Bool {
    let lower = s.lowercased()
    for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
      let host = lower.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
      return host.contains(".") && !host.hasPrefix(".") && !host.hasSuffix(".")
        && !s.contains(where: \.isWhitespace)
    }
    return false
  }

  /// The links in a text (`http://`, `https://` and `www.` up to whitespace, trailing punctuation
  /// left out), as ranges.
  public static func find(in text: String) -> [Range<String.Index>] {
    // Most replies hold no link: one pass over the bytes says so without walking the clusters.
    guard mayHoldLink(text) else { return [] }
    var out: [Range<String.Index>] = []
    var i = text.startIndex
    while i < text.endIndex {
      if i == text.startIndex || text[text.index(before: i)].isWhitespace
        || "([\"'“‘<".contains(text[text.index(before: i)])
      {
        let rest = text[i...].prefix(8).lowercased()
        if rest.hasPrefix("http://") || rest.hasPrefix("https://") || rest.hasPrefix("www.") {
          var j = i
          while j < text.endIndex, !text[j].isWhitespace { j = text.index(after: j) }
          var end = j
          while end > i, ".,;:!?)]\"'”’>".contains(text[text.index(before: end)]) {
            end = text.index(before: end)
          }
          if text.distance(from: i, to: end) > 4 { out.append(i..<end) }
          i = j
          continue
        }
      }
      i = text.index(after: i)
    }
    return out
  }

  /// False when the text has no `http` and no `www.` in any case, so `find` has nothing to find.
  /// (No character outside ASCII lowercases to one of these letters.)
  static func mayHoldLink(_ text: String) -> Bool {
    let http: [UInt8] = [0x68, 0x74, 0x74, 0x70]
    var (h, w) = (0, 0)  // how much of "http" and of "www." the bytes so far end with
    for byte in text.utf8 {
      let b = byte | 0x20  // ASCII letters in lower case; no other byte becomes h, t, p or w
      h = b == http[h] ? h + 1 : (b == 0x68 ? 1 : 0)
      w = byte == 0x2E && w == 3 ? 4 : (b == 0x77 ? min(w + 1, 3) : 0)
      if h == 4 || w == 4 { return true }
    }
    return false
  }
}
