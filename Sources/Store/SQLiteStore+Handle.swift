import Foundation
import Inbox

/// The file store as commands and the inbox see it beside its topics (`ReputeStore`).
extension SQLiteStore: StoreHandle, ChangeFeedStore {
  public var location: StoreAddress { .file(path) }

  /// Shared with a Unix group (`repute init --group`): each person is known by their login.
  public var isShared: Bool { StoreFiles.isShared(path: path) }

  /// The operating system's login: on a file, whoever runs the process.
  public func actingLogin() throws -> String { SystemLogin.current() }

  /// The same file on a connection of its own, read-only when this one is.
  public func reopened(clock: ReputeClock) throws -> SQLiteStore {
    try SQLiteStore(path: path, mode: isReadOnly ? .readOnly : .existing, clock: clock)
  }
}
