import Foundation
import Inbox
import PostgresNIO

// MARK: - The inbox's look after others' commits, in one statement (issues 17 and 18)

extension ServerStore {
  /// The change token, the feed after the question's mark, the recipient's unread notices and
  /// whether the changes reach the window, in one statement: one snapshot and one round trip per
  /// look, where the calls one by one (`lookCallByCall`) were four round trips and five statements
  /// for every commit and every open inbox.
  public func look(_ question: ChangeQuestion) throws -> ChangeLook {
    let (sql, binds) = Self.lookSQL(question)
    typealias Row = (Int64, Int64, Int64, Int64, [Int64], Int64, Int64, Bool?)
    let row = try read { session in
      try await session.rows(sql, binds: binds, as: Row.self).first
    }
    guard let (token, seq, oldest, newest, ids, unread, newestNotice, reaches) = row else {
      throw InboxError.storeUnavailable("the server gave no answer to the inbox's look")
    }
    var look = ChangeLook(
      token: token, mark: ChangeFeedMark(seq: seq, newestMention: newest), ids: nil, arrived: false)
    if question.recipient != nil { look.notices = NoticeMark(unread: Int(unread), newest: newestNotice) }
    guard let mark = question.mark else { return look }
    look.arrived = newest > mark.newestMention
    if seq == mark.seq {
      look.ids = []
    } else if mark.seq >= oldest - 1, mark.seq <= seq {
      look.ids = Set(ids)
    } else {
      // Pruned past the mark, or the feed restarted (a restored copy): anything may have moved.
      return look
    }
    if let reach = question.reach, reach.filter.searches {
      // A search cannot be told from the rows: anything asked about may reach it.
      let above = reach.newAbove ?? (look.arrived ? mark.newestMention : nil)
      look.reaches = !reach.ids.isEmpty || !(look.ids ?? []).isEmpty || above != nil
    } else if question.reach != nil {
      look.reaches = reaches
    }
    return look
  }

  /// The statement `look` runs: the feed's ends and the entries after the mark (as
  /// `changedMentions` reads them), the change counter, the recipient's unread notices from
  /// `notices_unread`, and the window's question (`reachExpression`) asked of the feed's ids with
  /// the question's own and the mentions above the newest one seen.
  static func lookSQL(_ question: ChangeQuestion) -> (String, PostgresBindings) {
    var binds = ServerBinds()
    // No mark: nothing after it is asked for (no entry is above the highest bigint).
    let after = binds.add(question.mark?.seq ?? Int64.max)
    var notices = "0::bigint, 0::bigint"
    var from = "feed"
    if let recipient = question.recipient {
      notices = "n.unread, n.newest"
      from += """
        , (SELECT count(*) AS unread, coalesce(max(id), 0) AS newest FROM notices
          WHERE recipient = \(binds.add(recipient)) AND read_at IS NULL) n
        """
    }
    var reach = "NULL::boolean"
    if let asked = question.reach, let mark = question.mark, !asked.filter.searches {
      let earlier = binds.add(asked.ids.sorted())
      let above = binds.add(asked.newAbove ?? mark.newestMention)
      reach = reachExpression(
        asking: "id = ANY(ARRAY(SELECT mention_id FROM changed) || \(earlier)::bigint[]) OR id > \(above)",
        anchor: asked.anchor, asked.filter, now: asked.now, binds: &binds)
    }
    let sql = """
      WITH feed AS (
        SELECT coalesce(max(seq), 0) AS seq, coalesce(min(seq), 0) AS oldest FROM changes),
      changed AS (
        SELECT DISTINCT c.mention_id FROM changes c, feed
        WHERE c.seq > \(after) AND c.seq <= feed.seq AND \(after) >= feed.oldest - 1)
      SELECT (SELECT n FROM change_counter), feed.seq, feed.oldest, coalesce((SELECT max(id) FROM mentions), 0),
        ARRAY(SELECT mention_id FROM changed), \(notices), \(reach)
      FROM \(from)
      """
    return (sql, binds.bindings)
  }

  /// How many of the recipient's notices are unread, and the newest one's id.
  public func noticeMark(for recipient: String) throws -> NoticeMark {
    let row = try read { session in
      try await session.rows(
        """
        SELECT count(*), coalesce(max(id), 0) FROM notices WHERE recipient = $1 AND read_at IS NULL
        """, binds: .of(recipient), as: (Int64, Int64).self
      ).first
    }
    return NoticeMark(unread: Int(row?.0 ?? 0), newest: row?.1 ?? 0)
  }
}
