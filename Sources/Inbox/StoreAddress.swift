/// Where a command's store is: a SQLite file on this machine, or the team's PostgreSQL server.
///
/// Every command resolves one of these from `--store`, else `$REPUTE_STORE`, else the default
/// file (`StoreLocation` in Store). A server address is written in libpq's URL form and completed
/// from the `PG*` variables and the password file as `psql` does (`ServerAddress.resolve`).
public enum StoreAddress: Equatable, Sendable, CustomStringConvertible {
  case file(String)
  case server(ServerAddress)

  /// Whether `value` is written as a server address (`postgres://` or `postgresql://`).
  public static func isServerURL(_ value: String) -> Bool {
    let lower = value.lowercased()
    return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
  }

  /// The address for people and logs: a file's path, or the server's URL without any password.
  public var description: String {
    switch self {
    case .file(let path): return path
    case .server(let server): return server.description
    }
  }

  /// The address as the inbox's status line names it: a file's path with `~` for the home
  /// folder; a server's host and database (`db.example/repute`), or the database alone when it is
  /// reached through a socket on this machine. The full URL, with the socket's folder and query,
  /// would push the views off the line.
  public func brief(home: String?) -> String {
    switch self {
    case .file(let path):
      if let home, !home.isEmpty, path.hasPrefix(home + "/") { return "~" + path.dropFirst(home.count) }
      return path
    case .server(let server): return server.brief
    }
  }
}

/// A PostgreSQL store's address, complete: where the server is, who connects, which database and
/// schema, how the connection is protected, and the password if one was found.
///
/// The password never leaves this value in text: `description`, `debugDescription` and the mirror
/// (`dump`) leave it out, and so does every error built from an address. Only the driver asks for it (`password`).
public struct ServerAddress: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// How the server is reached.
  public enum Endpoint: Equatable, Sendable {
    /// TCP to a host name or IP address.
    case tcp(host: String, port: Int)
    /// A Unix-domain socket in `directory` (`.s.PGSQL.PORT` in it), as libpq names one.
    case socket(directory: String, port: Int)
  }

  /// libpq's `sslmode`, mapped to the driver's TLS in ServerStore.
  public enum SSLMode: String, Equatable, Sendable, CaseIterable {
    case disable, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"
  }

  /// Where a password came from, for messages: never the password itself.
  public enum PasswordSource: String, Equatable, Sendable {
    case environment = "PGPASSWORD"
    case passwordFile = "password file"
  }

  public var endpoint: Endpoint
  public var user: String
  public var database: String
  /// The schema the store's tables live in (default `repute`).
  public var schema: String
  public var sslMode: SSLMode
  /// The CA file for `verify-ca` and `verify-full` (`sslrootcert`, `$PGSSLROOTCERT`); `system`
  /// means the system's trust roots.
  public var sslRootCert: String?
  /// Seconds to wait for the connection (`connect_timeout`, `$PGCONNECT_TIMEOUT`); 0 means no limit.
  public var connectTimeout: Int
  /// The password, kept out of every description.
  public internal(set) var password: String?
  public internal(set) var passwordSource: PasswordSource?
  /// What a person should hear about how the address was resolved (a password file that was not
  /// read because others may read it, as libpq warns).
  public var warnings: [String]

  public init(
    endpoint: Endpoint, user: String, database: String, schema: String = ServerAddress.defaultSchema,
    sslMode: SSLMode = .prefer, sslRootCert: String? = nil, connectTimeout: Int = 0, password: String? = nil,
    passwordSource: PasswordSource? = nil, warnings: [String] = []
  ) {
    self.endpoint = endpoint
    self.user = user
    self.database = database
    self.schema = schema
    self.sslMode = sslMode
    self.sslRootCert = sslRootCert
    self.connectTimeout = connectTimeout
    self.password = password
    self.passwordSource = password == nil ? nil : passwordSource
    self.warnings = warnings
  }

  public static let defaultSchema = "repute"
  /// Debian's libpq looks for the server's socket here when no host is named.
  public static let defaultSocketDirectory = "/var/run/postgresql"
  public static let defaultPort = 5432

  public var port: Int {
    switch endpoint {
    case .tcp(_, let port), .socket(_, let port): return port
    }
  }

  /// The host as libpq and `.pgpass` see it: a name, an address, or a socket directory.
  public var host: String {
    switch endpoint {
    case .tcp(let host, _): return host
    case .socket(let directory, _): return directory
    }
  }

  /// The URL without the password: what `repute check` prints and errors name.
  public var description: String {
    var url = "postgres://\(Self.encoded(user))@"
    var query: [String] = []
    switch endpoint {
    case .tcp(let host, let port):
      url += (host.contains(":") ? "[\(host)]" : Self.encoded(host)) + ":\(port)"
    case .socket(let directory, let port):
      query.append("host=\(Self.encoded(directory, keeping: "/"))")
      if port != Self.defaultPort { query.append("port=\(port)") }
    }
    url += "/" + Self.encoded(database)
    if schema != Self.defaultSchema { query.append("schema=\(Self.encoded(schema))") }
    if case .tcp = endpoint { query.append("sslmode=\(sslMode.rawValue)") }
    return query.isEmpty ? url : url + "?" + query.joined(separator: "&")
  }

  /// Host and database (`db.example/repute`, `db.example:6432/repute` off the default port), the
  /// database alone through a local socket, and `:schema` after it when that is not the default.
  public var brief: String {
    var text = database
    if case .tcp(let host, let port) = endpoint {
      let shown = host.contains(":") ? "[\(host)]" : host
      text = shown + (port == Self.defaultPort ? "" : ":\(port)") + "/" + database
    }
    return schema == Self.defaultSchema ? text : text + ":" + schema
  }

  public var debugDescription: String {
    description + (password == nil ? "" : " (password from \(passwordSource?.rawValue ?? "elsewhere"))")
  }

  /// What `dump` and debuggers show: every part but the password.
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "endpoint": endpoint, "user": user, "database": database, "schema": schema, "sslMode": sslMode,
        "sslRootCert": sslRootCert as Any, "connectTimeout": connectTimeout,
        "password": password == nil ? "none" : "(hidden)", "warnings": warnings,
      ])
  }

  /// Percent-encodes what would break a URL's part (and never a password: none is written).
  static func encoded(_ part: String, keeping kept: String = "") -> String {
    var out = ""
    for byte in part.utf8 {
      let scalar = Unicode.Scalar(byte)
      let plain =
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || "-._~".unicodeScalars.contains(scalar) || kept.unicodeScalars.contains(scalar)
      out += plain ? String(scalar) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
    }
    return out
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
