import ArgumentParser
import Desk
import Foundation
import Inbox
import Policy
import Store

struct AssignCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assign",
    abstract: "Assign a mention to a person on the roster (supervisor); they see it under `mine`.",
    discussion: """
      LOGIN is a roster member's login, full name or first name. Only a supervisor on the roster \
      assigns (exit 1 otherwise, or when LOGIN is not on the roster). A claim held by someone else \
      is released, so the assignee can claim it; their own claim stays. The assignee gets a notice \
      (repute notices). --none takes the assignment away.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "The store's id of the mention.") var id: Int64
  @Option(help: ArgumentHelp("Who to assign it to.", valueName: "login")) var to: String?
  @Flag(help: "Take the assignment away.") var none = false
  @Flag(help: "Print one JSON object.") var json = false

  func validate() throws {
    guard (to == nil) != !none else {
      throw ValidationError("say --to LOGIN, or --none to take the assignment away")
    }
    if let to { try requireText(to, "--to") }
  }

  func run() throws {
    try ActionRun.run(options, json: json) { context, actor in
      _ = try ActionRun.mention(context, id)
      let name: String?
      do {
        name = try to.map { try AssignRule.assignee($0, actor: actor, policy: context.policy).name }
        if to == nil, !AssignRule.maySupervise(actor, policy: context.policy) {
          throw AssignRule.Refusal.notSupervisor(actor)
        }
      } catch let refusal as AssignRule.Refusal {
        throw ActionRun.Refusal(message: refusal.description)
      }
      switch try context.store.assign(id: id, to: name, actor: actor) {
      case .assigned(let released):
        let also = released.map { "; \($0)'s claim is released" } ?? ""
        return .init(
          id: id, action: "assign", outcome: "assigned", message: "assigned \(id) to \(name ?? "")\(also)",
          extra: {
            $0.string("assigned_to", name)
            $0.string("released_claim_of", released)
          })
      case .alreadyAssigned:
        return .init(
          id: id, action: "assign", outcome: "already_assigned",
          message: "\(id) is assigned to \(name ?? "") already", extra: { $0.string("assigned_to", name) })
      case .unassigned:
        return .init(
          id: id, action: "unassign", outcome: "unassigned", message: "\(id) is assigned to nobody now")
      case .notAssigned:
        return .init(id: id, action: "unassign", outcome: "not_assigned", message: "\(id) was not assigned")
      }
    }
  }
}
