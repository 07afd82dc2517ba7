import Foundation
import Inbox
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// An error the PostgreSQL server reported for a statement, in the store's words: its SQLSTATE and
/// message (never the statement's values, never a password).
public struct ServerStoreError: Error, CustomStringConvertible, Equatable {
  /// The server's five-character code (`23505` for a unique violation, …).
  public let sqlState: String
  public let message: String
  /// The store's address, without its password.
  public let address: String

  public var description: String { "the PostgreSQL store at \(address): \(message) (SQLSTATE \(sqlState))" }
}

/// PostgresNIO's errors mapped to the store's: reaching the server, logging in and TLS become
/// `InboxError` (a sentence for the command line), a failed statement `ServerStoreError`.
enum ServerErrors {
  static func mapped(_ error: any Error, address: ServerAddress) -> any Error {
    if error is InboxError || error is ServerStoreError { return error }
    if let failed = tls(error, address: address) { return failed }
    guard let psql = error as? PSQLError else {
      return InboxError.storeUnavailable("cannot reach the PostgreSQL server at \(address): \(brief(error))")
    }
    switch psql.code {
    case .server:
      let state = psql.serverInfo?[.sqlState] ?? "?????"
      let message = psql.serverInfo?[.message] ?? "an error without a message"
      return server(state: state, message: message, address: address)
    case .authMechanismRequiresPassword:
      return InboxError.permissionDenied(
        "the PostgreSQL server at \(address) asks for a password for \(address.user) and none was found: "
          + "put it in ~/.pgpass (mode 0600) or PGPASSWORD")
    case .sslUnsupported:
      return InboxError.storeUnavailable(
        "the PostgreSQL server at \(address) does not offer TLS, and sslmode=\(address.sslMode.rawValue) asks for it"
      )
    case .unsupportedAuthMechanism, .saslError:
      return InboxError.permissionDenied(
        "the PostgreSQL server at \(address) asks for a way of logging in Repute cannot use (use scram-sha-256 or md5)"
      )
    case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
      return InboxError.storeUnavailable("lost the connection to the PostgreSQL server at \(address)")
    case .connectionError, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
      if let underlying = psql.underlying, let failed = tls(underlying, address: address) { return failed }
      let cause = psql.underlying.map { ": \(brief($0))" } ?? ""
      return InboxError.storeUnavailable("cannot reach the PostgreSQL server at \(address)\(cause)")
    default:
      return InboxError.storeUnavailable(
        "the PostgreSQL server at \(address) failed (\(psql.code)); run repute check for details")
    }
  }

  /// Whether the connection is unusable after `error`: the next `run` opens a new one.
  static func losesConnection(_ error: any Error) -> Bool {
    guard let psql = error as? PSQLError else { return !(error is InboxError || error is ServerStoreError) }
    return psql.code != .server
  }

  /// Whether `error` says the server is out of reach (refused, closed, cut, shutting down or
  /// starting up), so the bridge waits for its probe rather than trying again at every call. A
  /// refused login, TLS and a statement's own error are not: trying again would not mend them.
  static func meansOutage(_ error: any Error) -> Bool {
    if error is InboxError || error is ServerStoreError || isTLS(error) { return false }
    guard let psql = error as? PSQLError else { return true }
    switch psql.code {
    case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
      return psql.underlying.map(isTLS) != true
    case .server:
      let state = psql.serverInfo?[.sqlState] ?? ""
      return state.hasPrefix("08") || state.hasPrefix("57P")
    default:
      return false
    }
  }

  static func isTLS(_ error: any Error) -> Bool { error is NIOSSLError || error is NIOSSLExtraError }

  /// TLS that failed, in the person's words: a certificate for another host name, or one the CA in
  /// `sslrootcert` did not sign; nil when `error` is not about TLS.
  static func tls(_ error: any Error, address: ServerAddress) -> InboxError? {
    let failed = "TLS with the PostgreSQL server at \(address) failed"
    if let extra = error as? NIOSSLExtraError {
      guard extra == .failedToValidateHostname, case .tcp(let host, _) = address.endpoint else {
        return .storeUnavailable("\(failed): \(extra)")
      }
      return .storeUnavailable(
        "\(failed): its certificate does not name \(host) (sslmode=verify-full checks the host name)")
    }
    guard let ssl = error as? NIOSSLError else { return nil }
    if "\(ssl)".contains("CERTIFICATE_VERIFY_FAILED") {
      return .storeUnavailable(
        "\(failed): its certificate is not signed by the CA in sslrootcert (\(address.sslRootCert ?? "none"))"
      )
    }
    return .storeUnavailable("\(failed): \(ssl)")
  }

  /// A server's error: logging in and rights as the person can act on them, the rest as it is.
  private static func server(state: String, message: String, address: ServerAddress) -> any Error {
    switch state {
    case "28P01", "28000":
      return InboxError.permissionDenied("the PostgreSQL server at \(address) refused the login: \(message)")
    case "3D000":
      return InboxError.storeUnavailable(
        "\(message) on the PostgreSQL server at \(address): create it first (docs/guide/team-server.md)")
    case "42501":
      return InboxError.permissionDenied("the PostgreSQL server at \(address) refused: \(message)")
    case let code where code.hasPrefix("08") || code.hasPrefix("57P"):
      return InboxError.storeUnavailable("the PostgreSQL server at \(address) is not available: \(message)")
    default:
      return ServerStoreError(sqlState: state, message: message, address: address.description)
    }
  }

  /// A network error in a few words ("connection refused"), without the driver's type names.
  private static func brief(_ error: any Error) -> String {
    if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
    if let connect = error as? NIOConnectionError {
      return connect.connectionErrors.first.map { brief($0.error) } ?? "\(connect)"
    }
    return "\(error)"
  }
}
