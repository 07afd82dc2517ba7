import Foundation

/// Reading libpq's URL form and completing it as `psql` does: what the URL names wins, then the
/// `PG*` variables, then libpq's defaults; the password from `$PGPASSWORD`, else the password file.
extension ServerAddress {
  /// What a password file read gave: its text, or why it was not read.
  public enum PassFileRead: Equatable, Sendable {
    case missing
    case notRegularFile
    /// Group or others may read or write it: libpq ignores such a file, and so do we.
    case openToOthers
    case contents(String)
  }

  /// The query parameters the URL may carry: libpq's that Repute uses, and `schema` (Repute's own).
  static let knownParameters: Set<String> = [
    "host", "port", "user", "dbname", "sslmode", "sslrootcert", "connect_timeout", "passfile",
    "application_name", "schema", "password",
  ]

  /// The complete address for `url` (`postgres://…` or `postgresql://…`). Throws
  /// `InboxError.invalidArgument` with a message that never contains a password.
  public static func resolve(
    url: String, environment: [String: String], login: String,
    readPassFile: (String) -> PassFileRead = ServerAddress.readPassFile
  ) throws -> ServerAddress {
    let parts = try URLParts(url)
    func pick(_ key: String, _ variable: String) -> String? {
      if let value = parts.values[key], !value.isEmpty { return value }
      if let value = environment[variable], !value.isEmpty { return value }
      return nil
    }
    let host = pick("host", "PGHOST") ?? defaultSocketDirectory
    if host.contains(",") {
      throw InboxError.invalidArgument("the store's address names several hosts (\(host)); name one")
    }
    let portText = pick("port", "PGPORT") ?? String(defaultPort)
    guard let port = Int(portText), (1...65535).contains(port) else {
      throw InboxError.invalidArgument("the store's port \"\(portText)\" is not a port number (1 to 65535)")
    }
    let user = pick("user", "PGUSER") ?? login
    let database = pick("dbname", "PGDATABASE") ?? user
    let modeText = pick("sslmode", "PGSSLMODE") ?? SSLMode.prefer.rawValue
    guard let mode = SSLMode(rawValue: modeText) else {
      let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
      throw InboxError.invalidArgument("sslmode \"\(modeText)\" is not one Repute knows (\(known))")
    }
    let schema = parts.values["schema"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultSchema
    guard isPlainIdentifier(schema) else {
      throw InboxError.invalidArgument(
        "schema \"\(schema)\" must be a plain name: lower-case letters, digits and _, at most 63")
    }
    let timeoutText = pick("connect_timeout", "PGCONNECT_TIMEOUT") ?? "10"
    guard let timeout = Int(timeoutText), timeout >= 0 else {
      throw InboxError.invalidArgument("connect_timeout \"\(timeoutText)\" is not a number of seconds")
    }
    let endpoint: Endpoint =
      host.hasPrefix("/") ? .socket(directory: host, port: port) : .tcp(host: host, port: port)
    var rootCert = pick("sslrootcert", "PGSSLROOTCERT")
    if rootCert == nil, mode == .verifyCA || mode == .verifyFull, let home = environment["HOME"] {
      rootCert = home + "/.postgresql/root.crt"
    }
    var address = ServerAddress(
      endpoint: endpoint, user: user, database: database, schema: schema, sslMode: mode,
      sslRootCert: rootCert,
      connectTimeout: timeout)
    if let password = environment["PGPASSWORD"], !password.isEmpty {
      address.password = password
      address.passwordSource = .environment
    } else if let file = pick("passfile", "PGPASSFILE") ?? environment["HOME"].map({ $0 + "/.pgpass" }) {
      switch readPassFile(file) {
      case .contents(let text):
        if let password = PassFile(text).password(for: address) {
          address.password = password
          address.passwordSource = .passwordFile
        }
      case .openToOthers:
        address.warnings.append(
          "password file \"\(file)\" has group or world access; permissions should be u=rw (0600) or less: not read"
        )
      case .notRegularFile:
        address.warnings.append("password file \"\(file)\" is not a plain file: not read")
      case .missing:
        break
      }
    }
    return address
  }

  /// A name that is safe to write into SQL unquoted: `[a-z_][a-z0-9_]*`, at most 63 bytes.
  public static func isPlainIdentifier(_ name: String) -> Bool {
    guard let first = name.utf8.first, name.utf8.count <= 63, first == 0x5F || (0x61...0x7A).contains(first)
    else { return false }
    return name.utf8.allSatisfy { $0 == 0x5F || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
  }

  /// Reads a password file as libpq does: only a plain file that neither group nor others may use.
  public static func readPassFile(_ path: String) -> PassFileRead {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return .missing }
    guard (attributes[.type] as? FileAttributeType) == .typeRegular else { return .notRegularFile }
    if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
      return .openToOthers
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .missing }
    return .contents(text)
  }
}

/// The parts of a `postgres://` URL, percent-decoded, by libpq's parameter names.
struct URLParts {
  var values: [String: String] = [:]

  init(_ url: String) throws {
    let schemeEnd = url.range(of: "://")!.upperBound
    var rest = Substring(url[schemeEnd...])
    if let mark = rest.firstIndex(of: "?") {
      try Self.readQuery(rest[rest.index(after: mark)...], into: &values)
      rest = rest[..<mark]
    }
    var authority = rest
    if let slash = rest.firstIndex(of: "/") {
      authority = rest[..<slash]
      values["dbname"] = try values["dbname"] ?? Self.decoded(rest[rest.index(after: slash)...])
    }
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      if userInfo.contains(":") {
        throw InboxError.invalidArgument(
          "the store's address carries a password: Repute never takes one on the command line. "
            + "Use ~/.pgpass or PGPASSWORD (see docs/guide/team-server.md)")
      }
      values["user"] = try values["user"] ?? Self.decoded(userInfo)
      authority = authority[authority.index(after: at)...]
    }
    try readHost(authority)
  }

  private mutating func readHost(_ authority: Substring) throws {
    var host = authority
    var port: Substring?
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else {
        throw InboxError.invalidArgument("the store's address has an IPv6 host without its closing ]")
      }
      let after = host[host.index(after: close)...]
      if after.hasPrefix(":") { port = after.dropFirst() }
      host = host[host.index(after: host.startIndex)..<close]
    } else if let colon = host.lastIndex(of: ":") {
      port = host[host.index(after: colon)...]
      host = host[..<colon]
    }
    if values["host"] == nil, !host.isEmpty { values["host"] = try Self.decoded(host) }
    if values["port"] == nil, let port, !port.isEmpty { values["port"] = try Self.decoded(port) }
  }

  private static func readQuery(_ query: Substring, into values: inout [String: String]) throws {
    for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
      guard let equals = pair.firstIndex(of: "=") else {
        throw InboxError.invalidArgument("the store's address has a parameter without a value: \(pair)")
      }
      let key = try decoded(pair[..<equals])
      guard key != "password" else {
        throw InboxError.invalidArgument(
          "the store's address carries a password: Repute never takes one on the command line. "
            + "Use ~/.pgpass or PGPASSWORD (see docs/guide/team-server.md)")
      }
      guard ServerAddress.knownParameters.contains(key) else {
        throw InboxError.invalidArgument("the store's address has a parameter Repute does not know: \(key)")
      }
      values[key] = try decoded(pair[pair.index(after: equals)...])
    }
  }

  static func decoded(_ text: Substring) throws -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    var index = text.utf8.startIndex
    let utf8 = text.utf8
    while index < utf8.endIndex {
      let byte = utf8[index]
      if byte == UInt8(ascii: "%") {
        let high = utf8.index(after: index)
        guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
          let value = UInt8(String(decoding: utf8[high...utf8.index(after: high)], as: UTF8.self), radix: 16)
        else { throw InboxError.invalidArgument("the store's address has a broken %-escape") }
        bytes.append(value)
        index = utf8.index(high, offsetBy: 2)
      } else {
        bytes.append(byte)
        index = utf8.index(after: index)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
