import Foundation
import TOMLKit

/// A view that ships with the policy (`[[views]]`, issue 16): a name, the filter as a person
/// would type it in the inbox's `f` prompt, and the position `1`–`9` that is its key. A store
/// without saved views shows these; a view saved in the store with the same name wins.
///
/// The filter's words are the inbox's (Desk's `FilterWords`), which this module does not know:
/// `repute policy check` and `apply` check them (`ViewCatalog.check`), with the line.
public struct PolicyView: Sendable, Hashable {
  public var name: String
  public var filter: String
  public var position: Int

  public init(name: String, filter: String, position: Int) {
    self.name = name
    self.filter = filter
    self.position = position
  }

  /// The default policy's views: the responder's own work, Dutch complaints, and what is
  /// escalated. Press is no category (it is an escalation reason, `legal_or_press`): the
  /// escalated mentions are where press ends up.
  public static let defaults = [
    PolicyView(name: "Mijn werk", filter: "mine", position: 1),
    PolicyView(name: "Klachten NL", filter: "category:complaint lang:nl", position: 2),
    PolicyView(name: "Escalaties", filter: "escalated", position: 3),
  ]
}

extension PolicyReader {
  /// `[[views]]`: the views shipped with the policy, replacing the default list; a name (case
  /// aside) and a position at most once.
  mutating func readViews(_ list: [(TOMLTable, String)], into p: inout PolicyConfig) {
    p.views = []
    var names: Set<String> = []
    var positions: Set<Int> = []
    for (t, path) in list {
      checkKeys(t, path, ["name", "filter", "position"])
      guard let name = string(t, "name", path), let filter = string(t, "filter", path),
        let position = int(t, "position", path, min: 1)
      else {
        for key in ["name", "filter", "position"] where t[key] == nil {
          fail(path, "'\(path)' needs '\(key)'")
        }
        continue
      }
      let trimmed = name.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.count > 32
        || trimmed.unicodeScalars.contains(where: {
          $0.properties.generalCategory == .control
        })
      {
        fail(path + ".name", "view name \"\(name)\" must be 1 to 32 printable characters")
        continue
      }
      if position > 9 {
        fail(path + ".position", "'\(path).position' must be 1 to 9 (the key that opens it), not \(position)")
        continue
      }
      if !names.insert(trimmed.lowercased()).inserted {
        fail(path + ".name", "view name '\(trimmed)' is used twice")
      }
      if !positions.insert(position).inserted {
        fail(path + ".position", "view position \(position) is used twice")
      }
      p.views.append(PolicyView(name: trimmed, filter: filter, position: position))
    }
  }
}

extension PolicyFile {
  /// `[[views]]`: the views every inbox starts with, or `views = []` (written at the top, where
  /// TOML wants a plain key) for none.
  static func writeViews(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    guard !p.views.isEmpty else { return }
    o.comment("Views the team switches between with the keys 1-9 (position), each a filter as typed")
    o.comment("in the inbox's f prompt. A view saved in the store with the same name wins.")
    for v in p.views.sorted(by: { $0.position < $1.position }) {
      o.arrayHeader("views")
      o.set("name", .string(v.name))
      o.set("filter", .string(v.filter))
      o.set("position", .int(v.position))
    }
    o.blank()
  }

  /// No views at all: a plain key, before the first table.
  static func writeNoViews(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    guard p.views.isEmpty else { return }
    o.comment("No views ship with this policy (the keys 1-9 open only views saved in the store).")
    o.set("views", .strings([]))
    o.blank()
  }
}
