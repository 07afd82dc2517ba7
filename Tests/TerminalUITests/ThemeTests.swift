import Testing

@testable import TerminalUI

@Suite("Themes and colours")
struct ThemeTests {
  @Test("a role falls back one dotted segment at a time")
  func fallback() {
    var theme = Theme(name: "t")
    theme[.ui] = Style(fg: .ansi(7))
    theme[.queue] = Style(fg: .ansi(2))
    #expect(theme[.queueSelected] == Style(fg: .ansi(2)))
    #expect(theme[.uiStatuslineError] == Style(fg: .ansi(7)))
    theme[.uiStatusline] = Style(bg: .ansi(4))
    #expect(theme[.uiStatuslineError] == Style(bg: .ansi(4)))
    #expect(theme[.detailHeading] == Style(fg: .ansi(7)))
    #expect(Theme(name: "empty")[.queueOverdue] == .plain)
    #expect(ThemeRole.queueSelected.fallbackChain == [.queueSelected, .queue, .ui])
  }

  @Test("every role's chain ends in ui and every parent is a role")
  func chains() {
    for role in ThemeRole.allCases {
      #expect(role.fallbackChain.last == .ui)
      let dots = role.rawValue.filter { $0 == "." }.count
      #expect(
        role.fallbackChain.count == (role == .ui ? 1 : role.rawValue.hasPrefix("ui.") ? dots + 1 : dots + 2))
    }
  }

  @Test("roles follow the inbox's clock and category names")
  func roleNames() {
    for clock in ["cooling", "on_time", "due_soon", "overdue", "none"] {
      #expect(ThemeRole(rawValue: "queue." + clock) != nil)
    }
    for category in [
      "praise", "self_praise", "question", "complaint", "misinformation", "unfounded", "neutral",
    ] {
      #expect(ThemeRole(rawValue: "category." + category) != nil)
    }
  }

  @Test("building from parsed values resolves palette names, colours and modifiers")
  func build() throws {
    let theme = try Theme.build(
      name: "custom", palette: ["accent": "#5fafff", "bg": "black"],
      roles: [
        "ui": ThemeStyleSpec(fg: "white"),
        "queue.selected": ThemeStyleSpec(fg: "bg", bg: "accent", modifiers: ["bold", "Reverse"]),
        "queue.overdue": ThemeStyleSpec(fg: "196"),
      ])
    #expect(
      theme[.queueSelected] == Style(fg: .ansi(0), bg: .rgb(0x5f, 0xaf, 0xff), attributes: [.bold, .reverse]))
    #expect(theme[.queueOverdue].fg == .indexed(196))
    #expect(theme[.queueCooling] == Style(fg: .ansi(7)))
  }

  @Test("building reports the key of a bad entry")
  func buildErrors() {
    #expect(throws: ThemeError.unknownRole(key: "queue.selcted")) {
      try Theme.build(name: "x", roles: ["queue.selcted": ThemeStyleSpec(fg: "red")])
    }
    #expect(throws: ThemeError.badColor(key: "ui", value: "#12345")) {
      try Theme.build(name: "x", roles: ["ui": ThemeStyleSpec(fg: "#12345")])
    }
    #expect(throws: ThemeError.badColor(key: "palette.accent", value: "blurple")) {
      try Theme.build(name: "x", palette: ["accent": "blurple"], roles: [:])
    }
    #expect(throws: ThemeError.unknownModifier(key: "help", value: "blink")) {
      try Theme.build(name: "x", roles: ["help": ThemeStyleSpec(modifiers: ["blink"])])
    }
  }

  @Test(
    "colour names parse",
    arguments: [
      ("red", Color.ansi(1)), ("bright-blue", .ansi(12)), ("light_green", .ansi(10)), ("grey", .ansi(8)),
      ("#FF8000", .rgb(255, 128, 0)), ("42", .indexed(42)), ("default", .default),
    ])
  func colourNames(text: String, expected: Color) {
    #expect(Color(parsing: text) == expected)
  }

  @Test("bad colour names do not parse", arguments: ["", "#fff", "#gggggg", "256", "purpleish"])
  func badColourNames(text: String) {
    #expect(Color(parsing: text) == nil)
  }

  @Test("rgb reduces to the nearest cube or grey colour")
  func reduce256() {
    #expect(Color.rgb(255, 0, 0).reduced(to: .indexed256) == .indexed(196))
    #expect(Color.rgb(0x5f, 0xaf, 0xff).reduced(to: .indexed256) == .indexed(75))
    #expect(Color.rgb(128, 128, 128).reduced(to: .indexed256) == .indexed(244))
    #expect(Color.rgb(0, 0, 0).reduced(to: .indexed256) == .indexed(16))
    #expect(Color.rgb(1, 2, 3).reduced(to: .trueColor) == .rgb(1, 2, 3))
  }

  @Test("reduction to 16 and 8 colours picks the nearest ANSI colour")
  func reduceAnsi() {
    #expect(Color.rgb(250, 10, 10).reduced(to: .ansi16) == .ansi(9))
    #expect(Color.rgb(250, 10, 10).reduced(to: .ansi8) == .ansi(1))
    #expect(Color.indexed(196).reduced(to: .ansi16) == .ansi(9))
    #expect(Color.indexed(4).reduced(to: .ansi16) == .ansi(4))
    #expect(Color.ansi(12).reduced(to: .ansi8) == .ansi(4))
    #expect(Color.rgb(20, 20, 20).reduced(to: .ansi8) == .ansi(0))
    #expect(Color.default.reduced(to: .ansi8) == .default)
  }

  @Test("monochrome keeps attributes and turns a background into reverse video")
  func monochrome() {
    let selected = Style(fg: .ansi(0), bg: .rgb(1, 2, 3), attributes: .bold)
    #expect(selected.reduced(to: .monochrome) == Style(attributes: [.bold, .reverse]))
    #expect(
      Style(fg: .ansi(1), attributes: .underline).reduced(to: .monochrome) == Style(attributes: .underline))
    let mono = Theme.monochrome
    #expect(mono[.queueSelected].attributes.contains(.reverse))
    #expect(mono[.uiStatusline].attributes.contains(.reverse))
    for role in ThemeRole.allCases {
      #expect(mono[role].fg == .default && mono[role].bg == .default)
    }
  }

  @Test("the standard theme tells selected, overdue and plain rows apart at every depth")
  func standardAtEveryDepth() {
    for depth in ColorDepth.allCases {
      let theme = Theme.standard.reduced(to: depth)
      #expect(theme[.queueSelected] != theme[.queue], "\(depth)")
      #expect(theme[.queueOverdue] != theme[.queue], "\(depth)")
    }
  }

  @Test("colour depth from the number of colours")
  func depth() {
    #expect(ColorDepth(colors: 0) == .monochrome)
    #expect(ColorDepth(colors: 8) == .ansi8)
    #expect(ColorDepth(colors: 16) == .ansi16)
    #expect(ColorDepth(colors: 256) == .indexed256)
    #expect(ColorDepth(colors: 1 << 24) == .trueColor)
  }
}
