import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

/// Every pane rendered into a Canvas and compared with `Snapshots/*.screen`
/// (`REPUTE_RECORD_SNAPSHOTS=1 swift test --filter PaneSnapshotTests` re-records them).
@Suite("Pane snapshots")
struct PaneSnapshotTests {
  static func row(
    _ id: Int64, _ handle: String, _ category: Category, minutesAgo: Double, dueIn: Double?, _ text: String,
    status: MentionStatus = .open, claimedBy: String? = nil, platform: String = "mastodon",
    coolingFor: Double = 0
  ) -> QueueRow {
    let created = fixedNow.addingTimeInterval(-minutesAgo * 60)
    return QueueRow(
      mention: Mention(
        id: id, platform: platform, externalID: "e\(id)", url: "https://social.example/@\(handle)/\(id)",
        author: Author(handle: handle, name: handle.capitalized, followers: 412), createdAt: created,
        ingestedAt: created, text: text, lang: "nl", inReplyTo: nil, thread: nil, staff: false,
        category: category,
        status: status,
        deadlines: MentionDeadlines(
          earliestReply: fixedNow.addingTimeInterval(coolingFor * 60),
          firstResponse: dueIn.map { fixedNow.addingTimeInterval($0 * 60) }),
        editCount: 0),
      claimedBy: claimedBy)
  }

  static let rows: [QueueRow] = [
    row(
      1, "sanne", .complaint, minutesAgo: 95, dueIn: -35,
      "Mijn trein naar Utrecht is weer geannuleerd 😡 en niemand weet iets."),
    row(
      2, "tom", .question, minutesAgo: 12, dueIn: 48, "Is a bike reservation needed on Sunday trains?",
      claimedBy: "Bram"),
    row(
      3, "jager", .misinformation, minutesAgo: 55, dueIn: 5, "De prijzen gaan 30 procent omhoog, schandalig!",
      platform: "x"),
    row(
      4, "lotte", .praise, minutesAgo: 30, dueIn: nil,
      "Wat een fijne conducteur vanochtend, dank jullie wel 😊"),
    row(
      5, "nieuw", .question, minutesAgo: 1, dueIn: 59, "Hoe laat vertrekt de eerste trein? 漢字 test",
      coolingFor: 4),
    row(
      6, "evil", .neutral, minutesAgo: 2, dueIn: nil,
      "title \u{1B}]0;pwned\u{07} clear \u{1B}[2J bidi \u{202E}olleh", platform: "x"),
  ]

  /// The default policy's real advice for the row, with Pieter's answer in the thread.
  static func advice(for row: QueueRow, language: UILanguage = .en) -> Advice {
    let m = row.mention
    let input = ClassifierInput(
      text: m.text, lang: m.lang, authorHandle: m.author.handle, authorName: m.author.name ?? "",
      followers: m.author.followers, platform: m.platform, isStaff: false)
    var classification = Classifier(.default).classify(input)
    classification.category = m.category ?? .neutral
    let answer = ThreadPost(
      authorHandle: "pieter", isOrganisation: false, text: "Via de app kun je je geld terugvragen.",
      time: m.createdAt.addingTimeInterval(600))
    return Advisor(.default).advise(
      AdviceContext(
        input: input, classification: classification, time: m.createdAt, thread: [answer],
        explainIn: language.rawValue))
  }

  static func detail(for row: QueueRow, language: UILanguage = .en) -> MentionDetail {
    MentionDetail(
      row: row, watched: true, authorMentionCount: 3,
      earlier: [Self.rows[3].mention],
      thread: [
        Self.row(
          7, "pieter", .praise, minutesAgo: 80, dueIn: nil,
          "Via de app kun je je geld terugvragen, bij mij ging het snel.")
      ],
      reopensConversation: true,
      advice: advice(for: row, language: language),
      signals: ["\(Strings(language).signal(.complaintCue)) \"geannuleerd\""],
      notes: [
        TeamNote(at: fixedNow.addingTimeInterval(-600), author: "Bram", text: "Klant belde al eerder.")
      ],
      escalations: [],
      events: [
        Inbox.Event(
          id: 1, at: fixedNow.addingTimeInterval(-95 * 60), actor: "ingest", action: "ingest", mentionID: 1,
          detail: nil),
        Inbox.Event(
          id: 2, at: fixedNow.addingTimeInterval(-300), actor: "Anna", action: "claim", mentionID: 1,
          detail: nil),
      ], earlierCount: 2)
  }

  static func state(_ size: Size, language: UILanguage = .en, select: Int = 0) -> InboxState {
    var s = InboxState(
      strings: Strings(language), actor: "Anna", storeLabel: "~/repute.sqlite", size: size, now: fixedNow)
    s.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
    s.rows = rows
    s.list.setCount(rows.count, height: s.layout.queueListHeight)
    s.list.select(select, height: s.layout.queueListHeight)
    s.selectedID = rows[select].id
    s.detail = detail(for: rows[select], language: language)
    s.counts = QueueCounts(byStatus: [.open: 5, .replied: 1], byClock: [.overdue: 1, .cooling: 1])
    s.newArrivals = 2
    return s
  }

  @Test("wide: queue and detail side by side")
  func wide() {
    let canvas = InboxRenderer.render(Self.state(Size(width: 140, height: 36)), theme: .standard)
    assertSnapshot(canvas, named: "wide-140x36")
    // Styles on chosen cells: the selected row, the clock glyphs, the status line. The selection
    // covers the whole row, clock included (the glyph still tells the state); unselected rows
    // colour their glyph by the clock.
    #expect(canvas[2, 0].style == Theme.standard[.queueSelected])
    #expect(canvas[2, 2].grapheme == "●")
    #expect(canvas[2, 2].style == Theme.standard[.queueSelected])
    #expect(canvas[3, 2].grapheme == "○")
    #expect(canvas[3, 2].style == Theme.standard[.queue].patched(with: Theme.standard[.queueOnTime]))
    #expect(canvas[0, 1].style == Theme.standard[.uiStatusline])
  }

  @Test("80×24: the queue alone, clocks coloured by state")
  func standard() {
    var s = Self.state(Size(width: 80, height: 24))
    s.list.select(1, height: s.layout.queueListHeight)
    let canvas = InboxRenderer.render(s, theme: .standard)
    assertSnapshot(canvas, named: "queue-80x24")
    // Row 2 is the overdue complaint (not selected): its glyph in the overdue colour.
    #expect(canvas[2, 2].grapheme == "●")
    #expect(canvas[2, 2].style == Theme.standard[.queue].patched(with: Theme.standard[.queueOverdue]))
    #expect(canvas[4, 2].style == Theme.standard[.queue].patched(with: Theme.standard[.queueDueSoon]))
  }

  @Test("80×24 detail pane, in Dutch")
  func detailNarrow() {
    var s = Self.state(Size(width: 80, height: 24), language: .nl)
    s.detailOpen = true
    s.focus = .detail
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "detail-80x24-nl")
  }

  @Test(
    "the author line counts in agreement: 1 mention, 1 follower; 3 mentions, 412 followers",
    arguments: [
      (UILanguage.en, 1, 1, "1 follower · 1 mention ·"), (.en, 412, 3, "412 followers · 3 mentions ·"),
      (.nl, 1, 1, "1 volger · 1 vermelding ·"), (.nl, 412, 3, "412 volgers · 3 vermeldingen ·"),
      (.en, 0, 2, "0 followers · 2 mentions ·"),
    ])
  func authorLineAgreement(language: UILanguage, followers: Int, mentions: Int, expected: String) {
    var row = Self.rows[0]
    row.mention.author.followers = followers
    var detail = Self.detail(for: row)
    detail.authorMentionCount = mentions
    let s = Self.state(Size(width: 140, height: 36), language: language)
    let text = DetailText.lines(detail, state: s, width: 120).map { $0.spans.map(\.text).joined() }
    let author = text.first { $0.hasPrefix("@") } ?? ""
    #expect(author.contains(expected), "\(author)")
  }

  @Test("the supervisor's watched list counts in agreement", arguments: [UILanguage.en, .nl])
  func supervisorAgreement(language: UILanguage) {
    let s = Strings(language)
    #expect(s.count(1, SupervisorText.mentions) == (language == .nl ? "1 bericht" : "1 mention"))
    #expect(s.count(2, SupervisorText.mentions) == (language == .nl ? "2 berichten" : "2 mentions"))
    #expect(
      s.count(1, SupervisorText.reactions)
        == (language == .nl ? "1 reactie van anderen" : "1 reaction by others"))
  }

  @Test("60×16, the smallest usable size")
  func smallest() {
    assertSnapshot(
      InboxRenderer.render(Self.state(Size(width: 60, height: 16)), theme: .standard), named: "queue-60x16")
  }

  @Test("smaller than 60×16: a clear message")
  func tooSmall() {
    assertSnapshot(
      InboxRenderer.render(Self.state(Size(width: 50, height: 10)), theme: .standard),
      named: "too-small-50x10")
  }

  @Test("help is generated from the key table")
  func help() {
    var s = Self.state(Size(width: 80, height: 40))
    s.mode = .help
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "help-80x40")
  }

  @Test("a prompt and the category picker in the footer")
  func prompts() {
    var s = Self.state(Size(width: 100, height: 20))
    s.mode = .prompt(.snooze)
    s.input = "2h"
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "prompt-snooze-100x20")
    s.mode = .pickCategory
    let canvas = InboxRenderer.render(s, theme: .standard)
    #expect(canvas.text(ofRow: 19).contains("1 complaint  2 question"))
  }

  @Test("foreign escape sequences are drawn as visible placeholders")
  func hostile() {
    let canvas = InboxRenderer.render(Self.state(Size(width: 140, height: 36), select: 5), theme: .standard)
    let text = canvas.text
    #expect(text.contains("␛]0;pwned␇"))
    #expect(text.contains("␛[2J"))
    #expect(text.contains("⟨RLO⟩"))
    #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
  }

  /// A replied complaint with its S10 follow-up due, beside answered and decided rows.
  static var followUpRows: [QueueRow] {
    var answered = row(
      8, "femke", .complaint, minutesAgo: 240, dueIn: -180, "Mijn fiets is beschadigd in het fietsrijtuig.",
      status: .replied)
    answered.mention.deadlines.firstResponseAt = fixedNow.addingTimeInterval(-180 * 60)
    answered.mention.deadlines.followUp = fixedNow.addingTimeInterval(20 * 60)
    var holding = row(
      9, "mark", .question, minutesAgo: 42, dueIn: -10, "Closing every counter?", status: .holding)
    holding.mention.deadlines.holdingSince = fixedNow.addingTimeInterval(-35 * 60)
    holding.mention.deadlines.followUp = fixedNow.addingTimeInterval(23 * 3600)
    var done = row(
      10, "ines", .complaint, minutesAgo: 300, dueIn: -240, "The wifi was broken again.", status: .replied)
    done.mention.deadlines.firstResponseAt = fixedNow.addingTimeInterval(-280 * 60)
    return [
      answered, holding, done,
      row(11, "angry", .unfounded, minutesAgo: 25, dueIn: nil, "YOU ARE ALL CROOKS", status: .noReply),
      row(12, "later", .question, minutesAgo: 50, dueIn: 10, "Waar is mijn fiets?", status: .snoozed),
    ]
  }

  @Test("S10: a replied complaint shows its follow-up due, in the queue and the detail, in both languages")
  func followUpDue() {
    for language in [UILanguage.en, .nl] {
      var s = Self.state(Size(width: 80, height: 24), language: language)
      s.rows = Self.followUpRows
      s.list.setCount(s.rows.count, height: s.layout.queueListHeight)
      s.list.select(0, height: s.layout.queueListHeight)
      s.selectedID = s.rows[0].id
      var detail = Self.detail(for: s.rows[0], language: language)
      let m = s.rows[0].mention
      let input = ClassifierInput(text: m.text, lang: m.lang)
      var classification = Classifier(.default).classify(input)
      classification.category = .complaint
      detail.advice = Advisor(.default).advise(
        AdviceContext(
          input: input, classification: classification, time: m.createdAt, followUpDue: true,
          explainIn: language.rawValue))
      detail.reopensConversation = false
      s.detail = detail
      let queue = InboxRenderer.render(s, theme: .standard)
      assertSnapshot(queue, named: "queue-follow-up-80x24-\(language.rawValue)")
      // The follow-up row: on time, 20 minutes left, labelled; the others keep short statuses.
      #expect(queue.text(ofRow: 2).contains(language == .en ? "follow-up due ·" : "opvolging nodig ·"))
      #expect(queue.text(ofRow: 4).contains(language == .en ? " done " : " klaar "))
      s.detailOpen = true
      s.focus = .detail
      let pane = InboxRenderer.render(s, theme: .standard)
      assertSnapshot(pane, named: "detail-follow-up-80x24-\(language.rawValue)")
      #expect(pane.text.contains("S10, S7"))
    }
  }

  @Test("monochrome (NO_COLOR) uses no colours")
  func monochrome() {
    let canvas = InboxRenderer.render(Self.state(Size(width: 80, height: 24)), theme: .monochrome)
    for row in 0..<canvas.height {
      for column in 0..<canvas.width {
        #expect(canvas[row, column].style.fg == .default && canvas[row, column].style.bg == .default)
      }
    }
  }
}
