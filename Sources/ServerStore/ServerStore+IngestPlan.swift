import Foundation
import Inbox

/// One ingest batch worked out in memory before it is written, so the server gets a few statements
/// of many rows rather than a few statements per mention: it walks the batch in order as
/// `SQLiteStore.write` does (a deletion notice before the post it marks finds nothing, a second
/// copy of a post in the same batch is a duplicate and may be an edit, …) against what the store
/// held before the batch, and keeps what to write and the counts.
struct IngestPlan {
  /// A mention's key in the store.
  struct Key: Hashable {
    var platform: String
    var externalID: String
  }

  /// A mention stored before the batch, as the plan needs it.
  struct Stored {
    var id: Int64
    var text: String
    var deleted: Bool
  }

  /// A mention the batch stores new: its row as it will be inserted (edits and a deletion later in
  /// the batch already applied), with its place in the batch.
  struct NewRow {
    var index: Int
    var mention: IncomingMention
    var authorID: Int64
    var text: String
    var raw: String
    var editCount = 0
    var deleted: String?
    var deletedAt: Int64?
    /// Inserted with the escalated flag set (`guessEscalated`).
    var escalated = false
  }

  /// A row the plan writes about: one stored before, or the n-th new row (its id known once inserted).
  enum Ref: Hashable {
    case stored(Int64)
    case new(Int)
  }

  /// An event of the batch in the batch's order (`edited`, `deleted`), before the ingest event.
  struct PlannedEvent {
    var action: String
    var ref: Ref
  }

  /// An edit of a mention stored before: its final text and raw record, and how many edits.
  struct Edit {
    var text: String
    var raw: String
    var count: Int
  }

  var counts = IngestCounts()
  var newRows: [NewRow] = []
  var revisions: [(ref: Ref, text: String)] = []
  var events: [PlannedEvent] = []
  var edits: [Int64: Edit] = [:]
  var editOrder: [Int64] = []
  /// Stored mentions newly marked deleted, with why, in the batch's order.
  var deletions: [(id: Int64, reason: String)] = []

  private enum State {
    case stored(Stored)
    case new(Int)
  }
  private var state: [Key: State] = [:]

  /// Works out `batch` against the store's `stored` mentions (by key) and the `forgotten` keys; the
  /// new rows' authors are given their ids afterwards (`assignAuthors`), so the plan can be worked
  /// out while the server stores the authors.
  init(_ batch: [IncomingMention], stored: [Key: Stored], forgotten: Set<Key>, now: Int64) {
    for (key, row) in stored { state[key] = .stored(row) }
    for (index, mention) in batch.enumerated() {
      let key = Key(platform: mention.platform, externalID: mention.externalID)
      if mention.isTombstone {
        if markDeleted(key, reason: mention.deletion, now: now) {
          counts.deleted += 1
        } else if state[key] == nil {
          counts.unknownDeletions += 1
        }
        continue
      }
      if forgotten.contains(key) {
        counts.forgotten += 1
        continue
      }
      guard let current = state[key] else {
        state[key] = .new(newRows.count)
        newRows.append(
          NewRow(index: index, mention: mention, authorID: 0, text: mention.text, raw: mention.raw))
        counts.new += 1
        if mention.deletion != nil, markDeleted(key, reason: mention.deletion, now: now) {
          counts.deleted += 1
        }
        continue
      }
      counts.duplicate += 1
      if edit(current, key: key, mention) { counts.edited += 1 }
      if mention.deletion != nil, markDeleted(key, reason: mention.deletion, now: now) { counts.deleted += 1 }
    }
  }

  /// Gives each new row its author's id (`ids` by the author's key).
  mutating func assignAuthors(_ ids: [AuthorKey: Int64]) {
    for n in newRows.indices {
      let key = AuthorKey(platform: newRows[n].mention.platform, handle: newRows[n].mention.author.handle)
      newRows[n].authorID = ids[key] ?? 0
    }
  }

  /// The same key with another text: the earlier text is kept as a revision.
  private mutating func edit(_ current: State, key: Key, _ mention: IncomingMention) -> Bool {
    switch current {
    case .stored(var row):
      guard row.text != mention.text else { return false }
      revisions.append((.stored(row.id), row.text))
      if edits[row.id] == nil { editOrder.append(row.id) }
      edits[row.id, default: Edit(text: "", raw: "", count: 0)].count += 1
      edits[row.id]!.text = mention.text
      edits[row.id]!.raw = mention.raw
      row.text = mention.text
      state[key] = .stored(row)
      events.append(PlannedEvent(action: "edited", ref: .stored(row.id)))
    case .new(let n):
      guard newRows[n].text != mention.text else { return false }
      revisions.append((.new(n), newRows[n].text))
      newRows[n].text = mention.text
      newRows[n].raw = mention.raw
      newRows[n].editCount += 1
      events.append(PlannedEvent(action: "edited", ref: .new(n)))
    }
    return true
  }

  /// Marks a mention deleted by its platform, once; true when it was marked now.
  private mutating func markDeleted(_ key: Key, reason: String?, now: Int64) -> Bool {
    guard let reason, let current = state[key] else { return false }
    switch current {
    case .stored(var row):
      guard !row.deleted else { return false }
      row.deleted = true
      state[key] = .stored(row)
      deletions.append((row.id, reason))
      events.append(PlannedEvent(action: "deleted", ref: .stored(row.id)))
    case .new(let n):
      guard newRows[n].deleted == nil else { return false }
      newRows[n].deleted = reason
      newRows[n].deletedAt = now
      events.append(PlannedEvent(action: "deleted", ref: .new(n)))
    }
    return true
  }
}

/// An author's key in the store.
struct AuthorKey: Hashable {
  var platform: String
  var handle: String
}
