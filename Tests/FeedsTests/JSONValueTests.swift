import Foundation
import Testing

@testable import Feeds

@Suite struct JSONValueTests {
  static func object(_ text: String) -> JSONObject {
    JSONObject(try? JSONSerialization.jsonObject(with: Data(text.utf8)))!
  }

  @Test func zeroAndOneAreNumbersNotBooleans() {
    let o = Self.object(#"{"a":0,"b":1,"c":true,"d":false,"id":1,"big":1234567890123,"f":1.5}"#)
    #expect(o.int("a") == 0 && o.int("b") == 1, "a follower count of 0 or 1 is kept")
    #expect(o.bool("b") == nil && o.bool("c") == true && o.bool("d") == false)
    #expect(o.int("c") == nil && o.identifier("c") == nil)
    #expect(o.identifier("id") == "1" && o.identifier("big") == "1234567890123" && o.identifier("f") == nil)
  }

  @Test func theRawRecordIsCompactSortedJSONThatReadsBack() throws {
    let text = #"{"z":[1,0,true,false,null,1.5,"x"],"a":{"q":"say \"hi\"\n\u0001 é 🙂 a/b"},"n":-12}"#
    let written = JSONObject.serialize(Self.object(text).fields)
    #expect(written == #"{"a":{"q":"say \"hi\"\n\u0001 é 🙂 a/b"},"n":-12,"z":[1,0,true,false,null,1.5,"x"]}"#)
    let back = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? NSDictionary
    let original = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
    #expect(back == original)
  }
}
