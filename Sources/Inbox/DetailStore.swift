import Foundation

/// Everything the detail pane reads from the store about one mention: its entry, its author with
/// what they wrote before, its thread, the team's notes and escalations, its trail, drafts and
/// replies, and the note on the person behind it.
public struct DetailRecord: Sendable, Hashable {
  public var entry: QueueEntry
  public var author: AuthorRecord
  /// The other posts of its thread, oldest first (`QueueStore.thread(of:limit:)`).
  public var thread: [QueueEntry]
  public var notes: [NoteRecord]
  public var escalations: [EscalationRecord]
  /// Its trail (`MentionStore.events(mentionID:)`).
  public var events: [Event]
  /// Its drafts, newest first.
  public var drafts: [DraftRecord]
  /// Its replies, oldest first.
  public var outbox: [OutboxRecord]
  /// The note on the person behind the author; nil without one (or on a store without persons).
  public var personNote: PersonNote?

  public init(
    entry: QueueEntry, author: AuthorRecord, thread: [QueueEntry], notes: [NoteRecord],
    escalations: [EscalationRecord], events: [Event], drafts: [DraftRecord], outbox: [OutboxRecord],
    personNote: PersonNote?
  ) {
    self.entry = entry
    self.author = author
    self.thread = thread
    self.notes = notes
    self.escalations = escalations
    self.events = events
    self.drafts = drafts
    self.outbox = outbox
    self.personNote = personNote
  }

  /// The record read part by part, each with the store's own call: what any store answers, and
  /// what a `DetailStore`'s one read must equal.
  public static func parts(
    of id: Int64, in store: any QueueStore & OutboxStore & EscalationStore, threadLimit: Int = 50,
    earlierLimit: Int = 5
  ) throws -> DetailRecord? {
    guard let entry = try store.entry(id: id) else { return nil }
    let m = entry.mention
    var personNote: PersonNote?
    if let people = store as? any PersonStore, let identity = try people.identity(mentionID: id) {
      personNote = try people.personNote(of: identity.authorID)
    }
    return DetailRecord(
      entry: entry, author: try store.author(of: m, earlier: earlierLimit),
      thread: try store.thread(of: m, limit: threadLimit), notes: try store.notes(mentionID: id),
      escalations: try store.escalations(mentionID: id), events: try store.events(mentionID: id),
      drafts: try store.drafts(mentionID: id), outbox: try store.outbox(mentionID: id),
      personNote: personNote)
  }

  /// The record from the store's one read when it has one (`DetailStore`), else part by part.
  public static func read(
    _ id: Int64, from store: any QueueStore & OutboxStore & EscalationStore, threadLimit: Int = 50,
    earlierLimit: Int = 5
  ) throws -> DetailRecord? {
    if let whole = store as? any DetailStore {
      return try whole.detailRecord(id: id, threadLimit: threadLimit, earlierLimit: earlierLimit)
    }
    return try parts(of: id, in: store, threadLimit: threadLimit, earlierLimit: earlierLimit)
  }
}

/// A store that reads a mention's whole detail at once (the server: one statement, so one round
/// trip and one snapshot, where the parts one by one are some twenty round trips on a key).
/// What it returns equals `DetailRecord.parts` on the same store.
public protocol DetailStore {
  /// The detail of mention `id`; nil when there is no such mention.
  func detailRecord(id: Int64, threadLimit: Int, earlierLimit: Int) throws -> DetailRecord?
}
