import Foundation
import GRDB
import Inbox
import Policy

/// Repeated posts folded (issue 16): the same author posting the same text again within the
/// policy's `[queue] repeat_window` of their first post, while that one waits for an answer, is
/// folded into it at ingest: the repeat points at the first (`repeat_of`), leaves the queue (muted,
/// as the organisation's own posts do), and the first counts it (`repeats`). What the team does on
/// the first (a reply, a no-reply decision, a snooze) holds for its open repeats in the same
/// transaction, each with an event of its own naming the first, so one customer gets one answer
/// (S13: respond personally, not three times the same) and the figures count one contact.
/// The statements ingest folds repeats with, prepared once per batch (through SQLite's C API, as
/// the insert is: this runs for every new mention).
final class RepeatFolder {
  /// The policy's window, in milliseconds.
  let window: Int64
  /// The author's latest posts in the window (at most `repeatScan`), from `mentions_by_author`,
  /// that are still open firsts and hold the two probes. An author who posts a lot (a newsroom,
  /// a bot) costs a bounded look per post, not one per post they wrote in the window; SQLite
  /// keeps only posts holding the key's longest words (ASCII ones, which its `lower` folds as
  /// Swift does), so the key itself is computed for a few at most.
  let find: RawStatement
  let mark: RawStatement
  let count: RawStatement

  /// Nil when the window is 0 (folding is off): ingest then looks nothing up.
  init?(_ db: Database, window: Int64) throws {
    guard window > 0 else { return nil }
    self.window = window
    find = try RawStatement(
      db,
      """
      SELECT id, text FROM (
        SELECT id, text, created_at, repeat_of, muted, status FROM mentions
        WHERE author_id = ? AND created_at >= ? AND created_at <= ? AND id != ?
        ORDER BY created_at DESC LIMIT \(SQLiteStore.repeatScan))
      WHERE repeat_of IS NULL AND muted = 0 AND status NOT IN ('replied', 'no_reply')
        AND instr(lower(text), ?) > 0 AND instr(lower(text), ?) > 0
      ORDER BY created_at, id
      """)
    mark = try RawStatement(db, "UPDATE mentions SET repeat_of = ?, muted = 1 WHERE id = ?")
    count = try RawStatement(db, "UPDATE mentions SET repeats = repeats + 1 WHERE id = ?")
  }
}

extension SQLiteStore {
  /// The text a repeat is recognised by (`RepeatKey`): lower case, links left out, runs of spaces
  /// as one.
  static func repeatKey(_ text: String) -> String {
    RepeatKey.key(text)
  }

  /// The policy in force's repeat window in milliseconds (0: no folding), read once per policy
  /// version: ingest needs it per batch, and the policy in force lives in the store. A store
  /// nobody set up (no policy; tests that store raw rows) folds nothing.
  func repeatWindow(_ db: Database) throws -> Int64 {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT version, source FROM policies ORDER BY version DESC LIMIT 1")
    else { return 0 }
    let version: Int64 = row[0]
    if let cached = repeatWindowCache, cached.version == version { return cached.window }
    let policy = (try? PolicyFile.parse(text: row[1], path: "policy", stored: true)) ?? .default
    let window = Self.milliseconds(policy.repeatWindow)
    repeatWindowCache = (version, window)
    return window
  }

  static func milliseconds(_ d: Duration) -> Int64 {
    d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
  }

  /// Folds a mention just stored into an earlier open post of its author with the same text
  /// within the window; returns that post's id, or nil when it is no repeat.
  /// `known` is the key computed beforehand (with the mention's annotation, off the writer).
  static func foldRepeat(
    _ folder: RepeatFolder?, id: Int64, authorID: Int64, createdAt: Int64, text: String,
    known: RepeatKey? = nil, beforeMark: () throws -> Void = {}
  ) throws -> Int64? {
    guard let folder else { return nil }
    let prepared = known ?? RepeatKey(text)
    let key = prepared.text
    guard !key.isEmpty else { return nil }
    let probes = prepared.probes
    let find = folder.find
    defer { find.reset() }
    find.bind(1, authorID)
    find.bind(2, createdAt - folder.window)
    find.bind(3, createdAt + folder.window)
    find.bind(4, id)
    // Two probes always: an empty one holds for every text.
    find.bind(5, probes.first ?? "")
    find.bind(6, probes.dropFirst().first ?? "")
    var head: Int64?
    while try find.step() {
      if let text = find.text(1), repeatKey(text) == key {
        head = find.int64(0)
        break
      }
    }
    guard let head else { return nil }
    find.reset()
    try beforeMark()
    folder.mark.bind(1, head)
    folder.mark.bind(2, id)
    try folder.mark.step()
    folder.mark.reset()
    folder.count.bind(1, head)
    try folder.count.step()
    folder.count.reset()
    return head
  }

  /// How many of an author's latest posts in the window a new post is compared with: a repeat
  /// comes within a few posts of the first.
  static let repeatScan = 16

  /// The key's two longest words made only of ASCII letters and digits (`RepeatKey.probes`).
  static func repeatProbes(_ key: String) -> [String] {
    RepeatKey.probes(key)
  }

  /// The open repeats of `head` take its status (replied, holding, no reply, snoozed) after an
  /// action on it, each with an `action` event whose detail names the first post.
  static func followHead(_ db: Database, head: Int64, action: String, actor: String, now: Int64) throws {
    let repeats = try Int64.fetchAll(
      db,
      sql:
        "SELECT id FROM mentions WHERE repeat_of = ? AND status NOT IN ('replied', 'no_reply') ORDER BY id",
      arguments: [head])
    guard !repeats.isEmpty,
      let h = try Row.fetchOne(
        db, sql: "SELECT status, no_reply_reason, snoozed_until, snoozed_from FROM mentions WHERE id = ?",
        arguments: [head])
    else { return }
    for id in repeats {
      try db.execute(
        sql: """
          UPDATE mentions SET status = ?, no_reply_reason = ?, snoozed_until = ?, snoozed_from = ?, due_at = NULL
          WHERE id = ?
          """, arguments: [h[0] as String, h[1] as String?, h[2] as Int64?, h[3] as String?, id])
      try appendEvent(db, at: now, actor: actor, action: action, mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }

  /// A reply taken back from the outbox (undo, withdraw): the repeats it answered take the first
  /// post's restored status again, each with a `reply_withdrawn` event naming it.
  static func reopenRepeats(_ db: Database, head: Int64, actor: String, now: Int64) throws {
    let answered = try Int64.fetchAll(
      db, sql: "SELECT id FROM mentions WHERE repeat_of = ? AND status IN ('replied', 'holding') ORDER BY id",
      arguments: [head])
    guard !answered.isEmpty,
      let status = try String.fetchOne(db, sql: "SELECT status FROM mentions WHERE id = ?", arguments: [head])
    else { return }
    for id in answered {
      try db.execute(sql: "UPDATE mentions SET status = ? WHERE id = ?", arguments: [status, id])
      try appendEvent(
        db, at: now, actor: actor, action: "reply_withdrawn", mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }

  /// A first post reopened (`o`, `repute reopen`): its closed repeats open with it, each with a
  /// `reopen` event naming it. They stay off the clock (`due_at` is the first's), as folded.
  static func reopenWithHead(_ db: Database, head: Int64, actor: String, now: Int64) throws {
    let closed = try Int64.fetchAll(
      db,
      sql: "SELECT id FROM mentions WHERE repeat_of = ? AND status IN ('replied', 'no_reply') ORDER BY id",
      arguments: [head])
    for id in closed {
      try db.execute(
        sql:
          "UPDATE mentions SET status = 'open', no_reply_reason = NULL, follow_up_due_at = NULL WHERE id = ?",
        arguments: [id])
      try appendEvent(
        db, at: now, actor: actor, action: "reopen", mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }

  /// The ids of the mentions folded into `head`, oldest first.
  public func repeats(of head: Int64) throws -> [Int64] {
    try pool.read { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM mentions WHERE repeat_of = ? ORDER BY id", arguments: [head])
    }
  }
}
