import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List mentions, one per line, most urgent first.")

  @OptionGroup var options: StoreOptions

  @Flag(help: "Print JSON Lines.")
  var json = false

  @Option(parsing: .unconditional, help: "At most this many mentions.")
  var limit: Int = 50

  @Option(
    parsing: .unconditional,
    help:
      "Only the mentions these words take, as the inbox's filter prompt has them: \(FilterWords.hint(.en)).")
  var filter: String?

  @Option(
    parsing: .unconditional,
    help: "Only the mentions of this saved view (repute views), as its key opens it in the inbox.")
  var view: String?

  func validate() throws {
    if limit < 1 { throw ValidationError("--limit must be at least 1") }
    if filter != nil && view != nil { throw ValidationError("--filter and --view: give one of them") }
  }

  func run() throws {
    try guarded {
      let clock = try ReputeClock.fromEnvironment()
      let out = BufferedWriter()
      let mentions: [Mention]
      if let filter = try filterText() {
        let context = try PolicyContext.open(options, create: false, reading: true)
        let zone = context.policy.serviceHours?.timeZone ?? TimeZone(identifier: "UTC")!
        var (parsed, unknown) = FilterWords.parse(filter, me: nil, timeZone: zone, team: context.policy.team)
        if unknown.contains(where: { ["mine", "mijn"].contains($0.lowercased()) }) {
          // `mine` is whoever `--as` (else the login) names, as for the actions; only then asked.
          let me = try options.actor(for: context.store, roster: context.policy)
          (parsed, unknown) = FilterWords.parse(filter, me: me, timeZone: zone, team: context.policy.team)
        }
        if !unknown.isEmpty {
          throw InboxError.invalidArgument(
            "--filter: unknown filter word: \(unknown.joined(separator: " ")) (the words: \(FilterWords.hint(.en)))"
          )
        }
        if let (word, candidates) = FilterWords.ambiguous(filter, team: context.policy.team).first {
          throw fail(
            "--filter: \(word) is ambiguous: \(candidates.joined(separator: " or ")) (give the full name or the login)",
            code: 64)
        }
        mentions = try context.store.queue(parsed, limit: limit, offset: 0, now: clock.now()).map(\.mention)
        try write(mentions, store: context.store, now: clock.now(), out: out)
        return
      }
      let store = try options.open(create: false, reading: true)
      mentions = try store.mentions(order: .urgency, limit: limit, offset: 0)
      try write(mentions, store: store, now: clock.now(), out: out)
    }
  }

  /// The filter's words: `--filter`'s, or those of the view `--view` names (unknown: exit 64,
  /// naming the views there are).
  private func filterText() throws -> String? {
    guard let view else { return filter }
    let context = try PolicyContext.open(options, create: false, reading: true)
    let catalog = ViewCatalog(saved: try context.store.savedViews(), policy: context.policy.views)
    guard let found = catalog.view(named: view) else {
      let names = catalog.views.map { "'\($0.name)'" }.joined(separator: ", ")
      throw fail("--view: no view named '\(view)' (the views: \(names.isEmpty ? "none" : names))", code: 64)
    }
    return found.filter
  }

  private func write(_ mentions: [Mention], store: any ReputeStore, now: Date, out: BufferedWriter) throws {
    do {
      let flags = json ? try store.flags(mentionIDs: mentions.map(\.id)) : [:]
      for mention in mentions {
        if json {
          out.line(JSONOutput.mention(mention, now: now, flags: flags[mention.id] ?? MentionFlags()))
        } else {
          out.line(TextFormat.row(mention, now: now, cut: Output.isTerminal ? 60 : nil))
        }
      }
      out.flush()
    }
  }
}
