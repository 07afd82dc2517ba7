import Foundation
import InboxUI

/// Opens a post's link with `$BROWSER`, else `xdg-open`, started without a shell and not waited
/// for; the browser's output goes to /dev/null so it cannot draw over the inbox.
struct SystemLinkOpener: LinkOpener {
  var environment: [String: String] = ProcessInfo.processInfo.environment

  /// The argv that opens `url`, nil when neither `$BROWSER` nor `xdg-open` is found.
  ///
  /// `$BROWSER` is a `:`-separated list of commands, each split on spaces (never given to a
  /// shell); an argument `%s` is the link, else the link comes last. The first command found on
  /// `PATH` (or given as a path) is used.
  func command(for url: String) -> [String]? {
    let browsers = (environment["BROWSER"] ?? "").split(separator: ":").map {
      $0.split(separator: " ").map(String.init)
    }
    for words in browsers + [["xdg-open"]] {
      guard let name = words.first, let path = executable(name) else { continue }
      let rest = words.dropFirst()
      let arguments = rest.contains("%s") ? rest.map { $0 == "%s" ? url : $0 } : rest + [url]
      return [path] + arguments
    }
    return nil
  }

  /// `name` as an executable file: a path as given, else the first match on `PATH`.
  func executable(_ name: String) -> String? {
    let manager = FileManager.default
    if name.contains("/") { return manager.isExecutableFile(atPath: name) ? name : nil }
    for folder in (environment["PATH"] ?? "").split(separator: ":") {
      let path = "\(folder)/\(name)"
      if manager.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  func open(_ link: PostLink) -> LinkOpening {
    guard let argv = command(for: link.url) else { return .unavailable }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: argv[0])
    process.arguments = Array(argv.dropFirst())
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
      return .opened
    } catch {
      return .failed("\(argv[0]): \(error.localizedDescription)")
    }
  }
}
