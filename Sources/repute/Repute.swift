import ArgumentParser
import Foundation
import Inbox
import Store

@main
struct Repute: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repute",
    abstract: "A terminal inbox for reputation monitoring: work through what is said about you.",
    subcommands: [
      InitCommand.self, IngestCommand.self, ListCommand.self, ShowCommand.self, PolicyCommand.self,
      ClassifyCommand.self, EvalCommand.self, DemoCommand.self, InboxCommand.self, WatchCommand.self,
      SourcesCommand.self, DeliverCommand.self, OutboxCommand.self, ReplyCommand.self, ReportCommand.self,
      LogCommand.self, TeamCommand.self, ForgetCommand.self, PurgeCommand.self,
    ],
    defaultSubcommand: InboxCommand.self
  )

  /// ArgumentParser's `main`, with SQLite's errors from outside `guarded` as one clear line too
  /// (exit 2) rather than its generic "Error: …" with GRDB's statement dump.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      if let message = StoreFailure.describe(error) { exit(withError: fail(message)) }
      exit(withError: error)
    }
  }
}
