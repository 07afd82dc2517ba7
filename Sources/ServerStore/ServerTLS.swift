import Foundation
import Inbox
import NIOSSL
import PostgresNIO

/// libpq's `sslmode` in the driver's terms. A Unix-domain socket never uses TLS (as with libpq).
///
/// - `disable`: no TLS. `prefer`: TLS when the server offers it, else plain; `require`: TLS or no
///   connection. Neither checks the certificate (as libpq without a root certificate).
/// - `verify-ca`: TLS with a certificate signed by the CA in `sslrootcert`; `verify-full`: that,
///   and the certificate names the host. `sslrootcert=system` trusts the system's roots.
enum ServerTLS {
  static func configuration(for address: ServerAddress) throws -> PostgresConnection.Configuration.TLS {
    if case .socket = address.endpoint { return .disable }
    switch address.sslMode {
    case .disable:
      return .disable
    case .prefer:
      return .prefer(try context(verification: .none, roots: nil, address: address))
    case .require:
      return .require(try context(verification: .none, roots: nil, address: address))
    case .verifyCA:
      return .require(
        try context(verification: .noHostnameVerification, roots: try roots(address), address: address))
    case .verifyFull:
      return .require(
        try context(verification: .fullVerification, roots: try roots(address), address: address))
    }
  }

  /// The trust roots for the verifying modes: the CA file, or the system's.
  private static func roots(_ address: ServerAddress) throws -> NIOSSLTrustRoots {
    guard let file = address.sslRootCert else {
      throw InboxError.invalidArgument(
        "sslmode=\(address.sslMode.rawValue) needs the server's CA certificate: set sslrootcert (or PGSSLROOTCERT)"
      )
    }
    if file == "system" { return .default }
    guard FileManager.default.isReadableFile(atPath: file) else {
      throw InboxError.invalidArgument(
        "sslmode=\(address.sslMode.rawValue) needs the server's CA certificate, and \(file) cannot be read")
    }
    return .file(file)
  }

  private static func context(
    verification: CertificateVerification, roots: NIOSSLTrustRoots?, address: ServerAddress
  ) throws -> NIOSSLContext {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.certificateVerification = verification
    if let roots { tls.trustRoots = roots }
    do {
      return try NIOSSLContext(configuration: tls)
    } catch {
      throw InboxError.invalidArgument(
        "cannot set up TLS for \(address) (sslrootcert \(address.sslRootCert ?? "none")): \(error)")
    }
  }
}

/// The driver's configuration for an address: TCP or the socket file, the user, the database, the
/// password when one was found, and the store's schema first on the search path.
enum ServerConfiguration {
  static func make(
    for address: ServerAddress, tls: PostgresConnection.Configuration.TLS
  ) throws -> PostgresConnection.Configuration {
    var configuration: PostgresConnection.Configuration
    switch address.endpoint {
    case .tcp(let host, let port):
      configuration = .init(
        host: host, port: port, username: address.user, password: address.password,
        database: address.database,
        tls: tls)
    case .socket(let directory, let port):
      configuration = .init(
        unixSocketPath: directory + "/.s.PGSQL.\(port)", username: address.user, password: address.password,
        database: address.database)
    }
    configuration.options.additionalStartupParameters = [
      ("application_name", "repute"), ("search_path", address.schema),
    ]
    return configuration
  }
}
