import Foundation

/// Closing a mention without a reply (S7, S8): which reasons a category may be closed with.
///
/// A category with a list must close with one of its reasons (so the figures can say why it got
/// no answer); a category without one takes a reason in the responder's own words. By default a
/// complaint and a question, which are owed an answer (S12), take a listed reason; praise,
/// self-praise, neutral and unfounded mentions may close freely (S3, S5, S8).
public struct Closing: Sendable, Hashable {
  /// The reasons per category that must close with a listed one.
  public var noReplyReasons: [Category: [String]]

  /// The reasons a complaint or a question may be closed with by default.
  public static let defaultReasons = ["handled offline (S7)", "duplicate", "spam", "not about us"]

  public init(
    noReplyReasons: [Category: [String]] = [
      .complaint: Closing.defaultReasons, .question: Closing.defaultReasons,
    ]
  ) {
    self.noReplyReasons = noReplyReasons
  }

  /// The reasons a mention of this category may be closed with; nil when any reason will do.
  public func reasons(for category: Category?) -> [String]? {
    guard let category, let list = noReplyReasons[category], !list.isEmpty else { return nil }
    return list
  }

  /// The listed reason `text` stands for: a number from 1, a reason itself (without regard to
  /// case), or the start of exactly one reason; nil when it stands for none. Any non-empty text
  /// when the category takes a free reason.
  public func reason(_ text: String, for category: Category?) -> String? {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard !t.isEmpty else { return nil }
    guard let list = reasons(for: category) else { return t }
    if let n = Int(t), list.indices.contains(n - 1) { return list[n - 1] }
    let lower = t.lowercased()
    if let exact = list.first(where: { $0.lowercased() == lower }) { return exact }
    let started = list.filter { $0.lowercased().hasPrefix(lower) }
    return started.count == 1 ? started[0] : nil
  }
}
