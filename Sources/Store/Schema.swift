import Foundation
import GRDB
import Inbox
import Policy

/// The store's versioned schema. Migrations only ever append: a released one never changes.
///
/// A migration's name is a label, not its place: they run in the order registered here (v7 to v13
/// were written side by side and landed as v7, v10, v8, v9, v13, v12). A new one goes last.
enum Schema {
  /// The identifiers of every migration this build knows, oldest first.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    registerMentions(&migrator)
    registerInboxActions(&migrator)
    registerRepliesAndSources(&migrator)
    registerEscalationsAndIngest(&migrator)
    registerDeliveryAndClocks(&migrator)
    registerFromV19(&migrator)
    return migrator
  }

  /// The packed form of a signals JSON array as `PolicyAnnotator.signalsJSON` wrote it; nil when
  /// it is not such an array (an unknown kind, a missing field).
  static func packedSignals(json: String) -> PackedSignals? {
    guard let data = json.data(using: .utf8),
      let array = try? JSONSerialization.jsonObject(with: data) as? [Any]
    else { return nil }
    var signals: [Signal] = []
    signals.reserveCapacity(array.count)
    for item in array {
      guard let object = item as? [String: Any], let name = object["kind"] as? String,
        let kind = SignalKind(rawValue: name), let token = object["token"] as? String
      else { return nil }
      let weight: Double
      switch object["weight"] {
      case let number as NSNumber: weight = number.doubleValue
      case is NSNull, nil: weight = .nan
      default: return nil
      }
      signals.append(Signal(kind: kind, token: token, weight: weight))
    }
    return PackedSignals(signals)
  }
}
