import Foundation
import Inbox
import Policy

/// Saving, renaming and deleting the team's views with the rules both the inbox and `repute
/// views` keep (see docs/DECISIONS.md, "Saved views"): anyone on the team saves a new view; a
/// view someone else saved is changed by a supervisor; the policy's views are changed in the
/// policy file, or, by a supervisor, overridden by saving one with the same name.
public struct ViewDesk: Sendable {
  public let store: any ViewStore
  public let policy: PolicyConfig

  public init(store: any ViewStore, policy: PolicyConfig) {
    self.store = store
    self.policy = policy
  }

  /// The views the team sees now.
  public func catalog() throws -> ViewCatalog {
    ViewCatalog(saved: try store.savedViews(), policy: policy.views)
  }

  /// A supervisor on the roster; with no roster (one person's store), anyone.
  public func mayChangeOthers(_ actor: String) -> Bool {
    policy.team.isEmpty || policy.team.first { $0.name == actor }?.role == .supervisor
  }

  /// Saves `filter` as the view `name` (changing the view of that name, case aside), at
  /// `position`, else where the view is, else at the lowest free position; returns it as saved.
  @discardableResult
  public func save(name: String, filter: String, position: Int?, actor: String) throws -> SavedView {
    let catalog = try catalog()
    let existing = catalog.view(named: name)
    let mayChange = mayChangeOthers(actor)
    if let existing, existing.createdBy == nil, !mayChange { throw ViewError.policyView(existing.name) }
    guard let at = position ?? existing?.position ?? catalog.freePosition else {
      throw ViewError.noFreePosition
    }
    if let holder = catalog.view(at: at), SavedView.key(holder.name) != SavedView.key(name) {
      throw ViewError.positionTaken(at, by: holder.name)
    }
    let view = SavedView(name: name.trimmingCharacters(in: .whitespaces), filter: filter, position: at)
    try store.saveView(view, actor: actor, mayChangeOthers: mayChange)
    return view
  }

  /// Renames a saved view; a view of the policy's keeps its name (its file names it).
  public func rename(_ name: String, to newName: String, actor: String) throws {
    let catalog = try catalog()
    if let view = catalog.view(named: name), view.createdBy == nil { throw ViewError.policyView(view.name) }
    if let other = catalog.view(named: newName), SavedView.key(other.name) != SavedView.key(name) {
      throw ViewError.nameTaken(other.name)
    }
    try store.renameView(name, to: newName, actor: actor, mayChangeOthers: mayChangeOthers(actor))
  }

  /// Deletes a saved view; a view of the policy's with the same name shows again.
  public func delete(_ name: String, actor: String) throws {
    let saved = try store.savedViews()
    if !saved.contains(where: { SavedView.key($0.name) == SavedView.key(name) }),
      let view = ViewCatalog(saved: saved, policy: policy.views).view(named: name)
    {
      throw ViewError.policyView(view.name)
    }
    try store.deleteView(name, actor: actor, mayChangeOthers: mayChangeOthers(actor))
  }
}
