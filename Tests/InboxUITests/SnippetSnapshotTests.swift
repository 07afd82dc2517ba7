import Desk
import Foundation
import Inbox
import Policy
import TerminalUI
import Testing

@testable import InboxUI

/// The editor's picker and the supervisor's proposed snippets, compared with `Snapshots/*.screen`.
@Suite("Snippet snapshots")
struct SnippetSnapshotTests {
  static let snippets = [
    Snippet(
      id: 7, lang: "nl", title: "Excuses vertraging",
      body: "Hoi {name}, excuses voor de vertraging. Je geld terugvragen kan via {link}.", status: .approved,
      createdBy: "Bram", createdAt: fixedNow.addingTimeInterval(-86_400), updatedAt: fixedNow,
      approvedBy: "Sam"),
    Snippet(
      id: 8, lang: "en", title: "Delay refund",
      body: "Hi {name}, sorry for the delay. Ask for a refund in the app.",
      status: .approved, createdBy: "Anna", createdAt: fixedNow.addingTimeInterval(-3_600),
      updatedAt: fixedNow,
      approvedBy: "Sam"),
  ]

  /// The editor open on the complaint, the picker searching `query`.
  static func picker(_ size: Size, language: UILanguage, query: String) -> InboxState {
    var s = PaneSnapshotTests.state(size, language: language)
    let row = PaneSnapshotTests.rows[0]
    var policy = PolicyConfig.default
    policy.team = [TeamMember(name: "Anna de Vries", login: "anna")]
    let opening = ReplyOpening(policy: policy, responder: policy.team[0], snippets: snippets)
    s.openEditor(
      PaneSnapshotTests.detail(for: row, language: language), mode: .reply, opening: opening, now: fixedNow)
    let choices = s.reply?.pickerChoices ?? []
    s.reply?.picker = SnippetPicker(query: query, choices: choices)
    s.mode = .pickSnippet
    return s
  }

  @Test("picker at 80×24 in English: the snippet's title first, the templates after, the preview filled")
  func picker80() {
    let canvas = InboxRenderer.render(
      Self.picker(Size(width: 80, height: 24), language: .en, query: "excu"), theme: .standard)
    assertSnapshot(canvas, named: "snippet-picker-80x24")
    let text = canvas.text
    #expect(text.contains("Templates and snippets: excu"))
    #expect(text.contains("▸ S Excuses vertraging"))
    #expect(text.contains("Hoi Sanne, excuses voor de vertraging."))
    #expect(text.contains("⚠ fill in {link}"))
  }

  @Test("picker at 80×24 in Dutch")
  func picker80Dutch() {
    assertSnapshot(
      InboxRenderer.render(
        Self.picker(Size(width: 80, height: 24), language: .nl, query: "excu"), theme: .standard),
      named: "snippet-picker-80x24-nl")
  }

  @Test("picker at 60×16 in English and Dutch: fewer rows, the short hint")
  func picker60() {
    let en = InboxRenderer.render(
      Self.picker(Size(width: 60, height: 16), language: .en, query: ""), theme: .standard)
    assertSnapshot(en, named: "snippet-picker-60x16")
    #expect(en.text.contains("Enter insert"))
    let nl = InboxRenderer.render(
      Self.picker(Size(width: 60, height: 16), language: .nl, query: ""), theme: .standard)
    assertSnapshot(nl, named: "snippet-picker-60x16-nl")
    #expect(nl.text.contains("Enter invoegen"))
  }

  @Test("every snippet text is there in English and in Dutch")
  func translated() {
    for key in SnippetText.allCases {
      let pair = Strings.snippetTable[key]
      #expect(pair?.en.isEmpty == false && pair?.nl.isEmpty == false, "\(key)")
    }
  }

  @Test("the supervisor's pane lists proposed snippets in their own section, the selected one in full")
  func proposedOnPane() {
    var s = SupervisorPaneTests.state(Size(width: 100, height: 40))
    s.supervisor.board?.snippets = [
      Snippet(
        id: 9, lang: "nl", title: "Fietswagon", body: "Hoi {name}, de fietswagon zit vooraan in de trein.",
        status: .proposed, createdBy: "Bram", createdAt: fixedNow.addingTimeInterval(-1_800),
        updatedAt: fixedNow)
    ]
    s.supervisor.selected = s.supervisor.items.firstIndex(of: .snippet(9)) ?? 0
    s.supervisor.scroll = 0
    let canvas = InboxRenderer.render(s, theme: .standard)
    assertSnapshot(canvas, named: "supervisor-snippets-100x40")
    #expect(canvas.text.contains("Proposed snippets (1) · y approve · b reject with a note"))
    #expect(canvas.text.contains("Fietswagon"))
    // The bottom help line names what y and b do to a snippet, not only to a reply.
    #expect(canvas.text.contains("y approve · b send back/reject · E inbox"))
    s.supervisor.board?.snippets = []
    #expect(!InboxRenderer.render(s, theme: .standard).text.contains("send back/reject"))
  }

  @Test("the editor's footer says Ctrl-T inserts (a template or a snippet), in English and Dutch")
  func editorFooterNamesInsert() {
    for (language, word, old) in [
      (UILanguage.en, "^T insert", "^T template"), (.nl, "^T invoegen", "^T sjabloon"),
    ] {
      var s = PaneSnapshotTests.state(Size(width: 100, height: 30), language: language)
      let row = PaneSnapshotTests.rows[0]
      var policy = PolicyConfig.default
      policy.team = [TeamMember(name: "Anna de Vries", login: "anna")]
      s.openEditor(
        PaneSnapshotTests.detail(for: row, language: language), mode: .reply,
        opening: ReplyOpening(policy: policy, responder: policy.team[0]), now: fixedNow)
      let text = InboxRenderer.render(s, theme: .standard).text
      #expect(text.contains(word), "\(language)")
      #expect(!text.contains(old), "\(language)")
    }
  }
}
