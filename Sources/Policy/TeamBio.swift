import Foundation

/// The profile line that introduces the responders to followers (S15), from the roster and the
/// service hours, in Dutch or English: who answers, how they sign (S16) and when they are there.
public enum TeamBio {
  /// The bio in `lang` (`nl` or `en`; anything else is English).
  public static func render(_ policy: PolicyConfig, lang: String) -> String {
    let nl = lang == "nl"
    let responders = policy.team.filter { $0.role == .responder }
    let people = (responders.isEmpty ? policy.team : responders).map(\.firstName)
    var parts: [String] = []
    let organisation = policy.organisation.names.first
    if people.isEmpty {
      parts.append(
        nl
          ? "Hier helpt het webcareteam\(organisation.map { " van \($0)" } ?? "") je verder."
          : "The \(organisation.map { "\($0) " } ?? "")webcare team helps you here.")
    } else {
      let names = list(people, and: nl ? "en" : "and")
      parts.append(
        nl ? "Hier helpen \(names) je verder." : "\(names) help\(people.count == 1 ? "s" : "") you here.")
      if let first = (responders.first ?? policy.team.first) {
        let example = Signature.text(for: first, policy: policy)
        parts.append(
          nl ? "We ondertekenen met onze naam (\(example))." : "We sign with our own names (\(example)).")
      }
    }
    parts.append(hours(policy.serviceHours, nl: nl))
    return parts.joined(separator: " ")
  }

  /// "Anna, Bram en Sam".
  static func list(_ names: [String], and: String) -> String {
    if names.count <= 1 { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " \(and) " + names.last!
  }

  /// "Bereikbaar ma–vr 08:00–17:00, za 10:00–14:00." Consecutive days with the same shifts are one range.
  static func hours(_ hours: ServiceHours?, nl: Bool) -> String {
    guard let hours else { return nl ? "Dag en nacht bereikbaar." : "Here around the clock." }
    let short =
      nl
      ? ["ma", "di", "wo", "do", "vr", "za", "zo"] : ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    let days = Weekday.allCases
    var groups: [(from: Int, to: Int, shifts: [Shift])] = []
    for (i, day) in days.enumerated() {
      let shifts = hours.shifts(on: day)
      if shifts.isEmpty { continue }
      if let last = groups.last, last.to == i - 1, last.shifts == shifts {
        groups[groups.count - 1].to = i
      } else {
        groups.append((i, i, shifts))
      }
    }
    let text = groups.map { g in
      let span = g.from == g.to ? short[g.from] : "\(short[g.from])–\(short[g.to])"
      let times = g.shifts.map { "\($0.start)–\($0.end)" }.joined(separator: nl ? " en " : " and ")
      return "\(span) \(times)"
    }.joined(separator: ", ")
    let zone = hours.timeZone.identifier
    return nl ? "Bereikbaar \(text) (\(zone))." : "Available \(text) (\(zone))."
  }
}
