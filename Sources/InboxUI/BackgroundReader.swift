import Desk
import Foundation
import Inbox

/// The inbox's thread for the store calls no key should wait for (issue 18: "the inbox's loop
/// stays responsive while the network is slow"): the selected mention's detail, the look after
/// others' commits (after a notification, and once a second: the change token, the feed, the
/// notices and the window's question in one call; the bare token for a source without a feed),
/// and the loop's timed chores (waking snoozes, the escalation rules). On the team's server each
/// is a round trip or more, and on a cut link a call waits out its whole limit; the loop hands
/// them here and goes on drawing and taking keys.
///
/// Only the newest detail request is read: one made while another is in hand replaces any still
/// waiting (moving down the queue fast reads the detail where the selection stops, not every row
/// passed). A result is taken once, on the loop's next pass (`take`, `takeToken`, `takeLook`). The
/// token and the look after others' commits are asked after the detail, the chores in turn after
/// them. The thread starts with the first request and ends with the reader (or
/// `stop()`); it holds the reader's state and the read, never the reader.
final class BackgroundReader: Sendable {
  /// A detail read: its mention and what came back (nil: the mention is gone).
  struct Done: Sendable {
    let id: Int64
    let result: Result<MentionDetail?, any Error>
  }

  private struct State {
    var wanted: (id: Int64, now: Date)?
    var tokenWanted = false
    var lookWanted: ChangeQuestion?
    var lookInHand = false
    var chores: [@Sendable () -> Void] = []
    /// When the call in hand began (wall clock; nil: none in hand), and whether it is a detail's.
    var busySince: Date?
    var detailInHand = false
    var done: Done?
    var token: Result<Int64, any Error>?
    var looked: (question: ChangeQuestion, answer: Result<ChangeLook, any Error>)?
    var started = false
    var stopping = false
  }

  private enum Job {
    case detail(Int64, Date)
    case token
    case look(ChangeQuestion)
    case chore(@Sendable () -> Void)
  }

  /// What the thread calls: the detail, the change token, and the look after others' commits
  /// (nil: the source keeps no change feed).
  struct Reads: Sendable {
    let detail: @Sendable (Int64, Date) throws -> MentionDetail?
    let token: @Sendable () throws -> Int64
    var look: (@Sendable (ChangeQuestion) throws -> ChangeLook)? = nil
  }

  private let state = Locked(State())
  private let reads: Reads

  /// `reads` run on the reader's thread: they must be safe to call beside the loop's own calls (a
  /// server store's bridge takes one call at a time).
  init(_ reads: Reads) {
    self.reads = reads
  }

  deinit {
    state.withLockWakingWaiters { $0.stopping = true }
  }

  /// Asks for the detail of mention `id`; replaces a request not yet begun.
  func request(_ id: Int64, now: Date) {
    submit { $0.wanted = (id, now) }
  }

  /// Asks for the store's change token (once, however often asked before it is read).
  func requestToken() {
    submit { $0.tokenWanted = true }
  }

  /// Asks the store's look (`ChangeFeedSource.look`); replaces a question not yet begun.
  func requestLook(_ question: ChangeQuestion) {
    submit { $0.lookWanted = question }
  }

  /// The last look's answer with its question, taken once.
  func takeLook() -> (question: ChangeQuestion, answer: Result<ChangeLook, any Error>)? {
    state.withLock { s in
      defer { s.looked = nil }
      return s.looked
    }
  }

  /// Runs `chore` on the reader's thread, after the detail asked for.
  func run(_ chore: @escaping @Sendable () -> Void) {
    submit { $0.chores.append(chore) }
  }

  private func submit(_ change: (inout State) -> Void) {
    let start = state.withLockWakingWaiters { s -> Bool in
      guard !s.stopping else { return false }
      change(&s)
      if s.started { return false }
      s.started = true
      return true
    }
    guard start else { return }
    let state = state
    let reads = reads
    Thread.detachNewThread { Self.run(state, reads) }
  }

  /// The newest finished read, taken once.
  func take() -> Done? {
    state.withLock { s in
      defer { s.done = nil }
      return s.done
    }
  }

  /// The change token last read, taken once.
  func takeToken() -> Result<Int64, any Error>? {
    state.withLock { s in
      defer { s.token = nil }
      return s.token
    }
  }

  /// How long the call in hand has been waiting at `time`, counted from `since` when it began
  /// before (nil: none in hand).
  func waiting(at time: Date, since: Date = .distantPast) -> TimeInterval? {
    state.current.busySince.map { time.timeIntervalSince(max($0, since)) }
  }

  /// Whether a detail or a look is asked for or in hand, or its result waits to be taken.
  var isBusy: Bool {
    let s = state.current
    return s.wanted != nil || s.detailInHand || s.done != nil || s.lookWanted != nil || s.lookInHand
      || s.looked != nil
  }

  /// Ends the thread after the call in hand; later requests are ignored.
  func stop() {
    state.withLockWakingWaiters { $0.stopping = true }
  }

  private static func run(_ state: Locked<State>, _ reads: Reads) {
    while let job = state.withLock(
      when: {
        $0.wanted != nil || $0.tokenWanted || $0.lookWanted != nil || !$0.chores.isEmpty || $0.stopping
      },
      { s -> Job? in
        if s.stopping { return nil }
        s.busySince = Date()
        if let wanted = s.wanted {
          s.wanted = nil
          s.detailInHand = true
          return .detail(wanted.id, wanted.now)
        }
        if s.tokenWanted {
          s.tokenWanted = false
          return .token
        }
        if let question = s.lookWanted {
          s.lookWanted = nil
          s.lookInHand = true
          return .look(question)
        }
        return .chore(s.chores.removeFirst())
      })
    {
      switch job {
      case .detail(let id, let time):
        let result = Result { try reads.detail(id, time) }
        state.withLock { s in
          s.busySince = nil
          s.detailInHand = false
          s.done = Done(id: id, result: result)
        }
      case .token:
        let result = Result { try reads.token() }
        state.withLock { s in
          s.busySince = nil
          s.token = result
        }
      case .look(let question):
        let answer = Result {
          guard let look = reads.look else { throw CancellationError() }
          return try look(question)
        }
        state.withLock { s in
          s.busySince = nil
          s.lookInHand = false
          s.looked = (question, answer)
        }
      case .chore(let chore):
        chore()
        state.withLock { $0.busySince = nil }
      }
    }
  }
}
