import Foundation
import Inbox
import Policy

/// The views a team sees (issue 16): those saved in the store, then the policy's whose name and
/// position no saved view has. One list for the inbox's keys `1`–`9`, its status line,
/// `repute views` and `repute list --view`, so they always agree.
public struct ViewCatalog: Sendable, Hashable {
  /// By position; at most one per position and per name (case aside).
  public var views: [SavedView]

  public init(saved: [SavedView], policy: [PolicyView]) {
    var all = saved.sorted { $0.position < $1.position }
    let names = Set(saved.map { SavedView.key($0.name) })
    let positions = Set(saved.map(\.position))
    for view in policy where !names.contains(SavedView.key(view.name)) && !positions.contains(view.position) {
      all.append(SavedView(name: view.name, filter: view.filter, position: view.position))
    }
    views = all.sorted { $0.position < $1.position }
  }

  /// The view with this name, case aside.
  public func view(named name: String) -> SavedView? {
    let key = SavedView.key(name.trimmingCharacters(in: .whitespaces))
    return views.first { SavedView.key($0.name) == key }
  }

  /// The view at a position (its key).
  public func view(at position: Int) -> SavedView? { views.first { $0.position == position } }

  /// The lowest position no view holds.
  public var freePosition: Int? { SavedView.positions.first { p in !views.contains { $0.position == p } } }

  /// The view's filter read for `me` (who `mine` means) and the roster's names, or the words it
  /// does not know.
  public static func filter(_ view: SavedView, me: String?, timeZone: TimeZone, team: [TeamMember] = []) -> (
    filter: QueueFilter, unknown: [String]
  ) {
    FilterWords.parse(view.filter, me: me, timeZone: timeZone, team: team)
  }

  /// The words of a filter no view may keep (checked with a stand-in for `mine`).
  public static func unknownWords(_ filter: String) -> [String] {
    FilterWords.parse(filter, me: "someone", timeZone: TimeZone(identifier: "UTC")!).unknown
  }

  /// The policy's views whose filters have words the filter language does not know, each at its
  /// line in `text` (the file the policy was read from).
  public static func check(_ policy: PolicyConfig, text: String, path: String) -> [PolicyFileIssue] {
    let locator = TOMLKeyLocator(text: text)
    var issues: [PolicyFileIssue] = []
    // The reader keeps the file's order: the n-th view read is `views[n]`.
    for (index, view) in policy.views.enumerated() {
      let unknown = unknownWords(view.filter)
      guard !unknown.isEmpty else { continue }
      issues.append(
        PolicyFileIssue(
          path: path, line: locator.line(of: "views[\(index)].filter"),
          message:
            "view '\(view.name)': unknown filter word: \(unknown.joined(separator: " ")) (the words: \(FilterWords.hint(.en)))"
        ))
    }
    return issues
  }
}
