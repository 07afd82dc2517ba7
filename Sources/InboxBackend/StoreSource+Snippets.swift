import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import Store

/// The snippets on the store: the editor's library and the supervisor's proposals, through
/// the rules `repute snippets` uses (SnippetDesk).
extension StoreSource {
  var snippetDesk: SnippetDesk { SnippetDesk(store: store, policy: policy) }

  /// The approved snippets, for the editor's picker.
  public func approvedSnippets() throws -> [Snippet] {
    try store.snippets(statuses: [.approved], lang: nil)
  }

  public func saveSnippet(mentionID: Int64, title: String, body: String, actor: String) throws -> Snippet {
    guard let mention = try store.mention(id: mentionID) else { throw ActionError.noSuchMention(mentionID) }
    return try snippetDesk.add(
      title: title, lang: ReplyRules.language(of: mention), body: body, actor: actor, from: mention)
  }

  /// The supervisor's actions on a proposed snippet.
  func superviseSnippet(_ action: SupervisorAction, actor: String) throws -> String? {
    switch action {
    case .approveSnippet(let id):
      _ = try snippetDesk.approve(id: id, actor: actor)
      return strings[SnippetText.approved]
    case .rejectSnippet(let id, let note):
      _ = try snippetDesk.reject(id: id, note: note, actor: actor)
      return strings[SnippetText.rejected]
    default:
      return nil
    }
  }
}
