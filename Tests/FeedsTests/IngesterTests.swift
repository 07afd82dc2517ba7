import Foundation
import Inbox
import Testing

@testable import Feeds

/// A temporary folder removed when the test ends.
final class TempFolder {
  let path: String
  init() {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("repute-test-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }

  func write(_ name: String, _ content: String) -> String {
    let file = path + "/" + name
    try! FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: file, contents: Data(content.utf8))
    return file
  }

  func write(_ name: String, bytes: [UInt8]) -> String {
    let file = path + "/" + name
    _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
    return file
  }
}

func mentionLine(_ id: Int, text: String = "hello", platform: String = "x") -> String {
  #"{"platform":"\#(platform)","id":"\#(id)","author":{"handle":"user\#(id % 7)"},"created_at":"2026-11-24T09:30:00Z","text":"\#(text)"}"#
}

@Suite struct IngesterTests {
  func collect(_ path: String, batchSize: Int = 3) throws -> ([[IncomingMention]], [RejectedRecord]) {
    var batches: [[IncomingMention]] = []
    var rejects: [RejectedRecord] = []
    try Ingester(batchSize: batchSize).read(
      path, batch: { batches.append($0) }, reject: { rejects.append($0) })
    return (batches, rejects)
  }

  @Test func batchesAndNamesBadLinesByFileAndLine() throws {
    let dir = TempFolder()
    let lines = [
      mentionLine(1), "", mentionLine(2), "{oops", mentionLine(3), mentionLine(4), "  ", mentionLine(5),
    ]
    let file = dir.write("a.jsonl", lines.joined(separator: "\r\n"))
    let (batches, rejects) = try collect(file)
    #expect(batches.map(\.count) == [3, 2])
    #expect(batches.flatMap { $0 }.map(\.externalID) == ["1", "2", "3", "4", "5"])
    #expect(rejects.count == 1)
    #expect(rejects.first?.description.hasPrefix("\(file):4: broken JSON") == true)
  }

  @Test func aLineOverOneMebibyteIsRejectedAndTheRestKept() throws {
    let dir = TempFolder()
    let huge = mentionLine(9, text: String(repeating: "x", count: (1 << 20) + 10))
    let file = dir.write("big.jsonl", [mentionLine(1), huge, mentionLine(2), huge].joined(separator: "\n"))
    let (batches, rejects) = try collect(file)
    #expect(batches.flatMap { $0 }.map(\.externalID) == ["1", "2"])
    #expect(
      rejects.map(\.description) == [
        "\(file):2: line longer than 1 MiB", "\(file):4: line longer than 1 MiB",
      ])
  }

  @Test func aLineJustUnderTheLimitIsKept() throws {
    let dir = TempFolder()
    let base = mentionLine(1, text: "")
    let line = mentionLine(1, text: String(repeating: "y", count: (1 << 20) - base.utf8.count))
    #expect(line.utf8.count == 1 << 20)
    let file = dir.write("edge.jsonl", line + "\n" + mentionLine(2))
    let (batches, rejects) = try collect(file)
    #expect(rejects.isEmpty)
    #expect(batches.flatMap { $0 }.count == 2)
  }

  @Test func manyLinesAcrossReadBuffers() throws {
    let dir = TempFolder()
    let lines = (0..<20_000).map { mentionLine($0, text: String(repeating: "é", count: $0 % 50)) }
    let file = dir.write("many.jsonl", lines.joined(separator: "\n") + "\n")
    let (batches, rejects) = try collect(file, batchSize: 1000)
    #expect(rejects.isEmpty)
    #expect(batches.count == 20)
    #expect(batches.flatMap { $0 }.map(\.externalID) == (0..<20_000).map(String.init))
  }

  @Test func invalidUTF8IsNamed() throws {
    let dir = TempFolder()
    let file = dir.write(
      "bad.jsonl", bytes: Array((mentionLine(1) + "\n").utf8) + [0x7B, 0xC3, 0x28, 0x7D, 0x0A])
    let (_, rejects) = try collect(file)
    #expect(rejects.map(\.description) == ["\(file):2: invalid UTF-8 at byte 2"])
  }

  @Test func foldersExpandToTheirJSONLFilesSorted() throws {
    let dir = TempFolder()
    _ = dir.write("b.jsonl", mentionLine(1))
    _ = dir.write("a.jsonl", mentionLine(2))
    _ = dir.write("notes.txt", "ignored")
    _ = dir.write("sub/c.jsonl", mentionLine(3))
    let files = try Ingester.expand([dir.path, "-"])
    #expect(files == [dir.path + "/a.jsonl", dir.path + "/b.jsonl", dir.path + "/sub/c.jsonl", "-"])
  }

  @Test func aMissingPathIsAnErrorBeforeAnythingIsRead() {
    #expect(throws: InboxError.self) { try Ingester.expand(["/nonexistent/mentions.jsonl"]) }
  }
}
