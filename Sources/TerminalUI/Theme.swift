/// A semantic role a theme gives a style to, named with dots (`queue.selected`).
///
/// The names after a dot match the raw values of the inbox's enums (`queue.due_soon`,
/// `category.self_praise`), so a pane can look a role up as `ThemeRole(rawValue: "queue." + clock.rawValue)`.
/// A role the theme leaves out falls back one segment at a time: `queue.selected` → `queue` → `ui`.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
  /// Everything, at the bottom of every fallback chain.
  case ui
  /// The status line at the bottom (or top) of the screen.
  case uiStatusline = "ui.statusline"
  /// An error shown in the status line (a broken theme file, a failed save).
  case uiStatuslineError = "ui.statusline.error"
  /// Pane titles.
  case uiTitle = "ui.title"
  /// Lines between panes.
  case uiBorder = "ui.border"
  /// Hints and secondary text.
  case uiHint = "ui.hint"
  /// Errors outside the status line.
  case uiError = "ui.error"
  /// The visible placeholder for a control character or escape sequence in outside text.
  case uiPlaceholder = "ui.placeholder"
  /// A prompt or input line (search, filter, note).
  case uiPrompt = "ui.prompt"
  /// The queue pane.
  case queue
  /// The queue's column headings.
  case queueHeader = "queue.header"
  /// The selected row.
  case queueSelected = "queue.selected"
  /// Rows marked for a bulk action.
  case queueMarked = "queue.marked"
  /// The "claimed by" column.
  case queueClaimed = "queue.claimed"
  /// Mentions that arrived since the responder last looked.
  case queueNew = "queue.new"
  /// Clock: in the cooling-off window.
  case queueCooling = "queue.cooling"
  /// Clock: on time.
  case queueOnTime = "queue.on_time"
  /// Clock: due soon.
  case queueDueSoon = "queue.due_soon"
  /// Clock: overdue.
  case queueOverdue = "queue.overdue"
  /// Clock: nothing due.
  case queueNone = "queue.none"
  /// Category labels.
  case category
  /// Category: praise.
  case categoryPraise = "category.praise"
  /// Category: self-praise by staff.
  case categorySelfPraise = "category.self_praise"
  /// Category: question.
  case categoryQuestion = "category.question"
  /// Category: complaint.
  case categoryComplaint = "category.complaint"
  /// Category: misinformation.
  case categoryMisinformation = "category.misinformation"
  /// Category: unfounded accusation.
  case categoryUnfounded = "category.unfounded"
  /// Category: neutral.
  case categoryNeutral = "category.neutral"
  /// The detail pane.
  case detail
  /// Section headings in the detail pane.
  case detailHeading = "detail.heading"
  /// Author, platform, dates.
  case detailMeta = "detail.meta"
  /// The thread around the mention.
  case detailThread = "detail.thread"
  /// The policy's advice.
  case detailAdvice = "detail.advice"
  /// Rule ids (S1–S16).
  case detailRule = "detail.rule"
  /// Internal notes.
  case detailNote = "detail.note"
  /// The event history.
  case detailHistory = "detail.history"
  /// The reply editor.
  case editor
  /// The signature line ("– Anna").
  case editorSignature = "editor.signature"
  /// The cursor when drawn by the app.
  case editorCursor = "editor.cursor"
  /// The length counter.
  case editorCounter = "editor.counter"
  /// The length counter over the platform's limit.
  case editorOverLimit = "editor.over_limit"
  /// Reply-check findings.
  case finding
  /// A finding that blocks sending.
  case findingBlocking = "finding.blocking"
  /// A finding worth a second look.
  case findingWarning = "finding.warning"
  /// An informational finding.
  case findingInfo = "finding.info"
  /// The help screen.
  case help
  /// Help section headings.
  case helpHeading = "help.heading"
  /// Keys in the help screen.
  case helpKey = "help.key"
  /// The supervisor's escalation pane.
  case escalation
  /// Headings in the escalation pane.
  case escalationHeading = "escalation.heading"
  /// The reason a mention was escalated.
  case escalationReason = "escalation.reason"
  /// Watched authors.
  case escalationWatched = "escalation.watched"
  /// Team figures.
  case escalationFigure = "escalation.figure"

  /// The role this one falls back to: the name without its last segment, `ui` for top-level
  /// roles, nil for `ui`.
  public var parent: ThemeRole? {
    if self == .ui { return nil }
    guard let dot = rawValue.lastIndex(of: ".") else { return .ui }
    return ThemeRole(rawValue: String(rawValue[..<dot])) ?? .ui
  }

  /// This role and its fallbacks, most specific first (`queue.selected`, `queue`, `ui`).
  public var fallbackChain: [ThemeRole] {
    var chain = [self]
    while let next = chain.last!.parent { chain.append(next) }
    return chain
  }
}

/// A role's style as a theme file writes it, before colours are resolved.
public struct ThemeStyleSpec: Hashable, Sendable {
  /// A palette name, ANSI name, `#rrggbb` or index; nil leaves the colour unset.
  public var fg: String?
  /// Same as `fg`, for the background.
  public var bg: String?
  /// Attribute names: `bold`, `dim`, `reverse`, `underline`, `italic`.
  public var modifiers: [String]

  /// A spec.
  public init(fg: String? = nil, bg: String? = nil, modifiers: [String] = []) {
    self.fg = fg
    self.bg = bg
    self.modifiers = modifiers
  }
}

/// What is wrong with a theme's values; `key` names the entry so a loader can find its line.
public enum ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A role name that is not a `ThemeRole`.
  case unknownRole(key: String)
  /// A colour that is neither a palette name, an ANSI name, `#rrggbb` nor an index.
  case badColor(key: String, value: String)
  /// A modifier that is not an attribute name.
  case unknownModifier(key: String, value: String)

  /// The dotted key the error is about (`queue.selected`, `palette.accent`).
  public var key: String {
    switch self {
    case .unknownRole(let key), .badColor(let key, _), .unknownModifier(let key, _): return key
    }
  }

  public var description: String {
    switch self {
    case .unknownRole(let key): return "unknown role \"\(key)\""
    case .badColor(let key, let value): return "\(key): not a colour: \"\(value)\""
    case .unknownModifier(let key, let value): return "\(key): unknown modifier \"\(value)\""
    }
  }
}

/// Styles for semantic roles, with Helix-style fallback and reduction to the terminal's colours.
public struct Theme: Hashable, Sendable {
  /// The theme's name (`default`, `light`, a file name).
  public var name: String
  private var styles: [ThemeRole: Style]

  /// A theme giving `styles` to roles; roles left out fall back to their parents.
  public init(name: String, styles: [ThemeRole: Style] = [:]) {
    self.name = name
    self.styles = styles
  }

  /// The style for `role`, falling back one segment at a time; plain when nothing is set.
  public subscript(role: ThemeRole) -> Style {
    get {
      for candidate in role.fallbackChain {
        if let style = styles[candidate] { return style }
      }
      return .plain
    }
    set { styles[role] = newValue }
  }

  /// The style set for exactly `role`, without fallback.
  public func definedStyle(for role: ThemeRole) -> Style? { styles[role] }

  /// This theme as a terminal of `depth` shows it (see `Style.reduced(to:)`).
  public func reduced(to depth: ColorDepth) -> Theme {
    Theme(name: name, styles: styles.mapValues { $0.reduced(to: depth) })
  }

  /// Builds a theme from already-parsed values: a palette of named colours and role specs.
  ///
  /// Colours in roles may name palette entries; palette entries may not name each other.
  /// Every error names its key (`queue.selected`, `palette.accent`), for a `FILE:LINE` message.
  public static func build(
    name: String, palette: [String: String] = [:], roles: [String: ThemeStyleSpec]
  ) throws(ThemeError) -> Theme {
    var colours: [String: Color] = [:]
    for (key, value) in palette {
      guard let colour = Color(parsing: value) else { throw .badColor(key: "palette.\(key)", value: value) }
      colours[key] = colour
    }
    func colour(_ value: String?, key: String) throws(ThemeError) -> Color {
      guard let value else { return .default }
      if let named = colours[value] { return named }
      guard let parsed = Color(parsing: value) else { throw .badColor(key: key, value: value) }
      return parsed
    }
    var styles: [ThemeRole: Style] = [:]
    // Sorted so the same broken file always reports the same first error.
    for (key, spec) in roles.sorted(by: { $0.key < $1.key }) {
      guard let role = ThemeRole(rawValue: key) else { throw .unknownRole(key: key) }
      var attributes: Attributes = []
      for modifier in spec.modifiers {
        guard let attribute = Attributes.names.first(where: { $0.0 == modifier.lowercased() })?.1 else {
          throw .unknownModifier(key: key, value: modifier)
        }
        attributes.insert(attribute)
      }
      styles[role] = Style(
        fg: try colour(spec.fg, key: key), bg: try colour(spec.bg, key: key), attributes: attributes)
    }
    return Theme(name: name, styles: styles)
  }

  /// The built-in dark theme: what the program uses when no theme file loads.
  public static let standard: Theme = {
    let accent = Color.rgb(0x5f, 0xaf, 0xff)
    return Theme(
      name: "default",
      styles: [
        .ui: Style(),
        .uiStatusline: Style(fg: .rgb(0xe4, 0xe4, 0xe4), bg: .rgb(0x30, 0x30, 0x30)),
        .uiStatuslineError: Style(fg: .rgb(0xff, 0xff, 0xff), bg: .rgb(0xaf, 0x00, 0x00), attributes: .bold),
        .uiTitle: Style(fg: accent, attributes: .bold),
        .uiBorder: Style(fg: .rgb(0x58, 0x58, 0x58)),
        .uiHint: Style(fg: .rgb(0x8a, 0x8a, 0x8a), attributes: .dim),
        .uiError: Style(fg: .rgb(0xff, 0x5f, 0x5f), attributes: .bold),
        .uiPlaceholder: Style(fg: .rgb(0xff, 0xaf, 0x00), attributes: .reverse),
        .uiPrompt: Style(fg: accent),
        .queueHeader: Style(fg: .rgb(0x8a, 0x8a, 0x8a), attributes: .underline),
        .queueSelected: Style(fg: .rgb(0x00, 0x00, 0x00), bg: accent, attributes: .bold),
        .queueMarked: Style(fg: .rgb(0xff, 0xd7, 0x00), attributes: .bold),
        .queueClaimed: Style(fg: .rgb(0xaf, 0x87, 0xff)),
        .queueNew: Style(attributes: .bold),
        .queueCooling: Style(fg: .rgb(0x5f, 0xaf, 0xaf)),
        .queueOnTime: Style(fg: .rgb(0x5f, 0xd7, 0x5f)),
        .queueDueSoon: Style(fg: .rgb(0xff, 0xaf, 0x00), attributes: .bold),
        .queueOverdue: Style(fg: .rgb(0xff, 0x5f, 0x5f), attributes: .bold),
        .queueNone: Style(fg: .rgb(0x8a, 0x8a, 0x8a)),
        .categoryPraise: Style(fg: .rgb(0x87, 0xd7, 0x87)),
        .categorySelfPraise: Style(fg: .rgb(0x87, 0xaf, 0xaf)),
        .categoryQuestion: Style(fg: .rgb(0x87, 0xaf, 0xff)),
        .categoryComplaint: Style(fg: .rgb(0xff, 0x87, 0x5f)),
        .categoryMisinformation: Style(fg: .rgb(0xff, 0xd7, 0x5f)),
        .categoryUnfounded: Style(fg: .rgb(0xd7, 0x87, 0xd7)),
        .categoryNeutral: Style(fg: .rgb(0x9e, 0x9e, 0x9e)),
        .detailHeading: Style(fg: accent, attributes: .bold),
        .detailMeta: Style(fg: .rgb(0xa8, 0xa8, 0xa8)),
        .detailAdvice: Style(fg: .rgb(0xd7, 0xd7, 0xaf)),
        .detailRule: Style(fg: .rgb(0xaf, 0x87, 0xff), attributes: .bold),
        .detailHistory: Style(fg: .rgb(0x8a, 0x8a, 0x8a)),
        .editorSignature: Style(fg: .rgb(0x87, 0xaf, 0xff), attributes: .italic),
        .editorCursor: Style(attributes: .reverse),
        .editorOverLimit: Style(fg: .rgb(0xff, 0x5f, 0x5f), attributes: .bold),
        .findingBlocking: Style(fg: .rgb(0xff, 0x5f, 0x5f), attributes: .bold),
        .findingWarning: Style(fg: .rgb(0xff, 0xaf, 0x00)),
        .findingInfo: Style(fg: .rgb(0x87, 0xaf, 0xff)),
        .helpHeading: Style(fg: accent, attributes: [.bold, .underline]),
        .helpKey: Style(fg: .rgb(0xff, 0xd7, 0x5f), attributes: .bold),
        .escalationHeading: Style(fg: .rgb(0xff, 0x87, 0x5f), attributes: .bold),
        .escalationReason: Style(fg: .rgb(0xff, 0xaf, 0x00)),
        .escalationWatched: Style(fg: .rgb(0xd7, 0x87, 0xd7)),
        .escalationFigure: Style(attributes: .bold),
      ])
  }()

  /// The built-in monochrome theme: attributes only, for `NO_COLOR` and colourless terminals.
  public static let monochrome: Theme = standard.reduced(to: .monochrome).renamed("mono")

  private func renamed(_ name: String) -> Theme { Theme(name: name, styles: styles) }
}
