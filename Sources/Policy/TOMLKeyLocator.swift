/// Finds the line of every key and array element in a TOML text.
///
/// TOMLKit reports positions only for syntax errors; an unknown key or a bad value needs its line
/// found in the text. This walks the (already valid) text once and records, for each path, the
/// line it first appears on. Paths join keys with `.` and mark array elements as `[n]`:
/// `team[1].role`, `service_hours.monday[0]`, `windows.complaint.cooling_off`.
public struct TOMLKeyLocator: Sendable {
  private(set) var lines: [String: Int] = [:]
  private var arrayTableCounts: [String: Int] = [:]

  public init(text: String) {
    var scanner = Scanner(bytes: Array(text.utf8))
    scan(&scanner)
  }

  /// The line of the path, or of its nearest ancestor that has one.
  public func line(of path: String) -> Int? {
    var p = path
    while !p.isEmpty {
      if let l = lines[p] { return l }
      guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
      p = String(p[..<cut])
    }
    return nil
  }

  private mutating func record(_ path: String, _ line: Int) {
    if lines[path] == nil { lines[path] = line }
  }

  private struct Scanner {
    let bytes: [UInt8]
    var i = 0
    var line = 1

    var atEnd: Bool { i >= bytes.count }
    func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    mutating func advance() {
      if bytes[i] == UInt8(ascii: "\n") { line += 1 }
      i += 1
    }

    mutating func skipSpaces() {
      while let c = peek(), c == 0x20 || c == 0x09 { i += 1 }
    }

    /// Skips spaces, newlines and comments.
    mutating func skipBlank() {
      while let c = peek() {
        if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
          advance()
        } else if c == UInt8(ascii: "#") {
          while let d = peek(), d != 0x0A { i += 1 }
        } else {
          break
        }
      }
    }

    mutating func skipToLineEnd() {
      while let c = peek(), c != 0x0A { i += 1 }
    }

    /// A dotted key: bare, "basic" or 'literal' parts.
    mutating func key() -> [String] {
      var parts: [String] = []
      while true {
        skipSpaces()
        guard let c = peek() else { break }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
          i += 1
          var buf: [UInt8] = []
          while let d = peek(), d != c {
            if c == UInt8(ascii: "\""), d == UInt8(ascii: "\\"), i + 1 < bytes.count {
              buf.append(bytes[i + 1])
              i += 2
              continue
            }
            buf.append(d)
            i += 1
          }
          i += 1
          parts.append(String(decoding: buf, as: UTF8.self))
        } else {
          let start = i
          while let d = peek(), Scanner.isBare(d) { i += 1 }
          if i == start { break }
          parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
        }
        skipSpaces()
        if peek() == UInt8(ascii: ".") {
          i += 1
        } else {
          break
        }
      }
      return parts
    }

    static func isBare(_ c: UInt8) -> Bool {
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        || c == 0x2D
    }

    func starts(with s: String) -> Bool {
      var k = i
      for b in s.utf8 {
        guard k < bytes.count, bytes[k] == b else { return false }
        k += 1
      }
      return true
    }

    mutating func skipString() {
      guard let q = peek() else { return }
      let triple = starts(with: q == UInt8(ascii: "\"") ? "\"\"\"" : "'''")
      if triple {
        i += 3
        while !atEnd {
          if bytes[i] == q, starts(with: q == UInt8(ascii: "\"") ? "\"\"\"" : "'''") {
            i += 3
            // A closing delimiter may be followed by up to two more quotes that belong to the string.
            while peek() == q { i += 1 }
            return
          }
          if q == UInt8(ascii: "\""), bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
            advance()
          }
          advance()
        }
      } else {
        i += 1
        while let c = peek(), c != q, c != 0x0A {
          if q == UInt8(ascii: "\""), c == UInt8(ascii: "\\") { i += 1 }
          i += 1
        }
        if peek() == q { i += 1 }
      }
    }
  }

  private mutating func scan(_ s: inout Scanner) {
    var current = ""
    while true {
      s.skipBlank()
      guard let c = s.peek() else { return }
      if c == UInt8(ascii: "[") {
        let isArray = s.peek(1) == UInt8(ascii: "[")
        s.i += isArray ? 2 : 1
        let parts = s.key()
        let line = s.line
        s.skipToLineEnd()
        var path = ""
        for (n, part) in parts.enumerated() {
          path = path.isEmpty ? part : path + "." + part
          if n < parts.count - 1 || !isArray, let count = arrayTableCounts[path] {
            path += "[\(count - 1)]"
          }
        }
        if isArray {
          record(path, line)
          let count = arrayTableCounts[path, default: 0]
          arrayTableCounts[path] = count + 1
          path += "[\(count)]"
        }
        record(path, line)
        current = path
      } else {
        let parts = s.key()
        if parts.isEmpty {
          s.skipToLineEnd()
          continue
        }
        var path = current
        for part in parts { path = path.isEmpty ? part : path + "." + part }
        record(path, s.line)
        s.skipSpaces()
        if s.peek() == UInt8(ascii: "=") { s.i += 1 }
        value(&s, path)
        s.skipToLineEnd()
      }
    }
  }

  private mutating func value(_ s: inout Scanner, _ path: String) {
    s.skipSpaces()
    guard let c = s.peek() else { return }
    switch c {
    case UInt8(ascii: "["):
      s.i += 1
      var index = 0
      while true {
        s.skipBlank()
        guard let d = s.peek() else { return }
        if d == UInt8(ascii: "]") {
          s.i += 1
          return
        }
        if d == UInt8(ascii: ",") {
          s.i += 1
          index += 1
          continue
        }
        let element = path + "[\(index)]"
        record(element, s.line)
        value(&s, element)
      }
    case UInt8(ascii: "{"):
      s.i += 1
      while true {
        s.skipBlank()
        guard let d = s.peek() else { return }
        if d == UInt8(ascii: "}") {
          s.i += 1
          return
        }
        if d == UInt8(ascii: ",") {
          s.i += 1
          continue
        }
        let parts = s.key()
        if parts.isEmpty {
          s.i += 1
          continue
        }
        var p = path
        for part in parts { p += "." + part }
        record(p, s.line)
        s.skipSpaces()
        if s.peek() == UInt8(ascii: "=") { s.i += 1 }
        value(&s, p)
      }
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      s.skipString()
    default:
      while let d = s.peek(),
        d != UInt8(ascii: ","), d != UInt8(ascii: "]"), d != UInt8(ascii: "}"), d != 0x0A,
        d != UInt8(ascii: "#")
      {
        s.i += 1
      }
    }
  }
}
