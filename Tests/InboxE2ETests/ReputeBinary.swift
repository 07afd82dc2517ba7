import Foundation
import Testing

/// The `repute` binary as the end-to-end tests run it: a store in a fresh folder, a command run
/// to completion beside the inbox, and `repute inbox` opened as a named responder in tmux.
enum ReputeBinary {
  /// The moment every run of the binary sees (`REPUTE_NOW`) unless a test says otherwise: Tuesday
  /// 24 November 2026, 13:00 in Amsterdam. Nothing a test checks depends on the hour it runs at.
  static let pinnedNow = "2026-11-24T12:00:00Z"

  /// `pinnedNow` as a date, for the timestamps of mentions a test writes.
  static var now: Date { ISO8601DateFormatter().date(from: pinnedNow)! }

  /// The binary built beside the test runner.
  static var path: String {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return executable.deletingLastPathComponent().appendingPathComponent("repute").path
  }

  /// The path of a store (not created yet) in a new empty folder named `prefix-UUID`.
  static func newStore(_ prefix: String = "inbox-e2e") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("repute.sqlite").path
  }

  /// Runs `repute ARGUMENTS…` to completion as a second process (outside tmux, whose `TMUX` it
  /// does not inherit) and returns its exit status and its output, standard error included.
  @discardableResult
  static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (
    status: Int32, text: String
  ) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).out")
      .path
    defer { try? FileManager.default.removeItem(atPath: log) }
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    environment["REPUTE_NOW"] = pinnedNow
    for (key, value) in extra { environment[key] = value }
    let status = try TmuxSession.spawn(path, arguments, environment: environment, stdout: log)
    return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
  }

  /// A new store whose one responder, on its roster by `repute init --name`, is `name`.
  static func namedStore(_ prefix: String = "inbox-e2e", name: String = "Anna") throws -> String {
    let store = try newStore(prefix)
    let (status, text) = try run(["init", "--store", store, "--name", name])
    #expect(status == 0, "\(text)")
    return store
  }

  /// A new store seeded with the demo's mentions (`repute demo --seed-only`).
  static func seededStore(_ prefix: String = "inbox-e2e") throws -> String {
    let store = try newStore(prefix)
    let (status, text) = try run(["demo", "--seed-only", "--store", store])
    #expect(status == 0, "\(text)")
    return store
  }

  /// `repute inbox` on `store` as `name` in a new tmux session, with `options` after the usual
  /// ones and `environment` added to the pane's. The pane says `EXITED STATUS` when it ends.
  static func inbox(
    _ store: String, as name: String, options: String = "", width: Int = 120, height: Int = 30,
    environment: [String: String] = [:]
  ) throws -> TmuxSession {
    try inbox(
      store, who: "--as \(name) ", options: options, width: width, height: height, environment: environment)
  }

  /// `repute inbox` on `store` with `who` (`--as NAME `, or nothing where the store says who logs
  /// in: a server store, whose URL names the login role) in a new tmux session.
  static func inbox(
    _ store: String, who: String, options: String = "", width: Int = 120, height: Int = 30,
    environment: [String: String] = [:]
  ) throws -> TmuxSession {
    #expect(FileManager.default.isExecutableFile(atPath: path), "\(path)")
    let command =
      "\(TmuxSession.quote(path)) inbox --store \(TmuxSession.quote(store)) \(who)--ui-lang en \(options); echo EXITED $?; exec sleep 600"
    return try TmuxSession(
      command: command, width: width, height: height,
      extraEnvironment: ["REPUTE_NOW": pinnedNow].merging(environment) { $1 })
  }
}
