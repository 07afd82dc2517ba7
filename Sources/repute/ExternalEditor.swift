import Foundation
import InboxUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on the reply in a private temporary file and reads it
/// back. The inbox calls it with the terminal suspended.
enum ExternalEditor {
  static func edit(_ text: String) -> Result<String?, ExternalEditorError> {
    let environment = ProcessInfo.processInfo.environment
    let command =
      [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
    // A folder only we can enter, and a file only we can read: the draft may hold a customer's data.
    var template = Array((NSTemporaryDirectory() + "/repute-reply-XXXXXX").utf8CString)
    guard let folderPointer = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      return .failure(
        ExternalEditorError("cannot create a temporary folder: \(String(cString: strerror(errno)))"))
    }
    let folder = String(cString: folderPointer)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/reply.txt"
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      return .failure(ExternalEditorError("cannot create \(path): \(String(cString: strerror(errno)))"))
    }
    let bytes = Array((text + "\n").utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    guard written == bytes.count else { return .failure(ExternalEditorError("cannot write \(path)")) }

    // As git does: the command may carry arguments ("code --wait"), the file comes last.
    let status = spawn(["/bin/sh", "-c", command + " \"$@\"", command, path])
    guard status == 0 else {
      return .failure(ExternalEditorError("\(command) exited with status \(status); the text is unchanged"))
    }
    guard let data = FileManager.default.contents(atPath: path),
      let edited = String(data: data, encoding: .utf8)
    else {
      return .failure(ExternalEditorError("cannot read \(path) back as UTF-8; the text is unchanged"))
    }
    return .success(edited == text + "\n" ? nil : edited)
  }

  /// Runs a program on the terminal and waits for it; default signal handling in the child.
  private static func spawn(_ arguments: [String]) -> Int32 {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], nil, &attributes, argv, environ) == 0 else { return 127 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
      if errno != EINTR { return 127 }
    }
    // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }
}
