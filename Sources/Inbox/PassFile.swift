/// libpq's password file (`~/.pgpass`, `$PGPASSFILE`): lines of `hostname:port:database:username:password`,
/// `*` matching anything in the first four fields, `\:` and `\\` for a colon or backslash, `#` for
/// a comment. The first line that matches gives the password.
struct PassFile {
  private let lines: [[String]]

  init(_ text: String) {
    lines = text.split(whereSeparator: \.isNewline).compactMap { line in
      guard !line.hasPrefix("#") else { return nil }
      let fields = Self.fields(line)
      return fields.count == 5 ? fields : nil
    }
  }

  /// The password for `address`, as libpq matches it: a connection to the default socket
  /// directory matches `localhost`, any other socket directory its path.
  func password(for address: ServerAddress) -> String? {
    let host = address.host == ServerAddress.defaultSocketDirectory ? "localhost" : address.host
    let wanted = [host, String(address.port), address.database, address.user]
    for fields in lines where zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) {
      return fields[4]
    }
    return nil
  }

  /// Splits a line at its unescaped colons; the fifth field takes the rest of the line.
  private static func fields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var escaped = false
    for character in line {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == ":" && fields.count < 4 {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    return fields
  }
}
