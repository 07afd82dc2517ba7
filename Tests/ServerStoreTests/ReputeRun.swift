import Foundation

/// A run of the `repute` built beside the tests, on a pinned clock, with `REPUTE_STORE` and the
/// machine's `PG*` variables taken out (a test passes its own) and no input.
struct ReputeRun {
  var status: Int32
  var stdout: String
  var stderr: String
  var all: String { stdout + stderr }

  /// Runs `repute arguments` with `environment` on top of the cleaned one.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ReputeRun {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var binary = folder.appendingPathComponent("repute").path
    for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: binary) {
      folder = folder.deletingLastPathComponent()
      binary = folder.appendingPathComponent("repute").path
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("PG") && $0.key != "REPUTE_STORE"
    }
    env["REPUTE_NOW"] = "2026-11-24T12:00:00Z"
    env["HOME"] = NSTemporaryDirectory()
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ReputeRun(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}
