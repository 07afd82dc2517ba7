import Foundation

/// Whether a store's file is whole: every page read and checked, so that nothing is written into
/// a damaged store (where a write could spread the damage).
///
/// The full check reads the whole store, which costs far more than a small write: a batch of 50
/// mentions into 200,000 paid 0.1–0.3 s of CPU for it. So writers ask for it only when it is due
/// (`verifyIfDue`); `repute check` asks for it at once.
public protocol IntegrityStore {
  /// Reads every page; throws `InboxError.storeUnavailable` naming the damage. Returns the number
  /// of pages checked. A store that can be written remembers when it was last found whole.
  @discardableResult func verify() throws -> Int

  /// The full check when the last one that found the store whole is older than `every` (by the
  /// store's clock), was never made, or lies in the future; nothing otherwise. True when it ran.
  @discardableResult func verifyIfDue(every: TimeInterval) throws -> Bool
}

extension IntegrityStore {
  /// How long a check that found the store whole stands for the writers: ten minutes.
  public static var verifyInterval: TimeInterval { 600 }
}
