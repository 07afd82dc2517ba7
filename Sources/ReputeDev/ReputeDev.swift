import ArgumentParser
import Foundation
import Inbox

/// `repute-dev`: the developers' tools that must never run on a user's data by accident.
///
/// Not a product and not in `repute --help`: the inbox benchmark works on a copy of the store it
/// is given (`StoreCopy`), and training writes Swift source for the repository. Built with the
/// package (`swift build --product repute-dev`), as `FeedsFuzz` is.
@main
struct ReputeDev: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repute-dev",
    abstract: "Development tools for Repute: benchmarks on copies of stores, the classifier's training.",
    subcommands: [InboxBenchCommand.self, TrainCommand.self]
  )
}

/// Ends the command with one clear line on stderr and an exit status, never a stack trace.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
  FileHandle.standardError.write(Data("repute-dev: \(TerminalSafe.sanitize(message, lines: .multi))\n".utf8))
  return ExitCode(code)
}

/// Runs `body`, turning Repute's own errors into one line and exit status 2.
func guarded<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as InboxError {
    throw fail(error.description)
  }
}

/// Writes to stdout without Foundation's buffering surprises.
enum Output {
  static func line(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }
}
