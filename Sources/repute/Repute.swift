import ArgumentParser
import Foundation
import Inbox

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
}
