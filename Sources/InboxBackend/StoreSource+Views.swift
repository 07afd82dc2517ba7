import Desk
import Foundation
import Inbox
import InboxUI

/// The team's saved views on the store, with the rules `repute views` keeps (`ViewDesk`).
extension StoreSource: ViewSource {
  var viewDesk: ViewDesk { ViewDesk(store: store, policy: policy) }

  public func views() throws -> [SavedView] { try viewDesk.catalog().views }

  public func saveView(name: String, filter: String, actor: String) throws -> SavedView {
    try viewDesk.save(name: name, filter: filter, position: nil, actor: actor)
  }

  public func renameView(_ name: String, to newName: String, actor: String) throws {
    try viewDesk.rename(name, to: newName, actor: actor)
  }

  public func deleteView(_ name: String, actor: String) throws {
    try viewDesk.delete(name, actor: actor)
  }

  public func countViewsNext(_ filters: [QueueFilter]) {
    viewsToCount.withLock { $0 = filters }
  }
}
