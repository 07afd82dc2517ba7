import Foundation
import Testing

/// The inbox given a PostgreSQL store it cannot reach (issue 18): one honest line and exit status
/// 2, not a stack trace and not a half-drawn screen. Needs no server.
@Suite(
  "the inbox on a PostgreSQL store, in tmux", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ServerStoreE2ETests {
  @Test("repute inbox --store postgres://… on a server it cannot reach says so and exits 2")
  func inboxSaysItCannotReachTheServer() throws {
    let command =
      "\(TmuxSession.quote(ReputeBinary.path)) inbox --store 'postgres://team@db.invalid/webcare?connect_timeout=5' --ui-lang en; "
      + "echo EXITED $?; exec sleep 600"
    let session = try TmuxSession(
      command: command, width: 120, height: 20, extraEnvironment: ["REPUTE_NOW": ReputeBinary.pinnedNow])
    defer { session.kill() }
    let screen = try session.waitFor("EXITED 2")
    #expect(screen.contains("cannot reach the PostgreSQL server at postgres://team@db.invalid"), "\(screen)")
  }
}
