import Foundation

/// A saved view (issue 16): a name the team knows a filter by, at a position `1`–`9` that is its
/// key in the inbox. The filter is kept as the person typed it, so `mine` means whoever opens the
/// view, and a word the filter language learns later is read by the Repute that reads it.
public struct SavedView: Sendable, Hashable {
  public var name: String
  public var filter: String
  public var position: Int
  /// Who saved it; nil for a view of the policy's.
  public var createdBy: String?
  public var updatedAt: Date?

  public init(name: String, filter: String, position: Int, createdBy: String? = nil, updatedAt: Date? = nil) {
    self.name = name
    self.filter = filter
    self.position = position
    self.createdBy = createdBy
    self.updatedAt = updatedAt
  }

  /// Names compare without case (`Pers` is `pers`), in every script, not only ASCII.
  public static func key(_ name: String) -> String { name.lowercased() }

  /// The positions a view may take: the keys `1`–`9`.
  public static let positions = 1...9
}

/// Why saving, renaming or deleting a view was refused.
public enum ViewError: Error, CustomStringConvertible, Equatable {
  case noSuchView(String)
  case nameTaken(String)
  case positionTaken(Int, by: String)
  case noFreePosition
  case badPosition(Int)
  case badName(String)
  /// Changing a view someone else saved is a supervisor's (see docs/DECISIONS.md).
  case notYours(String, createdBy: String)
  /// A view of the policy's only: the policy file is where it goes.
  case policyView(String)

  public var description: String {
    switch self {
    case .noSuchView(let name): return "no view named '\(name)'"
    case .nameTaken(let name): return "a view named '\(name)' exists already"
    case .positionTaken(let n, let name): return "position \(n) is the view '\(name)''s"
    case .noFreePosition: return "all nine positions hold a view: give --position to replace one's name"
    case .badPosition(let n): return "position \(n) is not one of 1–9"
    case .badName(let name): return "'\(name)' is no name for a view: a name is 1 to 32 printable characters"
    case .notYours(let name, let by):
      return "the view '\(name)' was saved by \(by): only they or a supervisor change it"
    case .policyView(let name):
      return "the view '\(name)' comes with the policy: a supervisor changes it in the policy file"
    }
  }
}

/// The team's saved views as a store keeps them; every change is an event (`view_save`,
/// `view_rename`, `view_delete`) in the audit trail.
public protocol ViewStore: Sendable {
  /// The views saved in the store, by position.
  func savedViews() throws -> [SavedView]
  /// Saves a view, or changes the one with that name (case aside). Saving over a view another
  /// person saved takes `mayChangeOthers` (a supervisor).
  func saveView(_ view: SavedView, actor: String, mayChangeOthers: Bool) throws
  /// Renames a saved view.
  func renameView(_ name: String, to newName: String, actor: String, mayChangeOthers: Bool) throws
  /// Deletes a saved view; a view of the policy's with that name shows again.
  func deleteView(_ name: String, actor: String, mayChangeOthers: Bool) throws
}
