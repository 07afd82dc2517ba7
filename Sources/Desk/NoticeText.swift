import Foundation
import Inbox
import Policy

/// A notice as one line a person reads, in English or Dutch: the inbox's notice line and list,
/// and `repute notices`. Names and notes are made terminal-safe here.
public enum NoticeText {
  public static func line(_ n: Notice, _ language: UILanguage) -> String {
    let id = n.mentionID.map { "#\($0)" } ?? "#?"
    let who = TerminalSafe.sanitize(n.actor ?? "")
    let handle = n.handle.map { "@" + TerminalSafe.sanitize($0) }
    let on = handle.map { "\(id) (\($0))" } ?? id
    let note = n.note.map { ": " + TerminalSafe.sanitize($0) } ?? ""
    let author = handle ?? id
    switch (n.kind, language) {
    case (.assigned, .en): return "\(who) assigned \(on) to you"
    case (.assigned, .nl): return "\(who) heeft \(on) aan je toegewezen"
    case (.approved, .en): return "\(who) approved your reply on \(on)"
    case (.approved, .nl): return "\(who) keurde je reactie op \(on) goed"
    case (.sentBack, .en): return "\(who) sent your reply on \(on) back\(note)"
    case (.sentBack, .nl): return "\(who) stuurde je reactie op \(on) terug\(note)"
    case (.delivered, .en): return "your reply on \(on) was delivered"
    case (.delivered, .nl): return "je reactie op \(on) is afgeleverd"
    case (.deliveryFailed, .en): return "your reply on \(on) could not be delivered\(note)"
    case (.deliveryFailed, .nl): return "je reactie op \(on) kon niet worden afgeleverd\(note)"
    case (.threadReply, .en): return "\(author) wrote in a thread you replied to (\(id))"
    case (.threadReply, .nl): return "\(author) schreef in een gesprek waarop je reageerde (\(id))"
    case (.watchedPosted, .en): return "\(author), whom you watch, posted again (\(id))"
    case (.watchedPosted, .nl): return "\(author), die je volgt, postte opnieuw (\(id))"
    }
  }

  /// "1 notice", "3 notices"; "1 melding", "3 meldingen".
  public static func count(_ n: Int, _ language: UILanguage) -> String {
    switch language {
    case .en: return n == 1 ? "1 notice" : "\(n) notices"
    case .nl: return n == 1 ? "1 melding" : "\(n) meldingen"
    }
  }
}
