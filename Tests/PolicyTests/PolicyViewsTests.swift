import Foundation
import Testing

@testable import Policy

/// The views that ship with the policy (`[[views]]`, issue 16).
@Suite("Policy views")
struct PolicyViewsTests {
  @Test("the default policy ships three views on positions 1–3, and they survive render and parse")
  func defaults() throws {
    #expect(PolicyConfig.default.views.map(\.name) == ["Mijn werk", "Klachten NL", "Escalaties"])
    let text = PolicyFile.render(.default)
    #expect(text.contains("[[views]]"))
    #expect(try PolicyFile.parse(text: text, path: "p.toml").views == PolicyView.defaults)
  }

  @Test("a file without [[views]] keeps the defaults, views = [] has none, and a list replaces them")
  func replace() throws {
    #expect(try PolicyFile.parse(text: "", path: "p.toml").views == PolicyView.defaults)
    let none = try PolicyFile.parse(text: "views = []\n", path: "p.toml")
    #expect(none.views.isEmpty)
    #expect(try PolicyFile.parse(text: PolicyFile.render(none), path: "p.toml").views.isEmpty)
    let own = try PolicyFile.parse(
      text: """
        [[views]]
        name = "Pers"
        filter = "escalated"
        position = 4
        """, path: "p.toml")
    #expect(own.views == [PolicyView(name: "Pers", filter: "escalated", position: 4)])
    #expect(try PolicyFile.parse(text: PolicyFile.render(own), path: "p.toml") == own)
  }

  static let badViews: [(String, Int, String)] = [
    ("[[views]]\nname = \"A\"\nfilter = \"mine\"\nposition = 10\n", 4, "must be 1 to 9"),
    ("[[views]]\nname = \"A\"\nfilter = \"mine\"\nposition = 0\n", 4, "must be at least 1"),
    ("[[views]]\nname = \"A\"\nfilter = \"mine\"\n", 1, "needs 'position'"),
    (
      "[[views]]\nname = \"A\"\nfilter = \"mine\"\nposition = 1\nkey = \"1\"\n", 5,
      "unknown key 'views[0].key'"
    ),
    (
      "[[views]]\nname = \"A\"\nfilter = \"mine\"\nposition = 1\n[[views]]\nname = \"a\"\nfilter = \"x\"\nposition = 2\n",
      6, "used twice"
    ),
    ("[[views]]\nname = \"\"\nfilter = \"mine\"\nposition = 1\n", 2, "1 to 32 printable characters"),
  ]

  @Test("a bad view is refused at its line", arguments: badViews)
  func errors(text: String, line: Int, message: String) {
    do {
      _ = try PolicyFile.parse(text: text, path: "policy.toml")
      Issue.record("expected an error for \(text)")
    } catch {
      let first = error.issues.first!
      #expect(first.line == line, "\(error)")
      #expect(first.message.contains(message), "\(error)")
    }
  }
}
