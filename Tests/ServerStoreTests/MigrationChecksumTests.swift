import Inbox
import NIOCore
import XCTest

@testable import ServerStore
@testable import StoreMigration

/// The canonical form behind `repute migrate`'s checksums, and COPY's text escaping: no server
/// needed.
final class MigrationChecksumTests: XCTestCase {
  let mentions = StoreTables.all.first { $0.name == "mentions" }!
  let tombstones = StoreTables.all.first { $0.name == "tombstones" }!

  func sum(_ table: StoreTable, _ rows: [[TableValue]]) -> String {
    var checksum = TableChecksum(table)
    rows.forEach { checksum.add($0) }
    return checksum.finish()
  }

  /// A mentions row with `value` at `column`, NULL elsewhere.
  func row(_ column: String, _ value: TableValue) -> [TableValue] {
    mentions.columns.map { $0 == column ? value : .null }
  }

  func testEqualDataGivesEqualSumsWhicheverStoreHoldsIt() {
    // A boolean and an integer as either store may hand them over; -0 and 0 alike.
    XCTAssertEqual(sum(mentions, [row("staff", .integer(1))]), sum(mentions, [row("staff", .real(1))]))
    XCTAssertEqual(
      sum(mentions, [row("edit_count", .integer(3))]), sum(mentions, [row("edit_count", .real(3))]))
    XCTAssertEqual(
      sum(mentions, [row("confidence", .real(-0.0))]), sum(mentions, [row("confidence", .real(0))]))
    XCTAssertEqual(
      sum(mentions, [row("confidence", .real(2))]), sum(mentions, [row("confidence", .integer(2))]))
  }

  func testDifferentDataGivesDifferentSums() {
    XCTAssertNotEqual(sum(mentions, [row("lang", .null)]), sum(mentions, [row("lang", .text(""))]))
    XCTAssertNotEqual(sum(mentions, [row("staff", .integer(0))]), sum(mentions, [row("staff", .null)]))
    XCTAssertNotEqual(
      sum(mentions, [row("confidence", .real(0.1))]),
      sum(mentions, [row("confidence", .real(0.1 + 1e-17 * 2))]))
    // Values never run into each other, nor rows.
    XCTAssertNotEqual(
      sum(tombstones, [[.text("ab"), .integer(1)]]),
      sum(tombstones, [[.text("a"), .integer(Int64("b1") ?? 0)]]))
    XCTAssertNotEqual(sum(tombstones, []), sum(tombstones, [[.text(""), .null]]))
    XCTAssertNotEqual(
      sum(tombstones, [[.text("a"), .integer(1)], [.text("b"), .integer(2)]]),
      sum(tombstones, [[.text("b"), .integer(2)], [.text("a"), .integer(1)]]))
  }

  func testCopyTextEscapesWhatCOPYReadsAsStructure() {
    var buffer = ByteBuffer()
    TableCopyText.append(
      [.text("a\tb\nc\\d\re"), .null, .integer(1), .real(0.5)], kinds: [.text, .text, .boolean, .real],
      to: &buffer)
    XCTAssertEqual(buffer.readString(length: buffer.readableBytes), "a\\tb\\nc\\\\d\\re\t\\N\tt\t0.5\n")
    XCTAssertEqual(TableCopyText.real(.nan), "NaN")
    XCTAssertEqual(TableCopyText.real(-.infinity), "-Infinity")
    XCTAssertEqual(TableCopyText.real(0.1), "0.1")
  }
}
