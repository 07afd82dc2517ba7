import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the real `repute` binary, built beside the test bundle, as a person or a script would.
struct ReputeProcess {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] {
      stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
  }

  static var binary: String { binary(named: "repute") }

  /// A program built beside the test bundle: `repute`, or the developers' `repute-dev`.
  static func binary(named name: String) -> String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var candidate = bundle
    // On Linux the test runner sits beside the products; walk up if it is nested in a bundle.
    for _ in 0..<4 {
      let path = candidate.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
      candidate = candidate.deletingLastPathComponent()
    }
    return bundle.appendingPathComponent(name).path
  }

  /// A process running in the background, for tests that kill or race it.
  final class Running {
    let process: Process
    let out: URL
    let err: URL

    init(process: Process, out: URL, err: URL) {
      self.process = process
      self.out = out
      self.err = err
    }

    func wait() -> Result {
      process.waitUntilExit()
      return Result(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    func kill9() {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  /// The moment every run of the binary sees unless a test says otherwise: Tuesday 24 November
  /// 2026, 13:00 in Amsterdam, inside the default policy's service hours.
  static let pinnedNow = "2026-11-24T12:00:00Z"

  static func start(
    _ arguments: [String], stdin: String? = nil, stdinFile: String? = nil,
    environment: [String: String] = [:],
    in folder: String? = nil, program: String = "repute"
  ) throws -> Running {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary(named: program))
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    var env = ProcessInfo.processInfo.environment
    env["REPUTE_STORE"] = nil
    env["REPUTE_USER"] = nil
    // Pinned, so no test depends on the hour it runs at; a test that moves time passes its own.
    env["REPUTE_NOW"] = pinnedNow
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let tmp = FileManager.default.temporaryDirectory
    let out = tmp.appendingPathComponent("repute-out-\(UUID().uuidString)")
    let err = tmp.appendingPathComponent("repute-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    if let stdinFile {
      process.standardInput = FileHandle(forReadingAtPath: stdinFile)
    } else if let stdin {
      let input = tmp.appendingPathComponent("repute-in-\(UUID().uuidString)")
      _ = FileManager.default.createFile(atPath: input.path, contents: Data(stdin.utf8))
      process.standardInput = FileHandle(forReadingAtPath: input.path)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    return Running(process: process, out: out, err: err)
  }

  static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    in folder: String? = nil,
    program: String = "repute"
  ) throws -> Result {
    try start(arguments, stdin: stdin, environment: environment, in: folder, program: program).wait()
  }
}

/// The pinned moment as a store clock, for tests that open the store beside the binary.
let fixedClock = ReputeClock.fixed(RFC3339.parse(ReputeProcess.pinnedNow)!)

/// A temporary folder removed when the test ends.
final class TempFolder {
  let path: String
  init() {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("repute-cli-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }

  var store: String { path + "/store/repute.sqlite" }

  @discardableResult
  func write(_ name: String, _ content: String) -> String {
    let file = path + "/" + name
    _ = FileManager.default.createFile(atPath: file, contents: Data(content.utf8))
    return file
  }
}

func mentionLine(_ id: Int, text: String = "hello", platform: String = "x") -> String {
  #"{"platform":"\#(platform)","id":"\#(id)","author":{"handle":"user\#(id % 97)","followers":\#(id % 5000)},"created_at":"2026-11-24T09:30:00Z","text":"\#(text) \#(id)","lang":"en"}"#
}

/// Writes `count` generated mentions to a JSON Lines file.
func writeMentions(_ path: String, range: Range<Int>) {
  var text = ""
  text.reserveCapacity(range.count * 180)
  for i in range {
    text += mentionLine(i)
    text += "\n"
  }
  _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}
