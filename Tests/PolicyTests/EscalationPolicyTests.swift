import Foundation
import Testing

@testable import Policy

@Suite("Escalation policy, four eyes and the team bio")
struct EscalationPolicyTests {
  let rules = EscalationRules(PolicyConfig.default.escalation)

  @Test("S8 and the arrival rules")
  func arrival() {
    #expect(
      rules.onArrival(category: .unfounded, followers: 10, escalationWords: [], muted: false) == [
        .unfoundedAccusation
      ])
    #expect(
      rules.onArrival(category: .complaint, followers: 10_000, escalationWords: ["advocaat"], muted: false)
        == [.legalOrPress, .highReach])
    #expect(
      rules.onArrival(category: .praise, followers: 1_000_000, escalationWords: [], muted: false).isEmpty)
    #expect(
      rules.onArrival(category: .unfounded, followers: nil, escalationWords: ["pers"], muted: true).isEmpty)
  }

  @Test("repeat complainer and volume rise thresholds")
  func thresholds() {
    #expect(rules.isRepeatComplainer(category: .complaint, complaintsInWindow: 3))
    #expect(!rules.isRepeatComplainer(category: .complaint, complaintsInWindow: 2))
    #expect(!rules.isRepeatComplainer(category: .question, complaintsInWindow: 9))
    #expect(rules.isVolumeRise(lastHour: 30, sameHourBefore: [10, 10, 10]))
    #expect(!rules.isVolumeRise(lastHour: 29, sameHourBefore: [10, 10, 10]))
    // A quiet hour (usually 0) needs volume_minimum, not 3 × 0.
    #expect(!rules.isVolumeRise(lastHour: 9, sameHourBefore: [0, 0]))
    #expect(rules.isVolumeRise(lastHour: 10, sameHourBefore: [0, 0]))
  }

  @Test("four eyes: by reason (legal, press) by default, and by category when chosen")
  func fourEyes() {
    #expect(rules.needsApproval(category: .complaint, reasons: [.legalOrPress]))
    #expect(!rules.needsApproval(category: .complaint, reasons: [.highReach]))
    var p = PolicyConfig.default.escalation
    p.approvalCategories = [.misinformation]
    #expect(EscalationRules(p).needsApproval(category: .misinformation, reasons: []))
  }

  @Test("the escalation keys read back from the rendered file, errors with their line")
  func file() throws {
    var p = PolicyConfig.default
    p.escalation.repeatComplaints = 4
    p.escalation.repeatWindow = .seconds(3 * 86_400)
    p.escalation.overdueAfter = nil
    p.escalation.volumeFactor = 2.5
    p.escalation.volumeMinimum = 20
    p.escalation.volumeDays = 14
    p.escalation.approvalCategories = [.misinformation, .unfounded]
    p.escalation.approvalReasons = [.legalOrPress, .highReach]
    let text = PolicyFile.render(p)
    #expect(text.contains(#"overdue_after = "none""#))
    #expect(try PolicyFile.parse(text: text, path: "p.toml") == p)
    do {
      _ = try PolicyFile.parse(
        text: """
          [escalation]
          high_reach = 500
          approval_reasons = ["legal_or_press", "gossip"]
          volume_factor = 0.5
          """, path: "p.toml")
      Issue.record("bad keys were accepted")
    } catch {
      #expect(
        error.issues.map(\.description) == [
          "p.toml:3: unknown escalation reason 'gossip' in escalation.approval_reasons; expected one of: "
            + EscalationReason.allCases.map(\.rawValue).joined(separator: ", "),
          "p.toml:4: 'escalation.volume_factor' must be a number of at least 1 (e.g. 3 or 2.5)",
        ])
    }
  }

  @Test("S15: the bio names the responders, the signature and the service hours")
  func bio() {
    var p = PolicyConfig.default
    p.team = [
      TeamMember(name: "Anna de Vries", login: "anna"), TeamMember(name: "Bram", login: "bram"),
      TeamMember(name: "Sam", login: "sam", role: .supervisor),
    ]
    p.serviceHours = ServiceHours(
      timeZone: TimeZone(identifier: "Europe/Amsterdam")!,
      week: [
        .monday: [Shift("08:00-17:00")!], .tuesday: [Shift("08:00-17:00")!],
        .wednesday: [Shift("08:00-17:00")!],
        .thursday: [Shift("08:00-17:00")!], .friday: [Shift("08:00-17:00")!],
        .saturday: [Shift("10:00-14:00")!],
      ])
    #expect(
      TeamBio.render(p, lang: "nl")
        == "Hier helpen Anna en Bram je verder. We ondertekenen met onze naam (– Anna). Bereikbaar ma–vr 08:00–17:00, za 10:00–14:00 (Europe/Amsterdam)."
    )
    #expect(
      TeamBio.render(p, lang: "en")
        == "Anna and Bram help you here. We sign with our own names (– Anna). Available Mon–Fri 08:00–17:00, Sat 10:00–14:00 (Europe/Amsterdam)."
    )
    p.team = []
    p.serviceHours = nil
    p.organisation.names = ["Spoorlijn"]
    #expect(
      TeamBio.render(p, lang: "nl")
        == "Hier helpt het webcareteam van Spoorlijn je verder. Dag en nacht bereikbaar.")
  }
}
