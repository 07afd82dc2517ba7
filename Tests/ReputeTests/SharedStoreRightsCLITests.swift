import Foundation
import Store
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the binary as another user: root reads and writes through any mode, so rights and modes
/// are tested as `nobody` (uid 65534), in `group` when one is given.
func runAsNobody(
  _ arguments: [String], group: gid_t = 65534, environment: [String: String] = [:]
) throws -> ReputeProcess.Result {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
  process.arguments =
    ["--reuid=65534", "--regid=\(group)", "--clear-groups", "--", ReputeProcess.binary] + arguments
  var env = [
    "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "REPUTE_NOW": ReputeProcess.pinnedNow,
  ]
  for (k, v) in environment { env[k] = v }
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
  return ReputeProcess.Result(
    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: stderr, as: UTF8.self))
}

func mode(_ path: String) -> mode_t? {
  var info = stat()
  guard stat(path, &info) == 0 else { return nil }
  return info.st_mode & 0o7777
}

/// Who may do what on a shared store (issue 13): the policy in force before the change decides.
@Suite(.serialized) struct SharedStoreRightsCLITests {
  let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)

  func roster(nobodyIs role: String) -> String {
    """
    [[team]]
    name = "Sam"
    login = "\(me)"
    role = "supervisor"

    [[team]]
    name = "Nina"
    login = "nobody"
    role = "\(role)"

    """
  }

  /// A store shared with `nogroup`, in a folder nobody may enter, with one mention by @geheim.
  func sharedStore() throws -> TempFolder {
    let dir = TempFolder()
    #expect(chmod(dir.path, 0o755) == 0)
    let initialised = try ReputeProcess.run(["init", "--group", "nogroup", "--store", dir.store])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    let file = dir.write(
      "a.jsonl",
      #"{"platform":"x","id":"1","author":{"handle":"geheim"},"created_at":"2026-01-02T09:30:00Z","text":"Hallo"}"#
        + "\n")
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    return dir
  }

  @Test func aResponderCannotPromoteHerselfNorErase() throws {
    let dir = try sharedStore()
    let promoted = dir.write("promoted.toml", roster(nobodyIs: "supervisor"))
    chmod(promoted, 0o644)
    // No supervisor in the policy in force yet: only the store's owner, who made it, may start.
    let early = try runAsNobody(["policy", "apply", promoted, "--store", dir.store])
    #expect(early.status == 2, "\(early.stderr)")
    #expect(
      early.stderr.contains("only a supervisor in the policy in force may apply a policy"), "\(early.stderr)")
    let first = dir.write("first.toml", roster(nobodyIs: "responder"))
    let applied = try ReputeProcess.run(["policy", "apply", first, "--store", dir.store])
    #expect(applied.status == 0, "\(applied.stderr)")

    let selfPromotion = try runAsNobody(["policy", "apply", promoted, "--store", dir.store])
    #expect(selfPromotion.status == 2, "\(selfPromotion.stderr)")
    #expect(
      selfPromotion.stderr.contains(
        "on a shared store only a supervisor in the policy in force may apply a policy (you are nobody, a responder)"
      ),
      "\(selfPromotion.stderr)")
    for command in [["forget", "--author", "geheim", "--yes"], ["purge", "--older-than", "30", "--yes"]] {
      let r = try runAsNobody(command + ["--store", dir.store])
      #expect(r.status == 2, "\(command): \(r.stderr)")
      #expect(
        r.stderr.contains("only a supervisor in the policy in force may erase data"),
        "\(command): \(r.stderr)")
    }
    let policy = try ReputeProcess.run(["policy", "show", "--store", dir.store])
    #expect(
      policy.stderr.contains("policy version 2"), "the refused applies changed nothing: \(policy.stderr)")

    // The supervisor may; after that Nina is one too.
    let bySupervisor = try ReputeProcess.run(["policy", "apply", promoted, "--store", dir.store])
    #expect(bySupervisor.status == 0, "\(bySupervisor.stderr)")
    let forget = try runAsNobody(["forget", "--author", "geheim", "--yes", "--store", dir.store])
    #expect(forget.status == 0, "\(forget.stderr)")
  }
}
