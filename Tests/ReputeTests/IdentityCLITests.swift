import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite(.serialized) struct IdentityCLITests {
  var login: String { String(cString: getpwuid(geteuid())!.pointee.pw_name) }
  var group: String { String(cString: getgrgid(getegid())!.pointee.gr_name) }

  @Test func aSharedStoreKnowsPeopleByTheirLogin() throws {
    let dir = TempFolder()
    let initialised = try ReputeProcess.run(["init", "--group", group, "--store", dir.store])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    var info = stat()
    stat(dir.store, &info)
    #expect(info.st_mode & 0o777 == 0o660)
    stat(dir.path + "/store", &info)
    #expect(info.st_mode & 0o7777 == 0o2770)
    let file = dir.write("a.jsonl", mentionLine(1))
    let someoneElse = try ReputeProcess.run(["ingest", "--store", dir.store, "--as", "mallory", file])
    #expect(someoneElse.status == 2)
    #expect(someoneElse.stderr.contains("on a shared store you act as your login"))
    let viaEnvironment = try ReputeProcess.run(
      ["ingest", "--store", dir.store, file], environment: ["REPUTE_USER": "mallory"])
    #expect(viaEnvironment.status == 2)
    let me = try ReputeProcess.run(["ingest", "--store", dir.store, "--as", login, file])
    #expect(me.status == 0, "\(me.stderr)")
    let show = try ReputeProcess.run(["show", "1", "--json", "--store", dir.store])
    let detail = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as! [String: Any]
    #expect((detail["events"] as? [[String: Any]])?.first?["actor"] as? String == login)
  }

  @Test func aPrivateStoreTakesAsAndTheEnvironment() throws {
    let dir = TempFolder()
    let file = dir.write("a.jsonl", mentionLine(1))
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, "--as", "Anna", file]).status == 0)
    _ = try ReputeProcess.run(
      ["ingest", "--store", dir.store, dir.write("b.jsonl", mentionLine(2))],
      environment: ["REPUTE_USER": "Bob"])
    let log = try ReputeProcess.run(["show", "2", "--json", "--store", dir.store])
    let detail = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [String: Any]
    #expect((detail["events"] as? [[String: Any]])?.first?["actor"] as? String == "Bob")
    let first = try ReputeProcess.run(["show", "1", "--json", "--store", dir.store])
    let d1 = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
    #expect((d1["events"] as? [[String: Any]])?.first?["actor"] as? String == "Anna")
  }
}
