/// Durations as people write them in a policy file: `90s`, `10m`, `1h30m`, `2d`, `0`.
public enum DurationText {
  /// Parses a duration; nil when the text is not one.
  public static func parse(_ text: String) -> Duration? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    if t == "0" { return .zero }
    var total = 0
    var number: Int?
    var sawUnit = false
    var lastUnitRank = Int.max
    for ch in t {
      if let d = ch.wholeNumberValue, ch.isASCII {
        let n = (number ?? 0) * 10 + d
        guard n < 1_000_000 else { return nil }
        number = n
        continue
      }
      guard let n = number else { return nil }
      let (seconds, rank): (Int, Int)
      switch ch {
      case "d": (seconds, rank) = (86_400, 4)
      case "h": (seconds, rank) = (3_600, 3)
      case "m": (seconds, rank) = (60, 2)
      case "s": (seconds, rank) = (1, 1)
      default: return nil
      }
      // Units must go from large to small, each once: "1h30m", not "30m1h".
      guard rank < lastUnitRank else { return nil }
      lastUnitRank = rank
      total += n * seconds
      number = nil
      sawUnit = true
    }
    guard sawUnit, number == nil else { return nil }
    return .seconds(total)
  }

  /// The shortest canonical text: `1h30m`, `10m`, `0`.
  public static func format(_ d: Duration) -> String {
    var s = Int(d.components.seconds)
    if s == 0 { return "0" }
    var out = ""
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where s >= size {
      out += String(s / size) + unit
      s %= size
    }
    return out
  }
}
