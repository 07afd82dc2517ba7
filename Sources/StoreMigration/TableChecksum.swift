import Crypto
import Foundation
import Inbox

/// A table's checksum, the same on both stores for the same rows: SHA-256 over the table's name
/// and columns, then every row in key order, each value in one canonical form by its column's
/// kind, so neither store's way of keeping a value shows:
/// - NULL is a tag of its own (never an empty text or a zero);
/// - integers and times (epoch milliseconds) in decimal; a boolean as 0 or 1, whether SQLite's
///   INTEGER or PostgreSQL's boolean;
/// - a double in Swift's shortest form that reads back exactly, -0 as 0 (both stores keep the
///   double's bits; the text is what is hashed);
/// - text as its UTF-8 bytes, with its length first, so no two rows run into each other.
struct TableChecksum {
  private var hasher = SHA256()
  private let kinds: [StoreTable.Kind]
  /// One row's bytes, hashed at once.
  private var scratch: [UInt8] = []
  private(set) var rows = 0

  init(_ table: StoreTable) {
    kinds = table.kinds
    feed(3, ([table.name] + table.columns).joined(separator: " "))
    flush()
  }

  mutating func add(_ row: [TableValue]) {
    rows += 1
    for (value, kind) in zip(row, kinds) {
      switch (value, kind) {
      case (.null, _): scratch.append(0)
      case (.integer(let number), .boolean): feed(1, number != 0 ? "1" : "0")
      case (.integer(let number), .real): feed(2, Self.real(Double(number)))
      case (.integer(let number), _): feed(1, String(number))
      case (.real(let number), .integer), (.real(let number), .boolean):
        if let whole = Int64(exactly: number) {
          feed(1, kind == .boolean ? (whole != 0 ? "1" : "0") : String(whole))
        } else {
          feed(2, Self.real(number))
        }
      case (.real(let number), _): feed(2, Self.real(number))
      case (.text(let text), _): feed(3, text)
      }
    }
    flush()
  }

  /// The sum in hexadecimal.
  func finish() -> String {
    hasher.finalize().map { byte in
      let hex = String(byte, radix: 16)
      return hex.count == 1 ? "0" + hex : hex
    }.joined()
  }

  private mutating func feed(_ tag: UInt8, _ text: String) {
    let count = UInt32(text.utf8.count)
    scratch.append(tag)
    for shift in stride(from: 24, through: 0, by: -8) {
      scratch.append(UInt8(truncatingIfNeeded: count >> shift))
    }
    scratch.append(contentsOf: text.utf8)
  }

  private mutating func flush() {
    hasher.update(data: scratch)
    scratch.removeAll(keepingCapacity: true)
  }

  static func real(_ number: Double) -> String {
    if number == 0 { return "0.0" }
    return "\(number)"
  }
}
