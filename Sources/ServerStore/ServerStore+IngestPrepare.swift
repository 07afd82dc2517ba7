import Inbox
import PostgresNIO

/// A batch of ingest made ready for the server before its turn (issue 18): what writing it needs
/// that does not depend on what the store holds, worked out while the batch before it is still
/// being written. `repute ingest` prepares on its reading thread, beside parsing and classifying;
/// the thread that talks to the server is then left with what the server's answers decide, and the
/// server waits less between one statement and the next.
///
/// What is ready: the keys to look up, bound; the posts' tombstone keys (with the salt the last
/// batch found: a batch that finds another one works them out again); the authors in the batch's
/// order with their latest names and counts; and each post's row of `COPY` text but for its id,
/// author and the time of the batch (`CopyRows`).
public struct ServerIngestBatch: Sendable {
  let mentions: [IncomingMention]
  let annotations: [MentionAnnotation]?
  /// The batch's keys (the posts' and the deletion notices'), once each, bound as two arrays.
  let keys: PostgresBindings
  /// The salt `tombstones` were worked out with (nil: none yet).
  let salt: String?
  let tombstones: [String: IngestPlan.Key]
  /// The authors of every post of the batch.
  let authors: WantedAuthors
  /// Each post's row for `COPY`, by its place in the batch (nil: the batch is too small to copy).
  let rows: CopyRows?

  /// The batch as it is, nothing worked out beforehand but what the store needs anyway.
  init(_ mentions: [IncomingMention], annotations: [MentionAnnotation]?, salt: String?) {
    precondition(annotations == nil || annotations!.count == mentions.count, "one annotation per mention")
    self.mentions = mentions
    self.annotations = annotations
    var keys = Set<IngestPlan.Key>()
    keys.reserveCapacity(mentions.count)
    for mention in mentions {
      keys.insert(IngestPlan.Key(platform: mention.platform, externalID: mention.externalID))
    }
    var binds = PostgresBindings()
    binds.append(keys.map(\.platform))
    binds.append(keys.map(\.externalID))
    self.keys = binds
    let posts = mentions.filter { !$0.isTombstone }
    self.salt = salt
    tombstones = salt.map { ServerStore.tombstoneKeys(posts, salt: $0) } ?? [:]
    authors = WantedAuthors(posts)
    rows =
      mentions.count >= ServerStore.copyThreshold
      ? CopyRows(mentions, annotations: annotations) : nil
  }
}

extension ServerStore {
  /// Makes a batch ready for `ingest(prepared:actor:rules:)`; may run on any thread, beside the
  /// writing of the batch before.
  public func prepareIngest(_ batch: [IncomingMention], annotations: [MentionAnnotation]?)
    -> ServerIngestBatch
  {
    // No NUL in the server's text (`withoutNUL`), before the batch is compared with what is stored.
    ServerIngestBatch(batch.map(\.withoutNUL), annotations: annotations, salt: ingestSalt.current)
  }

  /// The posts' tombstone keys under `salt`, each with the post's key.
  static func tombstoneKeys(_ posts: [IncomingMention], salt: String) -> [String: IngestPlan.Key] {
    var byKey: [String: IngestPlan.Key] = [:]
    byKey.reserveCapacity(posts.count)
    for post in posts {
      byKey[tombstoneKey(salt: salt, platform: post.platform, externalID: post.externalID)] = IngestPlan.Key(
        platform: post.platform, externalID: post.externalID)
    }
    return byKey
  }
}

/// The authors of a batch's posts, in the order the batch names them, each with the latest name
/// and follower count the batch gives (a later post without one keeps the earlier one's).
struct WantedAuthors: Sendable {
  var order: [AuthorKey] = []
  var latest: [AuthorKey: Latest] = [:]

  struct Latest: Sendable {
    var name: String?
    var followers: Int64?
  }

  init(_ posts: [IncomingMention]) {
    order.reserveCapacity(posts.count)
    latest.reserveCapacity(posts.count)
    for post in posts {
      let key = AuthorKey(platform: post.platform, handle: post.author.handle)
      let followers = post.author.followers.map(Int64.init)
      if let seen = latest[key] {
        latest[key] = Latest(name: post.author.name ?? seen.name, followers: followers ?? seen.followers)
      } else {
        order.append(key)
        latest[key] = Latest(name: post.author.name, followers: followers)
      }
    }
  }
}
