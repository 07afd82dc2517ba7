import Foundation
import Inbox
import ServerStore
import TestServerSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The next copy of each template, made in the background while a test runs: copying a template
/// database takes a third of a second on the test server, renaming a ready copy a few
/// milliseconds. A server case takes the spare (renamed to its own database) and a new spare is
/// started for the next case. A run's last spares and its templates are left behind; the next run
/// drops those of runs no longer alive (`dropStale`), with the templates' group roles, and CI
/// throws its cluster away.
enum E2ESpares {
  /// A copy being made, or made: its name and how it went.
  final class Spare: @unchecked Sendable {
    let name: String
    let done = DispatchSemaphore(value: 0)
    var made = false
    init(name: String) { self.name = name }
  }

  private static let spares = Locked([String: Spare]())
  private static let counter = Locked(0)
  static let prefix = "e2e_spare_"

  /// Gives `database` the contents of `template`: the spare's rename when one is ready (waiting
  /// for one being made), else a copy; then starts the next spare.
  static func copy(_ template: String, into database: String, url: String) throws {
    let spare = spares.withLock { $0.removeValue(forKey: template) }
    var renamed = false
    if let spare {
      spare.done.wait()
      if spare.made {
        renamed =
          (try? TestPostgres.superuser(url) {
            try await $0.execute("ALTER DATABASE \(spare.name) RENAME TO \(database)")
          }) != nil
      }
      if !renamed { drop(spare.name, url: url) }
    }
    if !renamed {
      try TestPostgres.superuser(url) {
        try await $0.execute("CREATE DATABASE \(database) TEMPLATE \(template)")
      }
    }
    start(template, url: url)
  }

  /// Starts making the next spare of `template` in the background.
  private static func start(_ template: String, url: String) {
    let n = counter.withLock { count in
      count += 1
      return count
    }
    let spare = Spare(name: "\(prefix)\(getpid())_\(n)")
    spares.withLock { $0[template] = spare }
    // A thread of its own: the copy blocks for a third of a second, which Dispatch's shared pool
    // (a thread per core) should not spend.
    Thread.detachNewThread {
      spare.made =
        (try? TestPostgres.superuser(url) {
          try await $0.execute("CREATE DATABASE \(spare.name) TEMPLATE \(template)")
        }) != nil
      spare.done.signal()
    }
  }

  private static func drop(_ name: String, url: String) {
    try? TestPostgres.superuser(url) { try await $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
  }

  /// Drops the databases earlier runs left behind, whose process has ended: their last spares and
  /// their templates (`e2e_spare_PID_N`, `e2e_PID_N`; a case's own is dropped when it ends).
  static func dropStale(url: String) {
    let names = Locked([String]())
    try? TestPostgres.superuser(url) { session in
      let found = try await session.values(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'e2e\\_%'", as: String.self)
      names.withLock { $0 = found }
    }
    for name in names.current {
      var rest = name.dropFirst("e2e_".count)
      if rest.hasPrefix("spare_") { rest = rest.dropFirst("spare_".count) }
      let pid = rest.split(separator: "_").first.flatMap { pid_t($0) }
      guard let pid, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
      drop(name, url: url)
    }
    dropStaleGroups(url: url)
  }

  /// Drops the group roles (migration 13's, named for a database and its schema) of the suites'
  /// databases that are gone: a template's outlive it, as do those of a case whose run ended
  /// before its `drop`. One a copy still uses (a spare not yet renamed) stays, refused, for the
  /// next run.
  private static func dropStaleGroups(url: String) {
    let groups = Locked([String]())
    try? TestPostgres.superuser(url) { session in
      let found = try await session.values(
        """
        SELECT rolname::text FROM pg_roles r
        WHERE rolname ~ '^e2e_[0-9]+_[0-9]+_repute_(responder|supervisor)$' AND NOT rolcanlogin
          AND NOT EXISTS (SELECT 1 FROM pg_database d
            WHERE d.datname = regexp_replace(r.rolname, '_repute_(responder|supervisor)$', ''))
        """, as: String.self)
      groups.withLock { $0 = found }
    }
    for group in groups.current {
      try? TestPostgres.superuser(url) { try await $0.execute("DROP ROLE IF EXISTS \(group)") }
    }
  }
}
