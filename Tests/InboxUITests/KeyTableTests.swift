import Desk
import InboxUI
import TerminalUI
import Testing

@Suite("The key table")
struct KeyTableTests {
  @Test("every command is bound and no mode shadows a global key", arguments: UILanguage.allCases)
  func complete(language: UILanguage) {
    let table = InboxKeys.table(Strings(language))
    #expect(table.unboundCommands(InboxCommand.allCases).isEmpty)
    #expect(table.shadowingConflicts().isEmpty)
  }

  @Test("the keys of the issue's table do what it says")
  func issueTable() {
    let table = InboxKeys.table(Strings(.en))
    let expected: [(String, InboxCommand)] = [
      ("<Up>", .moveUp), ("<Down>", .moveDown), ("j", .moveDown), ("k", .moveUp), ("<PgUp>", .pageUp),
      ("<PgDn>", .pageDown), ("g", .top), ("G", .bottom), ("<Enter>", .toggleDetail), ("n", .nextUnclaimed),
      ("c", .claim), ("r", .reply), ("H", .holdingReply), ("t", .recategorise), ("x", .noReply),
      ("o", .reopen),
      ("w", .watch), ("s", .snooze), ("e", .escalate), ("N", .note), ("v", .selectMode),
      ("<Space>", .toggleMark),
      ("f", .filter), ("/", .search), ("?", .help), ("q", .quit), ("<Esc>", .back), ("<C-c>", .quit),
    ]
    for (notation, command) in expected {
      #expect(table.command(for: KeyChord(notation: notation)!, in: .queue) == command, "\(notation)")
    }
  }

  @Test("text prompts take letters as text, not as commands")
  func prompts() {
    let table = InboxKeys.table(Strings(.en))
    #expect(table.command(for: .char("q"), in: .prompt(.note)) == nil)
    #expect(table.command(for: KeyChord(.enter), in: .prompt(.note)) == .submit)
  }

  @Test("every UI string exists in English and Dutch")
  func strings() {
    // The clock column's header is blank on purpose (its glyphs speak for themselves).
    for key in UIText.allCases {
      #expect(Strings(.en)[key].isEmpty == (key == .headerClock), "\(key) en")
      #expect(Strings(.nl)[key].isEmpty == (key == .headerClock), "\(key) nl")
    }
    #expect(UILanguage.fromEnvironment(["LANG": "nl_NL.UTF-8"]) == .nl)
    #expect(UILanguage.fromEnvironment(["LANG": "C.UTF-8"]) == .en)
    #expect(UILanguage.fromEnvironment(["LC_ALL": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"]) == .en)
  }
}
