import ArgumentParser
import Foundation
import Inbox
import Live
import Policy
import ServerStore
import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct LogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "The audit trail: who did what, when. Append only.",
    discussion: """
      With --json, one JSON object per line: at, actor, action, mention_id, detail (an object or \
      null). Events never carry a mention's text or an author's handle.
      """)

  @OptionGroup var options: StoreOptions

  @Option(help: "Only the events of this mention (with the ingest that stored it).")
  var mention: Int64?

  @Flag(help: "Print JSON Lines.")
  var json = false

  func run() throws {
    try guarded {
      let store = try options.open(create: false, reading: true)
      let out = BufferedWriter()
      func emit(_ e: Event) {
        if json {
          var w = JSONWriter()
          w.string("at", RFC3339.format(e.at))
          w.string("actor", e.actor)
          w.string("action", e.action)
          w.int("mention_id", e.mentionID)
          w.raw("detail", e.detail.flatMap { $0.hasPrefix("{") ? $0 : nil })
          out.line(w.finish())
        } else {
          out.line(
            [
              RFC3339.format(e.at), TerminalSafe.sanitize(e.actor), e.action,
              e.mentionID.map { "#\($0)" } ?? "-",
              TerminalSafe.sanitize(e.detail ?? ""),
            ].joined(separator: "  "))
        }
      }
      if let mention {
        guard try store.mention(id: mention) != nil else {
          throw InboxError.notFound("no mention with id \(mention)")
        }
        for e in try store.events(mentionID: mention) { emit(e) }
      } else {
        var after: Int64 = 0
        while true {
          let page = try store.allEvents(after: after, limit: 5000)
          for e in page { emit(e) }
          guard let last = page.last, page.count == 5000 else { break }
          after = last.id
        }
      }
      out.flush()
    }
  }
}

struct TeamCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "team", abstract: "The webcare team of the policy's roster.",
    subcommands: [TeamBioCommand.self, TeamAddCommand.self, TeamRemoveCommand.self, TeamRoleCommand.self])
}

struct TeamBioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bio",
    abstract: "The profile line that introduces the responders to followers (S15), in Dutch and English.",
    discussion: "From the roster ([[team]]) and the service hours of the policy in force.")

  @OptionGroup var options: StoreOptions

  @Option(help: "Only this language: nl or en.")
  var lang: String?

  func validate() throws {
    if let lang, !["nl", "en"].contains(lang) { throw ValidationError("--lang must be nl or en") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false, reading: true)
      for language in lang.map({ [$0] }) ?? ["nl", "en"] {
        let bio = TeamBio.render(context.policy, lang: language)
        Output.line((lang == nil ? "\(language): " : "") + TerminalSafe.sanitize(bio))
        if lang == nil, bio.count > 160 {
          Output.error("note: the \(language) bio has \(bio.count) characters; X allows 160 in a profile")
        }
      }
    }
  }
}

/// Who may do what on a shared store: applying a policy (the roster is part of it), forget and
/// purge need the supervisor role in the policy in force before the change. On a private store
/// the one person who can open it may do everything.
///
/// This is the program's rule, not the file's: every member of the group can write the file with
/// `sqlite3` too. On a server store the server holds the same rules itself (migration 13): this
/// check only says so first, in the program's words.
enum Rights {
  /// Throws unless the person at the keyboard is a supervisor in `context`'s policy, or the store
  /// is private. `ownerMayStart`: while the policy in force names no supervisor at all (a new
  /// team store), the store's owner, who ran `init`, may act, to apply the first roster.
  static func requireSupervisor(_ context: PolicyContext, to what: String, ownerMayStart: Bool = false) throws
  {
    let store = context.store
    guard store.isShared else { return }
    let login = try store.actingLogin()
    let member = context.policy.member(login: login)
    if member?.role == .supervisor { return }
    let who =
      member.map { "you are \(login), a \($0.role.rawValue)" } ?? "you are \(login), not in its roster"
    let rule = "on a shared store only a supervisor in the policy in force may \(what)"
    if !context.policy.team.contains(where: { $0.role == .supervisor }) {
      // The store's owner: the file's, or the role that owns the server store's schema.
      let owner: String?
      if let file = store as? SQLiteStore {
        let uid = StoreFiles.owner(path: file.path)
        if ownerMayStart, uid == geteuid() { return }
        owner = uid.map(Identity.name)
      } else {
        owner = try (store as? ServerStore)?.schemaOwner()
        if ownerMayStart, owner == login { return }
      }
      throw InboxError.permissionDenied(
        "\(rule); it names no supervisor yet, so only the store's owner (\(owner ?? "?")) may "
          + "apply the first roster (\(who))")
    }
    throw InboxError.permissionDenied("\(rule) (\(who))")
  }
}

/// Erasure needs a supervisor on a shared store; anyone may erase on their own private store.
enum Erasure {
  static func authorise(_ context: PolicyContext, _ options: StoreOptions) throws -> String {
    try Rights.requireSupervisor(context, to: "erase data")
    return try context.actor(options)
  }

  /// True when the person confirms on a terminal, or when no terminal is there to ask.
  static func confirm(_ question: String, yes: Bool) -> Bool {
    if yes || isatty(0) != 1 { return true }
    FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
    guard let answer = readLine() else { return false }
    return ["y", "yes", "j", "ja"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
  }

  /// The exit status of an erasure that committed while its cleanup (compaction, WAL) failed.
  static let cleanupFailed: Int32 = 3

  /// Prints what was erased, then squeezes it out of the file (`SQLiteStore.compact`). The
  /// erasure has committed by now: a cleanup that fails (a full disk) is said as such, with how
  /// to finish it, and exit status 3, not as a failed erasure.
  static func finish(
    _ store: any ReputeStore, _ counts: ErasureCounts, what: String, command: String,
    then report: () -> Void = {}
  ) throws {
    Output.line(
      "\(what): \(counts.mentions) mentions, \(counts.authors) authors, \(counts.revisions) earlier texts, "
        + "\(counts.notes) notes, \(counts.replies) drafts and replies erased; anonymous figures kept")
    if counts.quoting > 0 { Output.line("quoting mentions redacted: \(counts.quoting)") }
    report()
    try cleanup(store, command: command, erased: true)
  }

  /// The cleanup after an erasure, also on its own (`--compact`).
  static func cleanup(_ store: any ReputeStore, command: String, erased: Bool) throws {
    let compacted: Bool
    do {
      // The seam the tests use to make the cleanup fail after the commit, as a full disk would.
      if ProcessInfo.processInfo.environment["REPUTE_FAULT"] == "erasure-cleanup" {
        throw InboxError.storeUnavailable("injected fault (REPUTE_FAULT=erasure-cleanup)")
      }
      compacted = try store.compact()
    } catch InboxError.permissionDenied(let why) where erased {
      // A server's role that may erase but not VACUUM (a supervisor who is not the tables'
      // owner): the erasure stands; the owner or autovacuum clears the dead rows later.
      Output.error("note: erased; the cleanup could not run here: \(TerminalSafe.sanitize(why))")
      return
    } catch {
      let reason =
        (error as? InboxError)?.description ?? StoreFailure.describe(error, store: store.storeName)
        ?? "\(error)"
      throw fail(
        "\(erased ? "erased; " : "")the compaction could not finish: \(reason): run `repute \(command) --compact` or free space",
        code: cleanupFailed)
    }
    if !compacted {
      Output.error(
        "note: another process kept reading; the WAL could not be emptied yet: run `repute \(command) --compact`"
      )
    }
  }

  /// The spools of the config `watch` reads (none when the default config does not exist; a
  /// config named by --config must be readable). Read before anything is erased, so a bad config
  /// stops the command first.
  static func spools(_ options: ConfigOptions) throws -> [SpoolConfig] {
    if options.config == nil && !FileManager.default.fileExists(atPath: options.path) { return [] }
    return try options.load().spools
  }

  /// Prints what was done to each spool's kept copies, one line a file.
  static func report(_ spool: SpoolConfig, _ reports: [SpoolErasure.FileReport], none: String) {
    let name = TerminalSafe.sanitize(spool.name)
    if reports.isEmpty { Output.line("spool \(name): \(none)") }
    for report in reports { Output.line("spool \(name): \(report.description)") }
  }
}

struct ForgetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget",
    abstract: "Erase an author's personal data: texts, names, handles, raw records, notes, drafts, replies.",
    discussion: """
      The mentions stay as anonymous rows for the team's figures; a tombstone keeps a later ingest \
      of the same posts from bringing them back. Other people's mentions, notes and replies keep \
      their text with the handle as @[forgotten] and the name as [forgotten]; quotes of the \
      author's posts leave their raw records. The spools of the config (--config) lose the \
      author's records in processed/ and failed/. The log records the erasure as action forget, \
      without the handle. Works while others have the store open. Asks for confirmation on a terminal.
      """)

  @OptionGroup var options: StoreOptions

  @Option(help: "The author's handle (with or without @).")
  var author: String?

  @Flag(help: "Only finish the cleanup of an earlier erasure (search index, free pages, WAL).")
  var compact = false

  @Option(help: "Only on this platform (default: every platform).")
  var platform: String?

  @OptionGroup var configOptions: ConfigOptions

  @Flag(help: "Don't ask for confirmation.")
  var yes = false

  func validate() throws {
    if (author == nil) == !compact { throw ValidationError("give --author, or --compact alone") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false)
      _ = try Erasure.authorise(context, options)
      let store = context.store
      guard let author else {
        try Erasure.cleanup(store, command: "forget", erased: false)
        return Output.line("compacted \(TerminalSafe.sanitize(store.storeName))")
      }
      let actor = try context.actor(options)
      let who = "@" + TerminalSafe.sanitize(author.hasPrefix("@") ? String(author.dropFirst()) : author)
      // A name that matches nobody is a mistake to report, not an erasure to log and compact for;
      // unless they were forgotten here already (their tombstone says so, not their handle).
      guard try store.authorCount(handle: author, platform: platform) > 0 else {
        if try store.wasForgotten(author: author, platform: platform) {
          return Output.line("\(who) was already forgotten: nothing left to erase")
        }
        throw fail(
          "no author \(who)\(platform.map { " on \(TerminalSafe.sanitize($0))" } ?? "") in the store \(store.storeName): nothing erased",
          code: 1)
      }
      let n = try store.mentionCount(author: author, platform: platform)
      let spools = try Erasure.spools(configOptions)
      // What names them in the spools' copies is read from the store's rows (`Redactor`).
      let redactor = try store.redactor(author: author, platform: platform)
      guard
        Erasure.confirm(
          "Erase \(n) mentions by \(who) and everything about them? This cannot be undone.", yes: yes)
      else { throw InboxError.invalidArgument("nothing erased") }
      // The spool's kept copies of dropped files hold their posts too. They go first: a crash
      // before the store is done leaves the author there, so forget can be run again.
      for spool in spools {
        Erasure.report(
          spool, try SpoolErasure(spool: spool).forget(redactor, platform: platform),
          none: "nothing of theirs in processed/ or failed/")
      }
      let counts: ErasureCounts
      do {
        counts = try store.forget(author: author, platform: platform, actor: actor)
      } catch {
        // Done in short transactions: what committed stays erased, and the author stays until the
        // last one, so a second run finishes the work.
        let reason = StoreFailure.describe(error, store: store.storeName) ?? "\(error)"
        throw fail("the erasure stopped part-way: \(reason); run the same forget again to finish it")
      }
      // Another process forgot them meanwhile: nothing of ours to compact.
      if counts.authors == 0 {
        return Output.line("\(who) was already forgotten: nothing left to erase")
      }
      try Erasure.finish(store, counts, what: "forgot \(who)", command: "forget")
    }
  }
}

struct PurgeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "purge",
    abstract:
      "Retention: erase the personal data of every mention older than DAYS days, as forget does.",
    discussion:
      "The spools of the config (--config) lose their processed/ and failed/ copies older than that.")

  @OptionGroup var options: StoreOptions

  @Option(name: .customLong("older-than"), help: "Mentions written more than this many days ago.")
  var olderThan: Int?

  @Flag(help: "Only finish the cleanup of an earlier erasure (search index, free pages, WAL).")
  var compact = false

  @OptionGroup var configOptions: ConfigOptions

  @Flag(help: "Don't ask for confirmation.")
  var yes = false

  func validate() throws {
    if (olderThan == nil) == !compact { throw ValidationError("give --older-than, or --compact alone") }
    if let olderThan, olderThan < 1 { throw ValidationError("--older-than must be at least 1 day") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false)
      let actor = try Erasure.authorise(context, options)
      let store = context.store
      guard let olderThan else {
        try Erasure.cleanup(store, command: "purge", erased: false)
        return Output.line("compacted \(TerminalSafe.sanitize(store.storeName))")
      }
      let cutoff = try ReputeClock.fromEnvironment().now().addingTimeInterval(-Double(olderThan) * 86_400)
      let n = try store.mentionCount(before: cutoff)
      let spools = try Erasure.spools(configOptions)
      guard
        Erasure.confirm("Erase the personal data of \(n) mentions older than \(olderThan) days?", yes: yes)
      else { throw InboxError.invalidArgument("nothing erased") }
      let counts: ErasureCounts
      do {
        counts = try store.purge(before: cutoff, actor: actor)
      } catch {
        let reason = StoreFailure.describe(error, store: store.storeName) ?? "\(error)"
        throw fail("the erasure stopped part-way: \(reason); run the same purge again to finish it")
      }
      // The spool's kept copies last changed before the cutoff go whole; before the cleanup,
      // which may fail on a full disk while these deletes would still free space.
      let what = "purged before \(RFC3339.format(cutoff))"
      var reports: [(SpoolConfig, [SpoolErasure.FileReport])] = []
      for spool in spools { reports.append((spool, try SpoolErasure(spool: spool).purge(before: cutoff))) }
      try Erasure.finish(store, counts, what: what, command: "purge") {
        for (spool, files) in reports {
          Erasure.report(spool, files, none: "no copy in processed/ or failed/ older than the cutoff")
        }
      }
    }
  }
}
