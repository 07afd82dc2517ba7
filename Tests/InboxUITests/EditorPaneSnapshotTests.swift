import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

/// The reply editor pane rendered into a Canvas and compared with `Snapshots/editor-*.screen`.
@Suite("Editor pane snapshots")
struct EditorPaneSnapshotTests {
  static func state(_ size: Size, text: String, mode: ReplyMode = .reply, asks: [ReplyAsk] = []) -> InboxState
  {
    var s = PaneSnapshotTests.state(size)
    let row = PaneSnapshotTests.rows[0]
    var policy = PolicyConfig.default
    policy.team = [TeamMember(name: "Anna de Vries", login: "anna")]
    let opening = ReplyOpening(
      policy: policy, responder: policy.team[0],
      othersDrafting: [
        DraftInfo(
          author: "Bram", mode: .reply, startedAt: fixedNow.addingTimeInterval(-120),
          updatedAt: fixedNow.addingTimeInterval(-60))
      ])
    s.openEditor(PaneSnapshotTests.detail(for: row), mode: mode, opening: opening, now: fixedNow)
    s.reply?.editor.setText(text)
    s.reply?.recheck()
    if !asks.isEmpty {
      s.reply?.pendingAsks = asks
      s.mode = .confirmSend
    }
    return s
  }

  @Test("80×24: the mention, advice, wrapped text with accents and emoji, signature, findings")
  func editor80() {
    let s = Self.state(
      Size(width: 80, height: 24),
      text:
        "Hoi Sanne, wat vervelend dat je trein weer is geannuleerd 😡. Onze excuses!\nWe zoeken uit wat er met je terugbetaling is gebeurd en bellen je vandaag."
    )
    let canvas = InboxRenderer.render(s, theme: .standard)
    assertSnapshot(canvas, named: "editor-80x24")
    // The signature is drawn in its own role; the counter counts it (mastodon: 500).
    let signatureRow = (0..<canvas.height).first { canvas.text(ofRow: $0).contains("– Anna") }!
    #expect(
      canvas[signatureRow, 1].style == Theme.standard[.editor].patched(with: Theme.standard[.editorSignature])
    )
    #expect(canvas.text(ofRow: signatureRow).contains("/500"))
    // The cursor sits after the last character, in the cursor's role.
    let cursorStyle = Theme.standard[.editor].patched(with: Theme.standard[.editorCursor])
    let cursorCells = (0..<canvas.height).flatMap { row in
      (0..<canvas.width).filter { canvas[row, $0].style == cursorStyle }.map { (row, $0) }
    }
    #expect(cursorCells.count == 1)
    #expect(cursorCells.first.map { canvas.text(ofRow: $0.0).hasSuffix("vandaag.") } == true)
  }

  @Test("drawn with edits not yet rechecked, the pane shows the checks on the text as it is")
  func pendingChecksDrawnCurrent() {
    var s = Self.state(Size(width: 80, height: 24), text: "Sorry, we bellen je vandaag.")
    let checks = s.reply?.checkCount
    let keys = InboxKeys.table(s.strings)
    for c in "!!!" { _ = s.handle(.key(.char(c)), keys: keys) }
    #expect(s.reply?.checksPending == true)
    #expect(s.reply?.checkCount == checks)  // typing alone does not check
    let text = InboxRenderer.render(s, theme: .standard).text
    #expect(text.contains("A row of 3 exclamation marks"))
    let signed = "Sorry, we bellen je vandaag.!!! – Anna"
    #expect(text.contains("\(PlatformLength.count(signed, platform: "mastodon"))/500"))
    s.reply?.recheckIfPending()
    #expect(s.reply?.checkCount == checks.map { $0 + 1 })
    #expect(InboxRenderer.render(s, theme: .standard).text == text)
  }

  @Test("a blocking finding and the length over the limit, in the over-limit colour")
  func blocking() {
    let s = Self.state(
      Size(width: 100, height: 30), text: String(repeating: "Sorry, we kijken ernaar. ", count: 22))
    let canvas = InboxRenderer.render(s, theme: .standard)
    assertSnapshot(canvas, named: "editor-over-limit-100x30")
    let row = (0..<canvas.height).first { canvas.text(ofRow: $0).contains("/500") }!
    let column = canvas.text(ofRow: row).count - 3
    #expect(
      canvas[row, column].style.fg
        == Theme.standard[.editor].patched(with: Theme.standard[.editorOverLimit]).fg)
  }

  @Test("sending asks: cooling-off, a collision and a follow-up, with y in the footer")
  func confirm() {
    let earlier = ReplyInfo(
      id: 7, responder: "Bram", mode: .reply, text: "Sorry Sanne, we zoeken het uit. – Bram",
      status: "queued",
      createdAt: fixedNow.addingTimeInterval(-300))
    let s = Self.state(
      Size(width: 80, height: 24), text: "Sorry Sanne, hoe is het nu?",
      asks: [
        .coolingOff(until: fixedNow.addingTimeInterval(240)),
        .collision(who: "Bram", what: .claimed, at: fixedNow.addingTimeInterval(-30)),
        .followUp(earlier: earlier),
      ])
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "editor-confirm-80x24")
  }

  @Test("a holding reply in Dutch starts from the holding template (S12)")
  func holdingDutch() {
    var s = PaneSnapshotTests.state(Size(width: 80, height: 24), language: .nl)
    let opening = ReplyOpening(policy: .default, responder: TeamMember(name: "Anna", login: "anna"))
    s.openEditor(
      PaneSnapshotTests.detail(for: PaneSnapshotTests.rows[1], language: .nl), mode: .holding,
      opening: opening,
      now: fixedNow)
    #expect(s.reply?.editor.text.hasPrefix("Hoi Tom, we hebben je vraag ontvangen") == true)
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "editor-holding-80x24-nl")
  }
}
