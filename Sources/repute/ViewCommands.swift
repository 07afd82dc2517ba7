import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

/// The team's saved views from the command line (issue 16): the same list the inbox's keys
/// `1`–`9` open (`ViewCatalog`), the same rules and audit events as its save, rename and delete.
///
/// Exit status as the actions have it: 0 done, 1 refused by a rule (a view someone else saved,
/// a name or position taken, a view of the policy's), 2 store errors and unknown views, 64 usage.
struct ViewsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "views",
    abstract: "List, save or delete the team's saved views (the inbox's keys 1-9).",
    subcommands: [
      ViewsListCommand.self, ViewsSaveCommand.self, ViewsRenameCommand.self, ViewsDeleteCommand.self,
    ],
    defaultSubcommand: ViewsListCommand.self)
}

/// What the view commands share: the catalogue, who `mine` is, who may change what.
enum ViewRun {
  static func desk(_ context: PolicyContext) -> ViewDesk {
    ViewDesk(store: context.store, policy: context.policy)
  }

  static func catalog(_ context: PolicyContext) throws -> ViewCatalog { try desk(context).catalog() }

  static func zone(_ context: PolicyContext) -> TimeZone {
    context.policy.serviceHours?.timeZone ?? TimeZone(identifier: "UTC")!
  }

  /// Runs a change: the store's refusals become exit 1, an unknown view exit 2.
  static func change(
    _ options: StoreOptions, json: Bool, _ body: (PolicyContext, String) throws -> (String, String)
  )
    throws
  {
    let (context, actor) = try guarded { () throws -> (PolicyContext, String) in
      let context = try PolicyContext.open(options, create: false)
      return (context, try context.actor(options))
    }
    let (action, message): (String, String)
    do {
      (action, message) = try guarded { try body(context, actor) }
    } catch let error as ViewError {
      if case .noSuchView = error { throw fail(error.description, code: 2) }
      throw fail(error.description, code: 1)
    }
    if json {
      var w = JSONWriter()
      w.string("action", action)
      w.string("actor", actor)
      w.string("message", message)
      Output.line(w.finish())
    } else {
      Output.line(message)
    }
  }

  /// Refuses filter text with words the filter language does not know: a usage error.
  static func checkFilter(_ filter: String) throws {
    let unknown = ViewCatalog.unknownWords(filter)
    if !unknown.isEmpty {
      throw ValidationError(
        "--filter: unknown filter word: \(unknown.joined(separator: " ")) (the words: \(FilterWords.hint(.en)))"
      )
    }
  }
}

struct ViewsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the views with how many mentions each holds now.",
    discussion: "The store's saved views, then the policy's whose name and position none of them has.")

  @OptionGroup var options: StoreOptions
  @Flag(help: "Print JSON Lines.") var json = false

  func run() throws {
    try guarded {
      let clock = try ReputeClock.fromEnvironment()
      let context = try PolicyContext.open(options, create: false, reading: true)
      let catalog = try ViewRun.catalog(context)
      // `mine` is whoever --as (else the login) names; asked only when a view needs it.
      let me = try? context.actor(options)
      let out = BufferedWriter()
      for view in catalog.views {
        let (filter, unknown) = ViewCatalog.filter(
          view, me: me, timeZone: ViewRun.zone(context), team: context.policy.team)
        let count = unknown.isEmpty ? try context.store.queueCount(filter, now: clock.now()) : nil
        if json {
          var w = JSONWriter()
          w.int("position", view.position)
          w.string("name", view.name)
          w.string("filter", view.filter)
          w.int("count", count)
          w.string("source", view.createdBy == nil ? "policy" : "store")
          w.string("created_by", view.createdBy)
          w.string("updated_at", view.updatedAt.map(RFC3339.format))
          out.line(w.finish())
        } else {
          let by = view.createdBy.map { "saved by \($0)" } ?? "policy"
          out.line(
            "\(view.position)  \(view.name)  \(count.map(String.init) ?? "-")  \(view.filter)  (\(by))")
        }
      }
      out.flush()
    }
  }
}

struct ViewsSaveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "save", abstract: "Save a filter as a view for the whole team, or change one.",
    discussion: """
      Anyone on the team saves a new view; a view someone else saved, or one of the policy's, is \
      changed by a supervisor (exit 1 otherwise). Without --position the view keeps its position, \
      or takes the lowest free one.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "The view's name (case aside, one name is one view).") var name: String
  @Option(
    parsing: .unconditional, help: "The filter, as the inbox's f prompt takes it: \(FilterWords.hint(.en)).")
  var filter: String
  @Option(help: "Its key in the inbox, 1 to 9.") var position: Int?
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    try requireText(name, "NAME", needs: "a name")
    if let position, !SavedView.positions.contains(position) {
      throw ValidationError("--position must be 1 to 9")
    }
    try ViewRun.checkFilter(filter)
  }

  func run() throws {
    try ViewRun.change(options, json: json) { context, actor in
      let view = try ViewRun.desk(context).save(name: name, filter: filter, position: position, actor: actor)
      return ("view_save", "saved view \(view.name) at \(view.position): \(filter)")
    }
  }
}

struct ViewsRenameCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rename", abstract: "Rename a saved view (its saver or a supervisor).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The view's name now.") var name: String
  @Argument(help: "Its new name.") var newName: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ViewRun.change(options, json: json) { context, actor in
      try ViewRun.desk(context).rename(name, to: newName, actor: actor)
      return ("view_rename", "renamed view \(name) to \(newName)")
    }
  }
}

struct ViewsDeleteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a saved view (its saver or a supervisor).",
    discussion:
      "A view of the policy's with the same name shows again; the policy's own are changed in its file.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "The view's name.") var name: String
  @Flag(help: "Print one JSON object.") var json = false

  func run() throws {
    try ViewRun.change(options, json: json) { context, actor in
      try ViewRun.desk(context).delete(name, actor: actor)
      return ("view_delete", "deleted view \(name)")
    }
  }
}
