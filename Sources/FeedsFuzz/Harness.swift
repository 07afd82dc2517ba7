import Feeds
import Foundation
import Policy

/// The formats each input is read as: `$FUZZ_FORMAT` alone when set (one run per parser), else all.
let fuzzFormats: [MentionFormat] =
  ProcessInfo.processInfo.environment["FUZZ_FORMAT"].flatMap(MentionFormat.init(rawValue:)).map { [$0] }
  ?? MentionFormat.allCases

/// The default policy's classifier, which judges every mention parsed: a long word once trapped
/// there, after parsing, where a harness of the parsers alone never looked.
let fuzzClassifier = Classifier(PolicyConfig.default)
let fuzzResponder = TeamMember(name: "Fuzz", login: "fuzz")

/// Runs the parsers on one input, then the classifier on what they read and the reply checks on
/// the input as text. Crashes, traps, hangs and sanitizer reports are the findings; what the
/// parsers answer is checked by the tests.
func fuzzOne(_ bytes: [UInt8]) {
  for format in fuzzFormats {
    let parsed = FormatReader(format: format).parse(bytes, name: "fuzz")
    // Every rejection must name a line of the input.
    for r in parsed.rejections where r.line < 1 { fatalError("line \(r.line) in \(r)") }
    for m in parsed.mentions {
      _ = fuzzClassifier.classify(
        ClassifierInput(
          text: m.text, lang: m.lang, authorHandle: m.author.handle, authorName: m.author.name ?? "",
          followers: m.author.followers, platform: m.platform))
    }
  }
  let text = String(decoding: bytes, as: UTF8.self)
  _ = fuzzClassifier.classify(ClassifierInput(text: text))
  _ = ReplyChecker.check(
    text, mention: ReplyTarget(platform: "mastodon", category: .complaint, lang: "nl"),
    responder: fuzzResponder,
    policy: .default)
  _ = MentionFormat.detect(Array(bytes.prefix(1 << 16)), name: "fuzz")
  _ = HTMLText.plainText(text)
}

/// libFuzzer's entry point (built with `-sanitize=fuzzer`, see `fuzz/run`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}

#if !FUZZING
  /// Without the fuzzer: replays saved inputs (`FeedsFuzz FILE…`), e.g. the crashes kept in
  /// `Tests/Fixtures/crashes`.
  @main struct Replay {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          FileHandle.standardError.write(Data("\(path): cannot read\n".utf8))
          exit(2)
        }
        fuzzOne(Array(data))
        print("\(path): ok")
      }
    }
  }
#endif
