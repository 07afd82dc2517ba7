/// The platforms Repute knows, in one place: what the formats read, what the courier and the
/// length checks know, and the names listening tools' CSV exports give their sources.
///
/// A record naming another platform is refused at ingest: the platform is shown in every list
/// and decides delivery, so a made-up name (or one carrying escape sequences) has no place in it.
public enum KnownPlatform {
  /// The names stored, in the order the README lists them.
  public static let names: [String] = [
    "mastodon", "bluesky", "x", "rss", "csv", "forum", "blog", "news", "review", "facebook", "instagram",
    "threads", "linkedin", "reddit", "youtube", "tiktok",
  ]

  /// Other names for a known platform, stored under the known one (`twitter` is `x`).
  public static let aliases: [String: String] = ["twitter": "x"]

  private static let known = Set(names)

  /// The stored name for `name` (any case, an alias taken as its platform), or nil when unknown.
  public static func canonical(_ name: String) -> String? {
    let lower = name.lowercased()
    if known.contains(lower) { return lower }
    return aliases[lower]
  }

  /// The reason a record with an unknown platform is refused, with the known names.
  public static func refusal(_ name: String) -> String {
    "unknown platform \"\(TerminalSafe.sanitize(String(name.prefix(60))))\" (known: \(names.joined(separator: ", ")))"
  }
}
