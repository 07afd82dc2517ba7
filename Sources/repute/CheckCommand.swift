import ArgumentParser
import Foundation
import Inbox
import Store

/// The full damage check, at once: every page read (`PRAGMA quick_check`).
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Read every page of the store and say whether it is whole.",
    discussion: """
      Exits 0 when the store is whole, 2 when it is damaged (restore it from a backup). Every \
      command checks the store's header when it opens it; ingest reads every page before it \
      writes when the last check that found the store whole is older than ten minutes. Run this \
      after a crash, a full disk or a copy, or from cron. With --json, one object: store, whole, \
      pages. On a PostgreSQL store (--store postgres://...): whether the server is reachable, who it \
      says you are, and the store's schema version (exit 2 when there is no store there yet).
      """)

  @OptionGroup var options: StoreOptions

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    if case .server(let address) = try options.address() {
      return try ServerCommands.check(address, json: json)
    }
    let (path, pages) = try guarded {
      let store = try options.open(create: false, reading: true)
      return (store.storeName, try store.verify())
    }
    if json {
      var w = JSONWriter()
      w.string("store", path)
      w.bool("whole", true)
      w.int("pages", pages)
      Output.line(w.finish())
    } else {
      Output.line("the store \(path) is whole: \(pages) pages read")
    }
  }
}
