/// The store's tables as both stores keep them (SQLite's v28 schema, PostgreSQL's migration 1),
/// for copying a store whole (`repute migrate`): each table's columns with the kind of value they
/// hold, its key, and the order a copy takes them in.
///
/// Only what is data is listed. What each store derives from it by its own means is not: on
/// SQLite the search index (`mention_search`), the change feed (`changes`) and the running
/// totals (`queue_totals`, `figure_hours`), rebuilt on the copy (`finishTableCopy`); on
/// PostgreSQL whatever its later migrations derive (search, notifications) keeps itself.
public struct StoreTable: Sendable, Hashable, CustomStringConvertible {
  /// What a column holds, so both stores' values compare alike: a boolean is 0 or 1 (SQLite's
  /// INTEGER, PostgreSQL's boolean), a time is an integer (epoch milliseconds on both).
  public enum Kind: Sendable, Hashable { case integer, boolean, real, text }

  public let name: String
  public let columns: [String]
  public let kinds: [Kind]
  /// The key's columns, in the order the copy walks it (the primary key).
  public let key: [String]
  /// Where the key's columns are among `columns`.
  public let keyIndices: [Int]
  /// True when the key is an identity column on PostgreSQL (a sequence to set past the copy).
  public let identity: Bool

  public var description: String { name }

  /// Only `StoreTables` makes tables: a table name or column in SQL comes from this list alone.
  init(_ name: String, _ spec: String, key: [String] = ["id"], identity: Bool = false) {
    self.name = name
    var columns: [String] = []
    var kinds: [Kind] = []
    for word in spec.split(separator: " ") {
      let parts = word.split(separator: ":")
      columns.append(String(parts[0]))
      switch parts.count > 1 ? parts[1] : "" {
      case "i": kinds.append(.integer)
      case "b": kinds.append(.boolean)
      case "r": kinds.append(.real)
      default: kinds.append(.text)
      }
    }
    self.columns = columns
    self.kinds = kinds
    self.key = key
    self.keyIndices = key.map { name in columns.firstIndex(of: name)! }
    self.identity = identity
  }

  /// The key of `row` (a row of this table's columns).
  public func key(of row: [TableValue]) -> [TableValue] { keyIndices.map { row[$0] } }

  /// The key columns' kinds.
  public var keyKinds: [Kind] { keyIndices.map { kinds[$0] } }
}

/// One value of a table's row, as both stores hand it over.
public enum TableValue: Sendable, Hashable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
}

public enum StoreTables {
  /// `store_meta` keys a store keeps for its own means, never copied nor compared: SQLite's mark
  /// of how far its search index got (the copy's index is its own, rebuilt from that mark).
  public static let ownMetaKeys: Set<String> = ["search_indexed_upto"]

  /// The store's settings (`tombstone_salt`, marks of the rules): copied as a whole, not by key.
  public static let meta = StoreTable("store_meta", "key value", key: ["key"])

  /// Every table a copy takes, in the order it takes them: a table after those it refers to. The
  /// events go before the mentions, so that inserting a `replied_elsewhere` event finds no mention
  /// to set a first response on (the trigger that does so in both stores): each mention arrives
  /// as the source has it.
  public static let all: [StoreTable] = [
    meta,
    StoreTable("policies", "version:i source applied_at:i applied_by", key: ["version"]),
    StoreTable("authors", "id:i platform handle name followers:i", identity: true),
    StoreTable("events", "id:i at:i actor action mention_id:i detail", identity: true),
    StoreTable(
      "mentions",
      "id:i platform external_id url author_id:i created_at:i ingested_at:i text lang in_reply_to thread "
        + "staff:b raw edit_count:i category category_source confidence:r signals muted:b status "
        + "earliest_reply_at:i first_response_due_at:i follow_up_due_at:i due_at:i snoozed_until:i "
        + "detected_lang category_by claimed_by claimed_at:i snoozed_from no_reply_reason "
        + "first_response_at:i first_response_by holding_since:i context_only:b deleted deleted_at:i "
        + "follow_up_at:i follow_up_answered_due_at:i assigned_to repeat_of:i repeats:i escalated:b",
      identity: true),
    StoreTable("mention_revisions", "id:i mention_id:i text replaced_at:i", identity: true),
    StoreTable("notes", "id:i mention_id:i at:i author text", identity: true),
    StoreTable("watched_authors", "author_id:i since:i watched_by", key: ["author_id"]),
    StoreTable(
      "escalations",
      "id:i mention_id:i reason state owner created_at:i created_by updated_at:i severity:i detail "
        + "rule_key resolved_at:i repeats:i", identity: true),
    StoreTable("escalation_notes", "id:i escalation_id:i at:i author text", identity: true),
    StoreTable(
      "drafts", "mention_id:i author kind text started_at:i updated_at:i", key: ["mention_id", "author"]),
    StoreTable(
      "sources",
      "name kind cursor etag last_modified last_poll_at:i last_success_at:i last_error failures:i "
        + "next_poll_at:i last_new:i lease_by lease_until:i", key: ["name"]),
    StoreTable("thread_fetches", "mention_id:i fetched_at:i posts:i", key: ["mention_id"]),
    StoreTable("tombstones", "key at:i", key: ["key"]),
    StoreTable(
      "outbox",
      "id:i mention_id:i responder kind text status created_at:i updated_at:i idempotency_key attempts:i "
        + "next_attempt_at:i platform_post_id platform_url error reviewed_by review_note unverified_at:i "
        + "undo_state withdraw_reason", identity: true),
    StoreTable(
      "notices", "id:i recipient kind mention_id:i outbox_id:i actor note created_at:i read_at:i",
      identity: true),
    StoreTable("views", "key name filter position:i created_by updated_at:i", key: ["key"]),
    StoreTable("person_links", "author_id:i person_id:i", key: ["author_id"]),
    StoreTable("person_notes", "person_id:i text updated_by updated_at:i", key: ["person_id"]),
    StoreTable(
      "snippets",
      "id:i lang title body status created_by created_at:i updated_at:i approved_by approved_at:i "
        + "reviewed_by review_note", identity: true),
  ]
}

/// A store whose tables can be read and written as they are, row by row: what `repute migrate`
/// copies between, whichever store is on either side. Rows go in key order; a write is one
/// transaction; nothing here goes through the domain's rules (a copy keeps what the source has).
public protocol StoreTableAccess: AnyObject {
  /// Where the store is, for reports (a path, or a server URL without its password).
  var tableAddress: String { get }
  /// Up to `limit` rows after the key `after` (nil: from the start), in key order. `store_meta`
  /// leaves out `StoreTables.ownMetaKeys`.
  func tableRows(_ table: StoreTable, after: [TableValue]?, limit: Int) throws -> [[TableValue]]
  /// Inserts `rows` (one batch, in key order) in one transaction; a row whose key is there
  /// already is left as it is. Returns how many were inserted.
  func insertRows(_ table: StoreTable, _ rows: [[TableValue]]) throws -> Int
  /// Makes `store_meta` hold exactly `rows` (besides `StoreTables.ownMetaKeys`), in one
  /// transaction; returns how many rows it added or changed.
  func replaceMeta(_ rows: [[TableValue]]) throws -> Int
  /// Whether the table has any row (`store_meta`: besides the store's own keys).
  func hasRows(_ table: StoreTable) throws -> Bool
  /// After a table's rows went in: what the store keeps alongside (PostgreSQL's sequences).
  func finishTable(_ table: StoreTable) throws
  /// After every table: what the store derives from its rows, rebuilt (SQLite's totals).
  func finishTableCopy() throws
}
