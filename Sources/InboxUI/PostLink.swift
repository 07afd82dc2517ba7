import Foundation
import Inbox
import TerminalUI

/// A mention's link, checked: an http(s) address of printable ASCII only, so it can be handed to a
/// browser as one argument and shown or copied without a byte that could act on the terminal.
public struct PostLink: Hashable, Sendable {
  public let url: String

  /// Longer than this is not a post's address.
  public static let maxLength = 2048

  /// Nil when `raw` is not such a link (missing, another scheme, no host, spaces, control
  /// characters, escape sequences, non-ASCII).
  public init?(_ raw: String?) {
    guard let raw, !raw.isEmpty, raw.utf8.count <= Self.maxLength,
      raw.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
    else { return nil }
    guard let parts = URLComponents(string: raw), let scheme = parts.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty
    else { return nil }
    url = raw
  }
}

/// What became of asking the system to open a link.
public enum LinkOpening: Hashable, Sendable {
  case opened
  /// No way to open it here: neither `$BROWSER` nor `xdg-open`.
  case unavailable
  /// The browser could not be started; why.
  case failed(String)
}

/// Opens a link in the responder's browser; the executable's opener runs `$BROWSER` or
/// `xdg-open`, tests use a fake. Nil on the app: nothing can open links.
public protocol LinkOpener {
  func open(_ link: PostLink) -> LinkOpening
}

// `O`: open the selected post on its platform (issue 16).
extension InboxState {
  /// The selected mention's link to open, or why there is none.
  mutating func openPost() -> [InboxEffect] {
    guard let row = selectedRow else { return nothingSelected() }
    guard let raw = row.mention.url, !raw.isEmpty else {
      message = StatusMessage(strings[.postNoLink], isError: true)
      return []
    }
    guard let link = PostLink(raw) else {
      message = StatusMessage("\(strings[.postLinkRefused]): \(TerminalSafe.sanitize(raw))", isError: true)
      return []
    }
    return [.openLink(link)]
  }

  /// The link could not be opened: shown to copy by hand, and offered for OSC 52 when the
  /// terminal takes it.
  mutating func showLink(_ link: PostLink, reason: String, offerCopy: Bool) {
    let shown = TerminalSafe.sanitize(link.url)
    if offerCopy {
      pendingLink = link
      mode = .confirmCopy
      message = StatusMessage("\(reason): \(shown)  \(strings[.postCopyAsk])")
    } else {
      message = StatusMessage("\(reason): \(shown)")
    }
  }

  /// The answer to the copy question: `y` (or the Dutch `j`) copies, any other key does not.
  mutating func handleCopyKey(_ chord: KeyChord) -> [InboxEffect] {
    mode = baseMode
    guard let link = pendingLink else { return [] }
    pendingLink = nil
    if case .character(let c) = chord.key, chord.modifiers.isSubset(of: [.shift]), "yYjJ".contains(c) {
      message = StatusMessage(strings[.postCopied])
      return [.copyLink(link)]
    }
    message = StatusMessage("\(strings[.postNotCopied]): \(TerminalSafe.sanitize(link.url))")
    return []
  }
}

extension InboxApp {
  /// Hands the link to the opener; without one, or when it cannot, shows the link instead.
  func openLink(_ link: PostLink) {
    let reason: String
    switch linkOpener?.open(link) ?? .unavailable {
    case .opened:
      state.message = StatusMessage("\(state.strings[.postOpened]): \(TerminalSafe.sanitize(link.url))")
      return
    case .unavailable:
      reason = state.strings[.postLink]
    case .failed(let why):
      reason = "\(state.strings[.postOpenFailed]) (\(TerminalSafe.sanitize(why)))"
    }
    state.showLink(link, reason: reason, offerCopy: terminal.canCopyToClipboard)
  }
}
