/// HTML as the platforms send it (Mastodon's `content`, feed summaries) turned into plain text.
///
/// Small on purpose: no HTML library is on the mirror, and these snippets use a handful of tags.
/// `<br>` and paragraphs become line breaks; links keep their full address (Mastodon hides parts
/// of it in `invisible` spans and marks the cut with an `ellipsis` span); mention and hashtag
/// links keep their text (`@anna`, `#wifi`); entities are decoded; scripts and styles dropped.
public enum HTMLText {
  public static func plainText(_ html: String) -> String {
    var parser = Parser(Array(html.unicodeScalars))
    return parser.run()
  }

  private struct Anchor {
    var href: String?
    var keepsText: Bool
    var text = String.UnicodeScalarView()
  }

  private struct Parser {
    let s: [Unicode.Scalar]
    var i = 0
    var out = String.UnicodeScalarView()
    var anchors: [Anchor] = []
    var skipping: String?
    var pendingSpace = false
    var paragraphs = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func run() -> String {
      while i < s.count {
        let c = s[i]
        if c == "<" {
          tag()
          continue
        }
        if skipping != nil {
          i += 1
          continue
        }
        if c == "&" {
          emit(entity())
          continue
        }
        if c == " " || c == "\n" || c == "\t" || c == "\r" {
          pendingSpace = true
          i += 1
          continue
        }
        emit(c)
        i += 1
      }
      while let anchor = anchors.popLast() { close(anchor) }
      var text = String(out)
      while text.last == "\n" || text.last == " " { text.removeLast() }
      while text.first == "\n" || text.first == " " { text.removeFirst() }
      return text
    }

    /// Appends visible text, inside the innermost link when there is one.
    mutating func emit(_ c: Unicode.Scalar) {
      if pendingSpace {
        pendingSpace = false
        if let last = currentLast, last != " " && last != "\n" { append(" ") }
      }
      append(c)
    }

    var currentLast: Unicode.Scalar? {
      if let anchor = anchors.last, let last = anchor.text.last { return last }
      if !anchors.isEmpty { return out.last ?? "\n" }
      return out.last
    }

    mutating func append(_ c: Unicode.Scalar) {
      if anchors.isEmpty {
        out.append(c)
      } else {
        anchors[anchors.count - 1].text.append(c)
      }
    }

    mutating func newline(_ count: Int) {
      pendingSpace = false
      guard !anchors.isEmpty || !out.isEmpty else { return }
      while out.last == " " { out.removeLast() }
      var have = 0
      for c in out.reversed() {
        guard c == "\n" else { break }
        have += 1
      }
      for _ in have..<max(have, count) { append("\n") }
    }

    mutating func close(_ anchor: Anchor) {
      let text = String(anchor.text)
      var shown: String
      if anchor.keepsText || anchor.href == nil {
        shown = text
      } else if let href = anchor.href, href.hasPrefix("http://") || href.hasPrefix("https://") {
        shown = href
      } else {
        shown = text
      }
      if anchors.isEmpty {
        out.append(contentsOf: shown.unicodeScalars)
      } else {
        anchors[anchors.count - 1].text.append(contentsOf: shown.unicodeScalars)
      }
    }

    /// Reads a tag at `<` and acts on it; a `<` that opens no tag is text.
    mutating func tag() {
      let start = i
      i += 1
      if i < s.count && s[i] == "!" {
        // A comment or a declaration: skip it.
        if i + 2 < s.count && s[i + 1] == "-" && s[i + 2] == "-" {
          i += 3
          while i + 2 < s.count && !(s[i] == "-" && s[i + 1] == "-" && s[i + 2] == ">") { i += 1 }
          i = min(s.count, i + 3)
        } else {
          while i < s.count && s[i] != ">" { i += 1 }
          i = min(s.count, i + 1)
        }
        return
      }
      var closing = false
      if i < s.count && s[i] == "/" {
        closing = true
        i += 1
      }
      var name = ""
      while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
        name.unicodeScalars.append(s[i])
        i += 1
      }
      guard !name.isEmpty else {
        i = start + 1
        if skipping == nil { emit("<") }
        return
      }
      var attributes: [String: String] = [:]
      while i < s.count && s[i] != ">" {
        if s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "/" || s[i] == "\r" {
          i += 1
          continue
        }
        var key = ""
        while i < s.count, s[i] != "=", s[i] != ">", s[i] != " ", s[i] != "/" {
          key.unicodeScalars.append(s[i])
          i += 1
        }
        var value = ""
        if i < s.count && s[i] == "=" {
          i += 1
          if i < s.count && (s[i] == "\"" || s[i] == "'") {
            let quote = s[i]
            i += 1
            while i < s.count && s[i] != quote {
              value.unicodeScalars.append(s[i])
              i += 1
            }
            i = min(s.count, i + 1)
          } else {
            while i < s.count && s[i] != " " && s[i] != ">" {
              value.unicodeScalars.append(s[i])
              i += 1
            }
          }
        }
        if key.isEmpty {
          i += 1
          continue
        }
        attributes[key.lowercased()] = HTMLText.decodeEntities(value)
      }
      i = min(s.count, i + 1)
      let lower = name.lowercased()
      if let skipped = skipping {
        if closing && lower == skipped { skipping = nil }
        return
      }
      switch (lower, closing) {
      case ("script", false), ("style", false): skipping = lower
      case ("br", _): newline(1)
      case ("p", _), ("div", true), ("blockquote", _), ("ul", _), ("ol", _), ("h1", _), ("h2", _), ("h3", _),
        ("h4", _), ("h5", _), ("h6", _):
        newline(lower == "p" || lower.hasPrefix("h") || lower == "blockquote" ? 2 : 1)
      case ("li", false): newline(1)
      case ("a", false):
        if pendingSpace, let last = currentLast, last != " " && last != "\n" {
          append(" ")
        }
        pendingSpace = false
        let classes = (attributes["class"] ?? "").split(separator: " ")
        let keeps = classes.contains("mention") || classes.contains("hashtag") || classes.contains("u-url")
        anchors.append(Anchor(href: attributes["href"], keepsText: keeps))
      case ("a", true):
        if let anchor = anchors.popLast() { close(anchor) }
      default: break
      }
    }

    /// Decodes the entity at `&`; an unknown one stays as written.
    mutating func entity() -> Unicode.Scalar {
      let start = i
      i += 1
      var name = ""
      while i < s.count, i - start < 12, s[i] != ";",
        s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) || s[i] == "#"
      {
        name.unicodeScalars.append(s[i])
        i += 1
      }
      if i < s.count, s[i] == ";", let scalar = HTMLText.scalar(forEntity: name) {
        i += 1
        return scalar
      }
      if let scalar = HTMLText.scalar(forEntity: name), !name.hasPrefix("#") {
        // Legacy entities without the semicolon (`&amp` in old feeds).
        return scalar
      }
      i = start + 1
      return "&"
    }
  }

  /// Decodes `&amp;`, `&#39;`, `&#x1F600;` and the common named entities; others stay as written.
  public static func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var out = String.UnicodeScalarView()
    let s = Array(text.unicodeScalars)
    var i = 0
    while i < s.count {
      if s[i] == "&", let semi = s[(i + 1)..<min(s.count, i + 12)].firstIndex(of: ";"),
        let scalar = scalar(forEntity: String(String.UnicodeScalarView(s[(i + 1)..<semi])))
      {
        out.append(scalar)
        i = semi + 1
        continue
      }
      out.append(s[i])
      i += 1
    }
    return String(out)
  }

  static func scalar(forEntity name: String) -> Unicode.Scalar? {
    if name.hasPrefix("#") {
      var digits = name.dropFirst()
      var radix = 10
      if digits.first == "x" || digits.first == "X" {
        digits = digits.dropFirst()
        radix = 16
      }
      guard !digits.isEmpty, let value = UInt32(digits, radix: radix) else { return nil }
      // A NUL or a surrogate is not text; the replacement character stands in, as browsers do.
      if value == 0 { return "\u{FFFD}" }
      return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
    return named[name]
  }

  private static let named: [String: Unicode.Scalar] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "hellip": "…",
    "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«",
    "raquo": "»", "euro": "€", "pound": "£", "copy": "©", "reg": "®", "trade": "™", "deg": "°",
    "middot": "·", "bull": "•", "eacute": "é", "egrave": "è", "ecirc": "ê", "euml": "ë", "aacute": "á",
    "agrave": "à", "acirc": "â", "auml": "ä", "iuml": "ï", "icirc": "î", "oacute": "ó", "ocirc": "ô",
    "ouml": "ö", "uuml": "ü", "ucirc": "û", "ugrave": "ù", "ccedil": "ç", "ntilde": "ñ", "szlig": "ß",
    "Eacute": "É", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "iexcl": "¡", "iquest": "¿", "times": "×",
    "zwj": "\u{200D}", "zwnj": "\u{200C}", "shy": "\u{AD}",
  ]
}
