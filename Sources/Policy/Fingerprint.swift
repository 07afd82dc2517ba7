import Crypto

/// SHA-256 in lower-case hex, through swift-crypto: the policy's fingerprint and the erasure's
/// salted tombstones. Both are kept in the store, so they must not change between builds, as
/// `hashValue` does.
public enum Fingerprint {
  /// The SHA-256 digest of `bytes`, as 64 hex digits.
  public static func sha256Hex(_ bytes: [UInt8]) -> String {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in SHA256.hash(data: bytes) {
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
