import Foundation
import Testing

/// The inbox given the team's PostgreSQL store before it works there (issue 18): one honest line
/// and exit status 2, not a stack trace and not a half-drawn screen. Needs no server.
@Suite(
  "the inbox on a PostgreSQL store, in tmux", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ServerStoreE2ETests {
  @Test("repute inbox --store postgres://… says it does not work there yet and exits 2")
  func inboxSaysNotYet() throws {
    let command =
      "\(TmuxSession.quote(ReputeBinary.path)) inbox --store postgres://team@db.invalid/webcare --ui-lang en; "
      + "echo EXITED $?; exec sleep 600"
    let session = try TmuxSession(
      command: command, width: 120, height: 20, extraEnvironment: ["REPUTE_NOW": ReputeBinary.pinnedNow])
    defer { session.kill() }
    let screen = try session.waitFor("EXITED 2")
    #expect(screen.contains("does not work on a PostgreSQL store yet"), "\(screen)")
  }
}
