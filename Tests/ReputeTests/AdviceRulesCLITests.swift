import Foundation
import Testing

/// The rules held at the moment of acting, through the binary (issue 14): replying against the
/// advice (S8, S5, S4) needs `--override REASON`, which the audit trail keeps; a reply that
/// confirms a rumour is refused (S4); a holding reply does not wait for the cooling-off (S11, S12);
/// a Dutch correction quotes Dutch facts. On a store file and on PostgreSQL alike (issue 18).
@Suite struct AdviceRulesCLITests {
  /// The demo's store, seeded at the pinned moment, and its mentions' ids by external id.
  func demo(_ kind: CLIKind) throws -> (CLIStore, [String: Int]) {
    let dir = try CLIStore.demo(kind)
    let listed = try dir.run(nil, ["list", "--json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    var ids: [String: Int] = [:]
    for line in listed.lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if let external = object["external_id"] as? String, let id = object["id"] as? Int { ids[external] = id }
    }
    return (dir, ids)
  }

  func reply(_ dir: CLIStore, _ id: Int?, _ arguments: [String], environment: [String: String] = [:]) throws
    -> ReputeProcess.Result
  {
    try dir.run("Anna", ["reply", String(id ?? -1)] + arguments, environment: environment)
  }

  /// The audit trail of a mention as JSON objects.
  func log(_ dir: CLIStore, _ id: Int?) throws -> [[String: Any]] {
    let listed = try dir.run(nil, ["log", "--json", "--mention", String(id ?? -1)])
    #expect(listed.status == 0, "\(listed.stderr)")
    return listed.lines.compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  @Test(arguments: CLIStores.kinds) func anUnfoundedAccusationNeedsAnOverrideWithAReasonAndTheTrailKeepsIt(
    kind: CLIKind
  ) throws {
    let (dir, ids) = try demo(kind)
    let angry = ids["demo-5"]
    for extra in [[], ["--yes"]] {
      let refused = try reply(
        dir, angry, ["--text", "We hear you. Could you tell us what happened?"] + extra)
      #expect(refused.status == 1, "\(extra): \(refused.stdout)")
      #expect(refused.stderr.contains("S8"), "\(refused.stderr)")
      #expect(refused.stderr.contains("--override"), "\(refused.stderr)")
      #expect(refused.stdout.isEmpty)
    }
    let sent = try reply(
      dir, angry,
      [
        "--text", "We hear you. Could you tell us what happened?", "--override",
        "Management asked us to answer",
      ])
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(sent.stderr.contains("S8"), "\(sent.stderr)")
    let override = try #require(
      try log(dir, angry).first { $0["action"] as? String == "reply_against_advice" })
    #expect(override["actor"] as? String == "Anna")
    let detail = try #require(override["detail"] as? [String: Any])
    #expect(detail["rule"] as? String == "S8")
    #expect(detail["reason"] as? String == "Management asked us to answer")
    #expect(detail["outbox_id"] as? Int == Int(sent.lines.first ?? ""))
    let text = try dir.run(nil, ["log", "--mention", String(angry ?? -1)])
    #expect(text.stdout.contains("reply_against_advice"), "\(text.stdout)")
  }

  @Test(arguments: CLIStores.kinds) func staffPraiseNeedsAnOverrideS5(kind: CLIKind) throws {
    let (dir, ids) = try demo(kind)
    let refused = try reply(dir, ids["demo-6"], ["--text", "Dank je Eva, mooi gezegd!", "--yes"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("S5"), "\(refused.stderr)")
    let empty = try reply(dir, ids["demo-6"], ["--text", "Dank je Eva, mooi gezegd!", "--override", "  "])
    #expect(empty.status != 0, "an empty reason is no reason")
    let sent = try reply(
      dir, ids["demo-6"], ["--text", "Dank je Eva, mooi gezegd!", "--override", "Internal campaign", "--yes"])
    #expect(sent.status == 0, "\(sent.stderr)")
  }

  @Test(arguments: CLIStores.kinds)
  func praiseRepeatingARumourNeedsAnOverrideAndConfirmingTheRumourIsBlockedS4(kind: CLIKind) throws {
    let (dir, ids) = try demo(kind)
    let fan = ids["demo-11"]
    let confirm = try reply(dir, fan, ["--text", "Ja, de loketten gaan dicht"])
    #expect(confirm.status == 1)
    #expect(confirm.stderr.contains("S4"), "\(confirm.stderr)")
    // Even with a reason and --yes: a reply that confirms what is wrong never goes out (S4).
    let forced = try reply(dir, fan, ["--text", "Ja, de loketten gaan dicht", "--override", "Fan", "--yes"])
    #expect(forced.status == 1)
    #expect(forced.stderr.contains("blocking S4 confirms_rumour"), "\(forced.stderr)")
    let correcting = try reply(
      dir, fan,
      [
        "--text", "Dank je! Een kleine correctie: de loketten gaan niet dicht, ze blijven in 2027 open.",
        "--override", "Correct the rumour kindly", "--yes",
      ])
    #expect(correcting.status == 0, "\(correcting.stderr)")
  }

  @Test(arguments: CLIStores.kinds) func aDutchCorrectionQuotesDutchFactsAndAnEnglishOneIsFlagged(
    kind: CLIKind
  ) throws {
    let (dir, ids) = try demo(kind)
    let claim = ids["demo-8"]
    let shown = try dir.run(nil, ["show", String(claim ?? -1)])
    #expect(shown.stdout.contains("De prijzen gaan op 1 januari met 2,9% omhoog"), "\(shown.stdout)")
    // What came out before: the Dutch template with the English facts, sent without a question.
    let later = ["REPUTE_NOW": "2026-11-24T14:00:00Z"]
    let mixed = try reply(
      dir, claim,
      [
        "--text",
        "Hoi Nieuwsjager, dank voor het delen. Wat er precies klopt: Fares rise by 2.9% on 1 January, not 30%. Meer informatie: https://spoorlijn.example/tarieven-2027",
      ], environment: later)
    #expect(mixed.status == 1)
    // The findings are in the mention's language on the command line: "in het Engels".
    #expect(mixed.stderr.contains("S13") && mixed.stderr.contains("Engels"), "\(mixed.stderr)")
    // The template as filled in, unchanged: impersonal (S13).
    let unchanged = try reply(
      dir, claim,
      [
        "--text",
        "Hoi Nieuwsjager, dank voor het delen. Wat er precies klopt: De prijzen gaan op 1 januari met 2,9% omhoog, niet met 30%. Meer informatie: https://spoorlijn.example/tarieven-2027",
      ], environment: later)
    #expect(unchanged.status == 1)
    #expect(unchanged.stderr.contains("S13"), "\(unchanged.stderr)")
    #expect(unchanged.stderr.contains("misinformation.nl"), "\(unchanged.stderr)")
  }

  @Test(arguments: CLIStores.kinds) func aHoldingReplyDoesNotWaitForTheCoolingOffButAnAnswerDoes(
    kind: CLIKind
  ) throws {
    let (dir, ids) = try demo(kind)
    // Jeroen asked a minute ago: the question's two-minute cooling-off still runs (S11).
    let text =
      "Hoi Jeroen, we hebben je vraag doorgezet naar de dienstregeling en laten het je vandaag weten."
    let answer = try reply(dir, ids["demo-12"], ["--text", text])
    #expect(answer.status == 1)
    #expect(answer.stderr.contains("S11"), "\(answer.stderr)")
    let holding = try reply(dir, ids["demo-12"], ["--holding", "--text", text])
    #expect(holding.status == 0, "\(holding.stderr)")
    #expect(!holding.stderr.contains("S11"), "\(holding.stderr)")
  }
}
