import Inbox
import NIOCore
import PostgresNIO

/// A big batch's authors (issue 18): looked up in one statement, the changed ones updated, and the
/// new ones streamed by `COPY` straight into `authors` with ids drawn first as one range, in the
/// batch's order, as its new mentions are (`+IngestCopy`). The one statement of a small batch
/// (`upsertAuthors`) inserted them row by row through its plan: at a million generated mentions
/// the batches added 486,657 authors, 11–12 s of the server's time, the most the store's ingest
/// did that `\copy` of its rows does not. The batch holds the writers' turn, so no author it looked
/// up as missing is added by another writer that takes it; one that does not take it fails the
/// batch whole on the key (`raced`).
extension ServerStore {
  static func copyAuthors(
    _ session: ServerSession, _ asked: [AuthorKey], latest: [AuthorKey: WantedAuthors.Latest],
    into answered: IngestAuthors
  ) async throws -> IngestAuthors {
    var out = answered
    var binds = PostgresBindings()
    binds.append(asked.map(\.platform))
    binds.append(asked.map(\.handle))
    var found = [IngestAuthorMemory.Known?](repeating: nil, count: asked.count)
    for (ord, id, name, followers) in try await session.rows(
      """
      SELECT v.ord, a.id, a.name, a.followers
      FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(platform, handle, ord)
      CROSS JOIN LATERAL (
        SELECT id, name, followers FROM authors WHERE platform = v.platform AND handle = v.handle LIMIT 1) AS a
      """, binds: binds, as: (Int64, Int64, String?, Int64?).self)
    {
      found[Int(ord) - 1] = IngestAuthorMemory.Known(id: id, name: name, followers: followers)
    }
    var changed: [IngestAuthorMemory.Known] = []
    var added: [AuthorKey] = []
    for (n, key) in asked.enumerated() {
      let wanted = latest[key]!
      guard let stored = found[n] else {
        added.append(key)
        continue
      }
      // A known author takes the batch's latest name and count where it has one.
      let now = IngestAuthorMemory.Known(
        id: stored.id, name: wanted.name ?? stored.name, followers: wanted.followers ?? stored.followers)
      if now.name != stored.name || now.followers != stored.followers { changed.append(now) }
      out.ids[key] = now.id
      out.known[key] = now
    }
    if !changed.isEmpty { try await updateAuthors(session, changed) }
    if added.isEmpty { return out }
    let ids = try await idRange(session, count: added.count, table: "authors")
    try await copy(
      session, into: "authors", columns: ["id", "platform", "handle", "name", "followers"], rows: added.count
    ) { [added] buffer, n in
      let key = added[n]
      let wanted = latest[key]!
      CopyText.decimal(&buffer, ids[n])
      CopyText.text(&buffer, key.platform)
      CopyText.text(&buffer, key.handle)
      CopyText.text(&buffer, wanted.name)
      CopyText.int(&buffer, wanted.followers)
      buffer.writeInteger(UInt8(ascii: "\n"))
    }
    for (n, key) in added.enumerated() {
      let wanted = latest[key]!
      out.ids[key] = ids[n]
      out.known[key] = IngestAuthorMemory.Known(id: ids[n], name: wanted.name, followers: wanted.followers)
      out.added.insert(ids[n])
    }
    return out
  }

  /// Gives known authors their new names and counts, in one statement.
  private static func updateAuthors(_ session: ServerSession, _ changed: [IngestAuthorMemory.Known])
    async throws
  {
    var binds = PostgresBindings()
    binds.append(changed.map(\.id))
    // An array bound here holds no NULL: a missing name or count is flagged beside it.
    binds.append(changed.map { $0.name ?? "" })
    binds.append(changed.map { $0.followers ?? 0 })
    binds.append(changed.map { $0.name != nil })
    binds.append(changed.map { $0.followers != nil })
    try await session.ingestStatement(
      """
      UPDATE authors SET name = CASE WHEN v.has_name THEN v.name END,
        followers = CASE WHEN v.has_followers THEN v.followers END
      FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::boolean[], $5::boolean[])
        AS v(id, name, followers, has_name, has_followers)
      WHERE authors.id = v.id
      """, binds: binds)
  }
}
