import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A private copy of a store in a new temporary folder, removed afterwards: what the benchmarks
/// work on, so the store they are pointed at is only ever read, never opened by SQLite.
///
/// The inbox benchmark writes (a live arrival is ingested, with its append-only events; a new
/// store would get a policy), so it must never touch the original. The main file is copied with
/// its WAL when there is one (the WAL may hold committed pages not yet checkpointed); the shared
/// memory index is not, SQLite rebuilds it from the WAL. Meant for a store no one is writing to
/// at the moment: the two files are copied one after the other, without SQLite's locks.
struct StoreCopy {
  /// The temporary folder (mode 0700) holding the copy.
  let folder: String
  /// The copied store inside it.
  let path: String

  /// Copies `original` (and `original-wal`) into a new folder under the temporary directory.
  static func make(of original: String) throws -> StoreCopy {
    guard FileManager.default.fileExists(atPath: original) else {
      throw fail("no store at \(original): the benchmark copies an existing store (see docs/benchmarks.md)")
    }
    var template = Array(
      FileManager.default.temporaryDirectory.appendingPathComponent("repute-dev-XXXXXX").path.utf8CString)
    guard let made = mkdtemp(&template) else {
      throw fail("cannot make a temporary folder: \(String(cString: strerror(errno)))")
    }
    let folder = String(cString: made)
    let copy = StoreCopy(folder: folder, path: folder + "/repute.sqlite")
    do {
      for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: original + suffix) {
        try FileManager.default.copyItem(atPath: original + suffix, toPath: copy.path + suffix)
        // Private, whatever the original's mode: a shared store's copy is one person's scratch file.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy.path + suffix)
      }
    } catch {
      copy.remove()
      throw fail("cannot copy \(original) to \(folder): \(error.localizedDescription)")
    }
    return copy
  }

  /// Removes the copy and its folder (with the WAL and index SQLite left beside it).
  func remove() {
    try? FileManager.default.removeItem(atPath: folder)
  }
}
