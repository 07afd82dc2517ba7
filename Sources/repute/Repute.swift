import ArgumentParser
import Foundation
import Inbox
import ServerStore
import Store

@main
struct Repute: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repute",
    abstract: "A terminal inbox for reputation monitoring: work through what is said about you.",
    // The developers' `eval` is ungrouped and hidden: it runs, but the user's help does not list it.
    subcommands: [EvalCommand.self],
    // `repute --help` lists the commands by the work they serve, in this order; the man page
    // (scripts/gen-manual.sh) lists them in the same order, the command guide
    // (docs/guide/commands.md) in the same groups.
    groupedSubcommands: [
      CommandGroup(
        name: "Working the queue",
        subcommands: [
          InboxCommand.self, DemoCommand.self, ListCommand.self, ViewsCommand.self, ShowCommand.self,
          ClaimCommand.self,
          ReleaseCommand.self, SnoozeCommand.self, NoReplyCommand.self, ReopenCommand.self,
          RecategoriseCommand.self, UnwatchCommand.self, EscalateCommand.self, NoteCommand.self,
          AssignCommand.self, NoticesCommand.self,
          PersonCommand.self,
        ]),
      CommandGroup(
        name: "Replies",
        subcommands: [ReplyCommand.self, OutboxCommand.self, WithdrawCommand.self, SnippetsCommand.self]),
      CommandGroup(
        name: "The team",
        subcommands: [
          ReportCommand.self, LogCommand.self, TeamCommand.self, EscalationsCommand.self, ApproveCommand.self,
          SendBackCommand.self,
        ]),
      CommandGroup(
        name: "Sources and delivery",
        subcommands: [IngestCommand.self, WatchCommand.self, SourcesCommand.self, DeliverCommand.self]),
      CommandGroup(
        name: "Data and erasure",
        subcommands: [
          InitCommand.self, CheckCommand.self, MigrateCommand.self, ForgetCommand.self, PurgeCommand.self,
        ]),
      CommandGroup(name: "Policy", subcommands: [PolicyCommand.self, ClassifyCommand.self]),
    ],
    defaultSubcommand: InboxCommand.self
  )

  /// ArgumentParser's `main`, with SQLite's errors from outside `guarded` as one clear line too
  /// (exit 2) rather than its generic "Error: …" with GRDB's statement dump.
  static func main() {
    do {
      var command: ParsableCommand
      do {
        command = try parseAsRoot()
      } catch {
        // `inbox` is the default subcommand, so a mistyped command reaches it as an unexpected
        // argument and the parser answers with the inbox's usage. Name the word instead.
        if let word = CommandLine.arguments.dropFirst().first, let message = unknownCommand(word) {
          exit(withError: fail(message, code: ExitCode.validationFailure.rawValue))
        }
        throw error
      }
      try command.run()
    } catch {
      if let message = StoreFailure.describe(error) { exit(withError: fail(message)) }
      if let server = error as? ServerStoreError { exit(withError: fail(server.description)) }
      exit(withError: error)
    }
  }
}

extension Repute {
  /// Every word that names a command: names, aliases and the parser's own `help`.
  static var commandNames: [String] {
    configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases } + ["help"]
  }

  /// The message for a first argument that is neither an option nor a command, or nil.
  static func unknownCommand(_ word: String) -> String? {
    guard !word.hasPrefix("-"), !commandNames.contains(word) else { return nil }
    // Named and suggested in the help's order; a hidden (development) command runs but is not offered.
    let names = configuration.subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName }
    let nearest = names.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }
      .min { $0.distance < $1.distance }
    if let nearest,
      nearest.distance <= max(1, min(2, word.count / 2)) || nearest.name.hasPrefix(word.lowercased())
    {
      return "unknown command '\(word)': did you mean '\(nearest.name)'? (repute --help lists every command)"
    }
    return "unknown command '\(word)'; the commands are \(names.joined(separator: ", "))"
  }

  /// Levenshtein distance over characters: insertions, deletions and substitutions cost one.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for i in a.indices {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for j in b.indices {
        let substitution = previous[j] + (a[i] == b[j] ? 0 : 1)
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
      }
      previous = current
    }
    return previous[b.count]
  }
}
