import Foundation
import Inbox
import Policy
import Testing

/// `MentionStore` on both stores: ingest (new, duplicate, edit, muted, forgotten, deletion notices,
/// folded repeats, escalations on arrival, counts and events) and the mention reads.
@Suite struct IngestConformanceTests {
  @Test(arguments: TestStores.kinds)
  func theSameMentionTwiceIsStoredOnce(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let batch = (1...5).map { incoming(String($0)) }
    #expect(try s.ingest(batch, actor: "anna", annotator: nil) == IngestCounts(new: 5))
    #expect(try s.ingest(batch, actor: "anna", annotator: nil) == IngestCounts(duplicate: 5))
    #expect(try s.mentionCount() == 5)
    // Same id on another platform is another mention; twice in one batch is stored once.
    let twice = [incoming("1", platform: "bluesky"), incoming("1", platform: "bluesky")]
    #expect(try s.ingest(twice, actor: "anna", annotator: nil) == IngestCounts(new: 1, duplicate: 1))
    #expect(try s.mentionCount() == 6)
  }

  @Test(arguments: TestStores.kinds)
  func anotherTextForTheSameIdIsAnEdit(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    _ = try s.ingest([incoming("7", text: "first")], actor: "anna", annotator: nil)
    let counts = try s.ingest([incoming("7", text: "second")], actor: "bob", annotator: nil)
    #expect(counts == IngestCounts(duplicate: 1, edited: 1))
    let stored = try s.mentions(order: .newest, limit: 10, offset: 0)
    #expect(stored.map(\.text) == ["second"])
    #expect(stored.first?.editCount == 1)
    let id = stored[0].id
    #expect(try s.revisions(mentionID: id).map(\.text) == ["first"])
    #expect(try s.revisions(mentionID: id).map(\.replacedAt) == [TestStores.now])
    let events = try s.events(mentionID: id)
    #expect(events.map(\.action) == ["ingest", "edited"])
    #expect(events.map(\.actor) == ["anna", "bob"])
    #expect(events.map(\.at) == [TestStores.now, TestStores.now])
    #expect(
      events.allSatisfy { $0.detail?.contains("first") != true && $0.detail?.contains("second") != true })
  }

  @Test(arguments: TestStores.kinds)
  func editsWithinOneBatchAreKeptInOrder(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    _ = try s.ingest([incoming("1", text: "one")], actor: "a", annotator: nil)
    let counts = try s.ingest(
      [
        incoming("1", text: "two"), incoming("2", text: "a"), incoming("2", text: "b"),
        incoming("1", text: "two"),
        incoming("1", text: "three"),
      ], actor: "a", annotator: nil)
    #expect(counts == IngestCounts(new: 1, duplicate: 4, edited: 3))
    let all = try s.mentions(order: .newest, limit: 10, offset: 0).sorted { $0.externalID < $1.externalID }
    #expect(all.map(\.text) == ["three", "b"])
    #expect(all.map(\.editCount) == [2, 1])
    #expect(try s.revisions(mentionID: all[0].id).map(\.text) == ["one", "two"])
    #expect(try s.revisions(mentionID: all[1].id).map(\.text) == ["a"])
    #expect(try s.events(mentionID: all[0].id).map(\.action) == ["ingest", "edited", "edited"])
    #expect(try s.events(mentionID: all[1].id).map(\.action) == ["ingest", "edited"])
  }

  @Test(arguments: TestStores.kinds)
  func authorsAreSharedAndUpdated(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    _ = try s.ingest([incoming("1", followers: 10, name: "Anna")], actor: "a", annotator: nil)
    _ = try s.ingest([incoming("2", followers: 12)], actor: "a", annotator: nil)
    _ = try s.ingest(
      [incoming("3", handle: "bo", name: "Bo"), incoming("4", handle: "bo", followers: 3)], actor: "a",
      annotator: nil)
    let all = try s.mentions(order: .newest, limit: 10, offset: 0)
    #expect(
      Set(all.map(\.author)) == [
        Author(handle: "anna", name: "Anna", followers: 12), Author(handle: "bo", name: "Bo", followers: 3),
      ])
  }

  /// A fixed verdict per mention: a complaint, with a target an hour out, muted when it says spam.
  struct Fixed: MentionAnnotator {
    func annotate(_ mention: IncomingMention) -> MentionAnnotation {
      MentionAnnotation(
        category: .complaint, confidence: 0.9, signals: PackedSignals([]),
        deadlines: MentionDeadlines(
          earliestReply: mention.createdAt.addingTimeInterval(600),
          firstResponse: mention.createdAt.addingTimeInterval(3600)),
        muted: mention.text.contains("spam"))
    }
    func deadlines(category: Category, arrival: Date) -> MentionDeadlines { MentionDeadlines() }
  }

  @Test(arguments: TestStores.kinds)
  func anAnnotatorsVerdictIsStoredAndMutedOnesAreCounted(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let counts = try s.ingest([incoming("1"), incoming("2", text: "spam")], actor: "a", annotator: Fixed())
    #expect(counts == IngestCounts(new: 2, muted: 1))
    let listed = try s.mentions(order: .newest, limit: 10, offset: 0)
    #expect(listed.count == 1)
    #expect(listed[0].category == .complaint)
    #expect(listed[0].confidence == 0.9)
    #expect(listed[0].categoryBy == nil)
    #expect(listed[0].deadlines.firstResponse == listed[0].createdAt.addingTimeInterval(3600))
    #expect(listed[0].deadlines.earliestReply == listed[0].createdAt.addingTimeInterval(600))
    #expect(try s.mentionCount() == 2)
    let muted = try #require(try s.mention(id: listed[0].id + 1))
    #expect(muted.muted && muted.text == "spam")
  }

  @Test(arguments: TestStores.kinds)
  func theDefaultPolicysVerdictReadsBackWhole(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let post = IncomingMention(
      platform: "mastodon", externalID: "9", url: "https://m.example/9",
      author: Author(handle: "sanne", name: "Sanne", followers: 40),
      createdAt: TestStores.now.addingTimeInterval(-600),
      text: "waarom is mijn trein weer te laat? niemand weet iets", inReplyTo: "8", thread: "7", staff: false,
      raw: #"{"id":"9"}"#)
    _ = try s.ingest([post], actor: "a", annotator: defaultAnnotator)
    let m = try #require(try s.mentions(order: .newest, limit: 1, offset: 0).first)
    let verdict = defaultAnnotator.annotate(post)
    #expect(m.platform == "mastodon" && m.externalID == "9" && m.url == "https://m.example/9")
    #expect(m.author == post.author && m.createdAt == post.createdAt && m.ingestedAt == TestStores.now)
    #expect(m.inReplyTo == "8" && m.thread == "7" && !m.staff && m.lang == nil)
    #expect(m.category == verdict.category && m.confidence == verdict.confidence)
    #expect(m.storedSignals == verdict.signals.text && m.detectedLang == verdict.detectedLang)
    #expect(m.deadlines.firstResponse == verdict.deadlines.firstResponse)
    #expect(m.status == .open && m.editCount == 0 && m.deleted == nil && m.repeats == 0 && m.repeatOf == nil)
    #expect(try s.mention(id: m.id) == m)
    #expect(try s.mention(id: m.id + 100) == nil)
  }

  /// A batch big enough that the server streams it (`COPY`) keeps every character and every
  /// field as a small one does.
  @Test(arguments: TestStores.kinds)
  func aBigBatchKeepsEveryCharacter(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let odd = [
      "tab\there", "new\nline", "carriage\r\nreturn", #"back\slash \N \\N"#, "", "emoji 🚆 — ünïcode",
      "quote \" and ' and ,", "\\.", "trailing backslash \\",
    ]
    var batch: [IncomingMention] = []
    for i in 0..<300 {
      var m = incoming(
        "big\(i)", text: odd[i % odd.count] + " \(i)", handle: "h\(i % 7)", minutesAgo: i % 50,
        lang: i % 3 == 0 ? nil : "nl")
      m.url = i % 2 == 0 ? nil : "https://x.example/\t\(i)"
      m.inReplyTo = i % 5 == 0 ? "p\\\(i)" : nil
      m.thread = i % 4 == 0 ? "t\n\(i)" : nil
      m.staff = i % 11 == 0
      m.raw = #"{"id":"big\#(i)","text":"a\tb\\c"}"#
      if i == 299 { m.deletion = "withheld in\tIN" }
      batch.append(m)
    }
    let counts = try s.ingest(batch, actor: "bulk", annotator: defaultAnnotator)
    #expect(counts.new == 300 && counts.deleted == 1)
    let stored = try s.mentions(order: .newest, limit: 400, offset: 0)
    let muted = batch.count - stored.count
    #expect(muted == counts.muted)
    let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.externalID, $0) })
    for m in batch {
      guard let got = byID[m.externalID] else { continue }
      let verdict = defaultAnnotator.annotate(m)
      #expect(
        got.text == m.text && got.url == m.url && got.inReplyTo == m.inReplyTo && got.thread == m.thread)
      #expect(got.author.handle == m.author.handle && got.staff == m.staff && got.lang == m.lang)
      #expect(got.createdAt == m.createdAt && got.category == verdict.category)
      #expect(got.confidence == verdict.confidence && got.storedSignals == verdict.signals.text)
      #expect(got.deleted == m.deletion)
    }
  }

  // MARK: - Deletion notices and forgotten posts

  @Test(arguments: TestStores.kinds)
  func aDeletionNoticeMarksTheMentionAndKeepsItsText(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    _ = try s.ingest([incoming("7", text: "de app ligt eruit")], actor: "anna", annotator: nil)
    let notice = IncomingMention.tombstone(
      platform: "x", externalID: "7", reason: "deleted", raw: #"{"id":"7"}"#)
    var counts = try s.ingest([notice], actor: "repute", annotator: nil)
    #expect(counts.deleted == 1 && counts.new == 0 && counts.duplicate == 0)
    let stored = try #require(try s.mentions(order: .newest, limit: 10, offset: 0).first)
    #expect(stored.deleted == "deleted")
    #expect(stored.text == "de app ligt eruit", "never erased")
    #expect(try s.events(mentionID: stored.id).map(\.action) == ["ingest", "deleted"])
    // Told again: nothing changes, no second event.
    counts = try s.ingest([notice], actor: "repute", annotator: nil)
    #expect(counts.deleted == 0 && counts.unknownDeletions == 0)
    #expect(try s.events(mentionID: stored.id).map(\.action) == ["ingest", "deleted"])
  }

  @Test(arguments: TestStores.kinds)
  func aNoticeForAnUnknownPostStoresNothing(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let notice = IncomingMention.tombstone(platform: "x", externalID: "404", reason: "deleted", raw: "{}")
    let counts = try s.ingest([notice], actor: "repute", annotator: nil)
    #expect(counts.unknownDeletions == 1 && counts.new == 0)
    #expect(try s.mentionCount() == 0)
    // A notice before its post in the same batch finds nothing; one after it marks it.
    let batch = [notice, incoming("404"), notice]
    let again = try s.ingest(batch, actor: "repute", annotator: nil)
    #expect(again.unknownDeletions == 1 && again.new == 1 && again.deleted == 1)
    #expect(try s.mentions(order: .newest, limit: 1, offset: 0).first?.deleted == "deleted")
  }

  @Test(arguments: TestStores.kinds)
  func aWithheldPostIsStoredMarkedAndAnEditStillKeepsTheEarlierText(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    var withheld = incoming("9", text: "first")
    withheld.deletion = "withheld in IN"
    #expect(try s.ingest([withheld], actor: "anna", annotator: nil).deleted == 1)
    var edited = incoming("9", text: "second")
    edited.deletion = "withheld in IN"
    let counts = try s.ingest([edited], actor: "anna", annotator: nil)
    #expect(counts.edited == 1 && counts.deleted == 0, "already marked")
    let stored = try #require(try s.mentions(order: .newest, limit: 1, offset: 0).first)
    #expect(stored.deleted == "withheld in IN" && stored.text == "second")
    #expect(try s.revisions(mentionID: stored.id).map(\.text) == ["first"])
    #expect(try s.events(mentionID: stored.id).map(\.action) == ["ingest", "deleted", "edited"])
    // A live post is not marked; a later notice marks it.
    _ = try s.ingest([incoming("10")], actor: "anna", annotator: nil)
    let live = try #require(
      try s.mentions(order: .newest, limit: 10, offset: 0).first { $0.externalID == "10" })
    #expect(live.deleted == nil)
  }

  @Test(arguments: TestStores.kinds)
  func aForgottenPostIsNotStoredAgain(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let old = incoming("old", text: "my address is …", minutesAgo: 400 * 24 * 60)
    _ = try s.ingest([old], actor: "a", annotator: nil)
    try store.forget(old)
    let count = try s.mentionCount()
    let counts = try s.ingest([old, incoming("fresh")], actor: "a", annotator: nil)
    #expect(counts.forgotten == 1 && counts.new == 1 && counts.duplicate == 0)
    #expect(try s.mentionCount() == count + 1)
  }

  // MARK: - Reads

  /// Deadlines by external id: (minutes to the earliest reply, minutes to the target), both from now.
  struct Deadlines: MentionAnnotator {
    let table: [String: (Int?, Int?)]
    func annotate(_ mention: IncomingMention) -> MentionAnnotation {
      let (earliest, target) = table[mention.externalID] ?? (nil, nil)
      return MentionAnnotation(
        category: .question, confidence: 0.5, signals: PackedSignals([]),
        deadlines: MentionDeadlines(
          earliestReply: earliest.map { TestStores.now.addingTimeInterval(Double($0 * 60)) },
          firstResponse: target.map { TestStores.now.addingTimeInterval(Double($0 * 60)) }),
        muted: mention.externalID == "muted")
    }
    func deadlines(category: Category, arrival: Date) -> MentionDeadlines { MentionDeadlines() }
  }

  @Test(arguments: TestStores.kinds)
  func theOrdersOfTheListing(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let annotator = Deadlines(table: [
      "late": (nil, 60), "soon": (nil, 30), "cooling": (10, 90), "soon2": (-5, 30),
    ])
    let batch = [
      incoming("late", minutesAgo: 50), incoming("soon", minutesAgo: 40), incoming("cooling", minutesAgo: 30),
      incoming("plain-old", minutesAgo: 20), incoming("plain-new", minutesAgo: 10),
      incoming("muted", minutesAgo: 5), incoming("soon2", minutesAgo: 45),
    ]
    _ = try s.ingest(batch, actor: "a", annotator: annotator)
    let newest = try s.mentions(order: .newest, limit: 10, offset: 0).map(\.externalID)
    #expect(newest == ["plain-new", "plain-old", "cooling", "soon", "soon2", "late"])
    let urgent = try s.mentions(order: .urgency, limit: 10, offset: 0).map(\.externalID)
    #expect(urgent == ["soon", "soon2", "late", "cooling", "plain-new", "plain-old"])
    #expect(
      try s.mentions(order: .urgency, limit: 2, offset: 3).map(\.externalID) == ["cooling", "plain-new"])
    #expect(
      try s.mentions(order: .newest, limit: 2, offset: 1).map(\.externalID) == ["plain-old", "cooling"])
    #expect(try s.mentionCount() == 7)
  }

  @Test(arguments: TestStores.kinds)
  func theIngestEventNamesTheBatch(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    _ = try s.ingest([incoming("1"), incoming("2"), incoming("3")], actor: "feeds", annotator: nil)
    _ = try s.ingest([incoming("1")], actor: "feeds", annotator: nil)
    _ = try s.ingest([incoming("4"), incoming("1", text: "edited")], actor: "other", annotator: nil)
    let all = try s.mentions(order: .newest, limit: 10, offset: 0).sorted { $0.externalID < $1.externalID }
    let first = try s.events(mentionID: all[0].id)
    #expect(first.map(\.action) == ["ingest", "edited"])
    // The arrival is the batch's ingest event, read for the mention without its detail.
    #expect(first[0].detail == nil && first[0].mentionID == all[0].id && first[0].actor == "feeds")
    #expect(first[1].mentionID == all[0].id && first[1].detail == nil && first[1].actor == "other")
    #expect(try s.events(mentionID: all[3].id).map(\.actor) == ["other"])
    #expect(try s.events(mentionID: all[2].id).map(\.id) == [first[0].id])
  }

  // MARK: - Two handles on one store

  @Test(arguments: TestStores.kinds)
  func twoWritersOnOneStoreKeepTheUnion(_ kind: StoreKind) async throws {
    let store = try TestStore(kind)
    let first = try store.as((any MentionStore).self)
    let second = try store.secondHandle()
    // Overlapping ranges: 0..<600 and 400..<1000, in small batches, at the same time.
    async let a: Void = Task.detached {
      for start in stride(from: 0, to: 600, by: 50) {
        _ = try first.ingest((start..<start + 50).map { incoming(String($0)) }, actor: "a", annotator: nil)
      }
    }.value
    async let b: Void = Task.detached {
      for start in stride(from: 400, to: 1000, by: 50) {
        _ = try second.ingest((start..<start + 50).map { incoming(String($0)) }, actor: "b", annotator: nil)
      }
    }.value
    _ = try await (a, b)
    #expect(try first.mentionCount() == 1000)
    #expect(try second.mentionCount() == 1000)
  }

  @Test(arguments: TestStores.kinds)
  func anotherHandlesCommitChangesTheToken(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let reader = try store.as((any MentionStore).self)
    let writer = try store.secondHandle()
    let before = try reader.changeToken()
    #expect(try reader.changeToken() == before)
    _ = try writer.ingest([incoming("1")], actor: "w", annotator: nil)
    let after = try reader.changeToken()
    #expect(after != before)
    #expect(try reader.changeToken() == after, "no commit, no change")
    _ = try writer.ingest([incoming("1")], actor: "w", annotator: nil)
    _ = try writer.ingest([incoming("2")], actor: "w", annotator: nil)
    #expect(try reader.changeToken() != after)
  }
}
