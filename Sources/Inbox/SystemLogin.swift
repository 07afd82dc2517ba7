import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The login of whoever runs the process, as the operating system knows it: libpq's default user.
public enum SystemLogin {
  public static func current() -> String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return ProcessInfo.processInfo.environment["USER"] ?? "uid\(geteuid())"
  }

  /// This host's name, for leases (`host:pid` holds a source's poll or the delivery).
  public static func hostName() -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
  }
}
