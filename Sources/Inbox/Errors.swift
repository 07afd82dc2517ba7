/// Errors a person can act on; the CLI prints their description as one line.
public enum InboxError: Error, CustomStringConvertible, Equatable {
  case invalidArgument(String)
  case notFound(String)
  case storeUnavailable(String)
  case permissionDenied(String)

  public var description: String {
    switch self {
    case .invalidArgument(let m), .notFound(let m), .storeUnavailable(let m), .permissionDenied(let m):
      return m
    }
  }
}
