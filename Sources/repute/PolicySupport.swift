import Foundation
import Inbox
import Policy
import Store

/// The store opened together with the policy in force, as every command that judges mentions needs.
struct PolicyContext {
  var store: any ReputeStore
  var policy: PolicyConfig
  var stored: StoredPolicy
  var annotator: PolicyAnnotator { PolicyAnnotator(policy: policy) }

  /// Opens the store (creating it when `create`), giving a new store the default policy.
  /// `reading`: the command only reads (see `StoreOptions.open`).
  static func open(_ options: StoreOptions, create: Bool, reading: Bool = false) throws -> PolicyContext {
    let store = try options.open(create: create, reading: reading)
    if store.isReadOnly, try store.currentPolicy() == nil {
      // Read-only, a store nobody set up yet is read with the default policy it would get.
      let source = PolicyFile.render(.default)
      return PolicyContext(
        store: store, policy: .default,
        stored: StoredPolicy(version: 0, source: source, appliedAt: store.clock.now(), appliedBy: "repute"))
    }
    if try store.currentPolicy() == nil {
      try store.installPolicyIfMissing(source: PolicyFile.render(.default), actor: "repute")
    }
    guard let stored = try store.currentPolicy() else {
      throw InboxError.storeUnavailable("the store \(store.storeName) has no policy")
    }
    do {
      let policy = try PolicyFile.parse(
        text: stored.source, path: "policy v\(stored.version) in the store", stored: true)
      return PolicyContext(store: store, policy: policy, stored: stored)
    } catch {
      throw InboxError.storeUnavailable(
        "the store's policy (version \(stored.version)) cannot be read by this Repute: \(error.description)")
    }
  }
}

extension PolicyContext {
  /// The person acting, by the roster in force (see `StoreOptions.actor`).
  func actor(_ options: StoreOptions, acting: StoreOptions.Acting = .recorder) throws -> String {
    try options.actor(for: store, roster: policy, acting: acting)
  }
}
