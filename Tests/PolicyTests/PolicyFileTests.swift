import Foundation
import Testing

@testable import Policy

@Suite("Policy file (S1)")
struct PolicyFileTests {
  @Test("render(default) parses back to the default policy")
  func roundTripDefault() throws {
    let text = PolicyFile.render(.default)
    let parsed = try PolicyFile.parse(text: text, path: "default.toml")
    #expect(parsed == PolicyConfig.default)
    #expect(text.contains("# "))
  }

  @Test("[closing]: a shared list, a category's own, an empty one lets it close freely")
  func closing() throws {
    let text = """
      [closing]
      no_reply_reasons = ["phoned", "duplicate"]
      [closing.misinformation]
      no_reply_reasons = ["already corrected"]
      [closing.question]
      no_reply_reasons = []
      """
    let p = try PolicyFile.parse(text: text, path: "p.toml")
    #expect(p.closing.reasons(for: .complaint) == ["phoned", "duplicate"])
    #expect(p.closing.reasons(for: .misinformation) == ["already corrected"])
    #expect(p.closing.reasons(for: .question) == nil)
    #expect(p.closing.reasons(for: .praise) == nil)
    #expect(p.closing.reason("2", for: .complaint) == "duplicate")
    #expect(p.closing.reason("ph", for: .complaint) == "phoned")
    #expect(p.closing.reason("te druk", for: .complaint) == nil)
    #expect(p.closing.reason("te druk", for: .praise) == "te druk")
    #expect(try PolicyFile.parse(text: PolicyFile.render(p), path: "p.toml") == p)
  }

  @Test("a custom policy survives render and parse")
  func roundTripCustom() throws {
    var p = PolicyConfig.default
    p.organisation.names = ["Acme", "Acme \"Air\""]
    p.organisation.accounts = ["x": ["acme", "acme_help"], "mastodon": ["@acme@mastodon.social"]]
    p.team = [
      TeamMember(name: "Anna de Vries", login: "anna"),
      TeamMember(name: "Bram Jansen", initials: "BJ", login: "bram", role: .supervisor),
    ]
    p.serviceHours?.holidays = [LocalDate(year: 2026, month: 12, day: 25)]
    p.serviceHours?.week[.sunday] = [Shift("12:00-16:00")!]
    p.windows[.praise] = ResponseWindow(coolingOff: .seconds(0), firstResponse: .seconds(86400))
    p.windows[.misinformation] = nil
    p.rumours = [
      Rumour(
        id: "free-tickets", patterns: ["gratis ticket*", "\"free tickets\""], facts: "No free tickets.",
        sources: ["https://acme.example/scam"])
    ]
    p.staffAccounts = ["@jan_acme"]
    p.noise = Noise(mutedWords: ["giveaway"], mutedAuthors: ["spambot"])
    p.signature = SignatureFormat(format: "^{initials}", separator: " ")
    p.escalation.highReach = 5000
    p.templates.append(
      Template(id: "praise.de", kind: .category(.praise), lang: "de", text: "Danke!\nTschüss"))
    let parsed = try PolicyFile.parse(text: PolicyFile.render(p), path: "p.toml")
    #expect(parsed == p)
    #expect(parsed.fingerprint == p.fingerprint)
    #expect(parsed.fingerprint != PolicyConfig.default.fingerprint)
  }

  /// FIPS 180-4's vectors and runs of "a" across the padding edges (55, 56, 63, 64, 119 and 120
  /// bytes: one or two blocks), and a million "a".
  @Test(
    "SHA-256 gives the standard vectors across the padding edges",
    arguments: [
      ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
      ),
      (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
      (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
      (String(repeating: "a", count: 63), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
      (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
      (
        String(repeating: "a", count: 119), "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"
      ),
      (
        String(repeating: "a", count: 120), "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"
      ),
      (
        String(repeating: "a", count: 1_000_000),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
      ),
    ])
  func sha256(_ message: String, _ digest: String) {
    #expect(Fingerprint.sha256Hex(Array(message.utf8)) == digest)
  }

  @Test("the fingerprint is stable SHA-256 of the canonical text")
  func fingerprint() {
    #expect(
      PolicyConfig.default.fingerprint == Fingerprint.sha256Hex(Array(PolicyFile.render(.default).utf8)))
    #expect(PolicyConfig.default.fingerprint == PolicyConfig.default.fingerprint)
    #expect(PolicyConfig.default.fingerprint.count == 64)
  }

  @Test("keys left out keep their defaults")
  func partialFile() throws {
    let p = try PolicyFile.parse(
      text: """
        [organisation]
        names = ["Acme"]

        [windows.complaint]
        first_response = "30m"
        """, path: "p.toml")
    #expect(p.organisation.names == ["Acme"])
    #expect(p.windows[.complaint]?.firstResponse == .seconds(1800))
    #expect(p.windows[.complaint]?.coolingOff == .seconds(600))
    #expect(p.windows[.question] == PolicyConfig.default.windows[.question])
    #expect(p.templates == PolicyConfig.default.templates)
  }

  static let badFiles: [(String, Int, String)] = [
    ("[organisation]\nnames = [\"A\"]\nnmes = 3\n", 3, "unknown key 'organisation.nmes'"),
    ("colour = 1\n", 1, "unknown key 'colour'"),
    ("[service_hours]\ntime_zone = \"Mars/Olympus\"\n", 2, "unknown time zone"),
    ("[service_hours]\nmonday = [\"08:00-12:00\", \"13:00-25:00\"]\n", 2, "bad shift \"13:00-25:00\""),
    ("[windows.complaint]\ncooling_off = \"ten minutes\"\n", 2, "bad duration"),
    ("[windows.complain]\nfirst_response = \"1h\"\n", 1, "unknown category 'complain'"),
    ("[[team]]\nname = \"Anna\"\nlogin = \"anna\"\nrole = \"boss\"\n", 4, "unknown role 'boss'"),
    ("[[team]]\nname = \"Anna\"\nlogin = 7\n", 3, "must be a string, not integer"),
    (
      "[[rumours]]\nid = \"x\"\npatterns = [\"ok\", \"\\\"open\"]\nfacts = \"f\"\nsources = []\n", 3,
      "bad pattern"
    ),
    (
      "[[rumours]]\nid = \"x\"\npatterns = [\"a\"]\nfacts = \"f\"\nsources = [\"ftp://x\"]\n", 5,
      "not an http(s) link"
    ),
    ("[signature]\nformat = \"– {voornaam}\"\n", 2, "unknown placeholder"),
    ("[[templates]]\nid = \"t\"\nkind = \"praises\"\nlang = \"nl\"\ntext = \"x\"\n", 3, "unknown kind"),
    ("[tone]\nmax_exclamations = \"two\"\n", 2, "must be an integer"),
    ("[escalation.words]\nNL = [\"advocaat\"]\n", 2, "not a valid language code"),
    ("[windows.question]\ncooling_off = \"2h\"\n", 2, "must be shorter than"),
    ("[holidays]\n", 1, "unknown key 'holidays'"),
    ("[closing]\nreasons = [\"spam\"]\n", 2, "unknown key 'closing.reasons'"),
    ("[closing.complaint]\nno_reply_reasons = [\"spam\", \"Spam\"]\n", 2, "listed twice"),
    ("[closing.praise]\nno_reply_reasons = [\" \"]\n", 2, "is empty"),
    ("[organisation\nnames = []\n", 1, "expected"),
  ]

  @Test("errors name FILE:LINE and what is wrong", arguments: badFiles)
  func errors(text: String, line: Int, message: String) {
    do {
      _ = try PolicyFile.parse(text: text, path: "policy.toml")
      Issue.record("expected an error for \(text)")
    } catch {
      let first = error.issues.first!
      #expect(first.line == line, "\(error)")
      #expect(first.description.hasPrefix("policy.toml:\(line): "))
      #expect(first.message.contains(message), "\(error)")
    }
  }

  @Test("all errors are reported, in line order")
  func manyErrors() {
    let text = """
      [organisation]
      nmes = ["A"]

      [[team]]
      name = "Anna"
      login = "anna"
      role = "boss"

      [service_hours]
      time_zone = "Nowhere"
      """
    do {
      _ = try PolicyFile.parse(text: text, path: "f.toml")
      Issue.record("expected errors")
    } catch {
      #expect(error.issues.map(\.line) == [2, 7, 10])
      #expect(error.description.split(separator: "\n").count == 3)
    }
  }

  @Test("the key locator finds dotted keys, arrays of tables and multi-line arrays")
  func locator() {
    let text = """
      # comment
      a.b = 1
      [x]
      y = \"\"\"
      multi
      line = 3
      \"\"\"
      z = [
        "one",
        { k = 2 },
      ]
      [[t]]
      n = 1
      [[t]]
      n = 2
      [t.sub]
      q = 1
      """
    let loc = TOMLKeyLocator(text: text)
    #expect(loc.line(of: "a.b") == 2)
    #expect(loc.line(of: "x.y") == 4)
    #expect(loc.lines["x.line"] == nil)
    #expect(loc.line(of: "x.z[1]") == 10)
    #expect(loc.line(of: "x.z[1].k") == 10)
    #expect(loc.line(of: "t[1].n") == 15)
    #expect(loc.line(of: "t[1].sub.q") == 17)
    #expect(loc.line(of: "t[0].missing") == 12)
  }

  @Test(
    "durations read and print",
    arguments: [("90s", 90), ("10m", 600), ("1h30m", 5400), ("2d", 172_800), ("0", 0)])
  func durations(text: String, seconds: Int) {
    #expect(DurationText.parse(text) == .seconds(seconds))
    #expect(DurationText.parse(DurationText.format(.seconds(seconds))) == .seconds(seconds))
  }

  @Test("bad durations are rejected", arguments: ["", "10", "m", "30m1h", "1x", "-5m", "1h 1h"])
  func badDurations(text: String) {
    #expect(DurationText.parse(text) == nil)
  }
}
