import Foundation

/// What an open person view follows of other processes' changes (issue 16). The change feed
/// names the mentions changed, not whose they are, and carries no note or link (those are not
/// on a mention): a store that keeps a feed answers these two small questions from its indexes.
public protocol PersonChangeSource: Sendable {
  /// The person's note and identities as one value that changes when either does.
  func personMark(of authorID: Int64) throws -> PersonMark
  /// Whether any of `ids`, or any mention with an id above `newAbove`, is by one of the
  /// person's identities.
  func touchesPerson(of authorID: Int64, ids: Set<Int64>, newAbove: Int64?) throws -> Bool
}

/// The person's note and linked identities, compared before and after a commit.
public struct PersonMark: Sendable, Hashable {
  public var identities: [Int64]
  public var note: PersonNote?

  public init(identities: [Int64], note: PersonNote?) {
    self.identities = identities
    self.note = note
  }
}
