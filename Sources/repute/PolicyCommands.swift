import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Show, check or apply the policy the whole team works to (S1).",
    subcommands: [PolicyShowCommand.self, PolicyCheckCommand.self, PolicyApplyCommand.self])
}

struct PolicyShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print the policy in force as a valid, commented policy file.",
    discussion: "Without a store (--default), print the built-in default policy: a starting point to edit.")

  @OptionGroup var options: StoreOptions

  @Flag(help: "Print the built-in default policy instead of the store's.")
  var `default` = false

  func run() throws {
    try guarded {
      if self.default {
        Output.line(PolicyFile.render(.default), terminator: "")
        return
      }
      let context = try PolicyContext.open(options, create: false, reading: true)
      Output.error(
        "# policy version \(context.stored.version), applied \(RFC3339.format(context.stored.appliedAt)) by "
          + TerminalSafe.sanitize(context.stored.appliedBy))
      Output.line(PolicyFile.render(context.policy), terminator: "")
    }
  }
}

struct PolicyCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate a policy file: every problem as FILE:LINE: message. Exit 1 when there are any.")

  @Argument(help: "The policy file (TOML).")
  var file: String

  func run() throws {
    do {
      _ = try PolicyViewsCheck.load(path: file)
      Output.line("\(file): ok")
    } catch {
      for issue in error.issues { Output.error(TerminalSafe.sanitize(issue.description)) }
      throw ExitCode(1)
    }
  }
}

struct PolicyApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Make a policy file the store's policy and re-judge every open mention with it.",
    discussion: """
      The file is validated first; a file with problems changes nothing. The new version is recorded \
      in the event log with who applied it. Category and deadlines of open mentions are recomputed; \
      a responder's manual category stays. Every process on the store picks the new policy up.
      """)

  @OptionGroup var options: StoreOptions

  @Argument(help: "The policy file (TOML).")
  var file: String

  func run() throws {
    let policy: PolicyConfig
    let source: String
    do {
      policy = try PolicyViewsCheck.load(path: file)
      source = try String(contentsOfFile: file, encoding: .utf8)
    } catch let error as PolicyFileError {
      for issue in error.issues { Output.error(TerminalSafe.sanitize(issue.description)) }
      throw ExitCode(1)
    }
    try guarded {
      let context = try PolicyContext.open(options, create: true)
      // The roster in force decides, not the one being applied: nobody promotes themselves.
      try Rights.requireSupervisor(context, to: "apply a policy", ownerMayStart: true)
      let actor = try options.actor(for: context.store, roster: policy)
      let result = try context.store.applyPolicy(
        source: source, actor: actor, annotator: PolicyAnnotator(policy: policy),
        replacing: context.stored.version)
      Output.line("policy version \(result.version) in force; \(result.recomputed) open mentions re-judged")
    }
  }
}

/// A policy file read as `check` and `apply` read it: the file's own rules (PolicyFile), then its
/// views' filters in the inbox's filter language, which the Policy module does not know.
enum PolicyViewsCheck {
  static func load(path: String) throws(PolicyFileError) -> PolicyConfig {
    let policy = try PolicyFile.load(path: path)
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    let issues = ViewCatalog.check(policy, text: text, path: path)
    if !issues.isEmpty { throw PolicyFileError(issues: issues) }
    return policy
  }
}
