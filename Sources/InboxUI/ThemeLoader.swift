import Foundation
import TOMLKit
import TerminalUI

/// A theme file that could not be used: `FILE:LINE: message`.
public struct ThemeLoadError: Error, CustomStringConvertible, Equatable {
  public var path: String
  public var line: Int?
  public var message: String

  /// `FILE:LINE: message`; without a line, `FILE: message`; without a file (no theme by that
  /// name), the message alone, which names what was looked for.
  public var description: String {
    if let line { return "\(path):\(line): \(message)" }
    return path.isEmpty ? message : "\(path): \(message)"
  }
}

/// Loads `themes/*.toml`: a `[palette]` of named colours, then roles such as
/// `"queue.selected" = { fg = "bg", bg = "accent", modifiers = ["bold"] }` (Helix's split).
public enum ThemeLoader {
  /// Where the shipped themes are: `$REPUTE_THEMES`, `themes/` beside the executable or one of its
  /// parents (a source checkout), then `/usr/share/repute/themes`.
  public static func searchPaths(executable: String = CommandLine.arguments.first ?? "") -> [String] {
    var paths: [String] = []
    if let env = ProcessInfo.processInfo.environment["REPUTE_THEMES"], !env.isEmpty { paths.append(env) }
    var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      paths.append(dir.appendingPathComponent("themes").path)
      dir = dir.deletingLastPathComponent()
    }
    paths.append(FileManager.default.currentDirectoryPath + "/themes")
    paths.append("/usr/share/repute/themes")
    return paths
  }

  /// Resolves `--theme`: a path to a file, or a name looked up in the search paths.
  public static func resolve(_ nameOrPath: String, searchPaths: [String] = searchPaths()) -> String? {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
      return FileManager.default.fileExists(atPath: nameOrPath) ? nameOrPath : nil
    }
    for dir in searchPaths {
      let candidate = dir + "/" + nameOrPath + ".toml"
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// The names of the themes in the search paths, sorted, each once.
  public static func available(searchPaths: [String] = searchPaths()) -> [String] {
    let names = searchPaths.flatMap { dir in
      ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".toml") }
        .map { String($0.dropLast(5)) }
    }
    return Array(Set(names)).sorted()
  }

  /// Why a theme could not be found: what was looked for, where, and what there is.
  static func notFound(_ nameOrPath: String, _ searchPaths: [String]) -> String {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return "no theme file at \(nameOrPath)" }
    let names = available(searchPaths: searchPaths)
    let folders = Array(Set(searchPaths.filter { FileManager.default.fileExists(atPath: $0) })).sorted()
    let whereText = folders.isEmpty ? "themes/" : folders.joined(separator: ", ")
    return "no theme named '\(nameOrPath)' in \(whereText) (available: "
      + (names.isEmpty ? "none" : names.joined(separator: ", ")) + ")"
  }

  /// Loads a theme by name or path; on any problem the built-in default with the problem.
  public static func load(_ nameOrPath: String?, searchPaths: [String] = searchPaths()) -> (
    Theme, ThemeLoadError?
  ) {
    guard let nameOrPath, nameOrPath != "default" || resolve("default", searchPaths: searchPaths) != nil
    else {
      return (.standard, nil)
    }
    guard let path = resolve(nameOrPath, searchPaths: searchPaths) else {
      return (.standard, ThemeLoadError(path: "", line: nil, message: notFound(nameOrPath, searchPaths)))
    }
    do {
      return (try load(path: path), nil)
    } catch let error as ThemeLoadError {
      return (.standard, error)
    } catch {
      return (.standard, ThemeLoadError(path: path, line: nil, message: "\(error)"))
    }
  }

  public static func load(path: String) throws -> Theme {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ThemeLoadError(path: path, line: nil, message: "cannot read the file")
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try parse(String(decoding: data, as: UTF8.self), path: path, name: name)
  }

  /// Parses a theme's text; errors name the file and the line.
  public static func parse(_ text: String, path: String, name: String) throws -> Theme {
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw ThemeLoadError(path: path, line: error.source.begin.line, message: error.description)
    }
    func fail(_ key: String, _ message: String) -> ThemeLoadError {
      ThemeLoadError(path: path, line: line(of: key, in: text), message: message)
    }
    var palette: [String: String] = [:]
    var roles: [String: ThemeStyleSpec] = [:]
    for (key, value) in table {
      if key == "palette" {
        guard let p = value.table else { throw fail(key, "palette must be a table") }
        for (name, colour) in p {
          guard let c = colour.string else {
            throw fail(name, "palette.\(name) must be a colour string (roles go above [palette])")
          }
          palette[name] = c
        }
        continue
      }
      if key == "name" { continue }
      guard ThemeRole(rawValue: key) != nil else { throw fail(key, "unknown role \"\(key)\"") }
      if let colour = value.string {
        roles[key] = ThemeStyleSpec(fg: colour)
        continue
      }
      guard let spec = value.table else {
        throw fail(key, "\(key) must be a colour or { fg, bg, modifiers }")
      }
      var style = ThemeStyleSpec()
      for (field, v) in spec {
        switch field {
        case "fg": style.fg = v.string
        case "bg": style.bg = v.string
        case "modifiers":
          guard let array = v.array else { throw fail(key, "\(key).modifiers must be a list") }
          style.modifiers = array.compactMap { $0.string }
        default: throw fail(key, "\(key): unknown field \"\(field)\" (fg, bg, modifiers)")
        }
      }
      roles[key] = style
    }
    do {
      return try Theme.build(name: name, palette: palette, roles: roles)
    } catch {
      let key = error.key.hasPrefix("palette.") ? String(error.key.dropFirst(8)) : error.key
      throw fail(key, error.description)
    }
  }

  /// The line where `key` is defined (bare or quoted at the start of a line), 1-based.
  static func line(of key: String, in text: String) -> Int? {
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      for form in [key, "\"\(key)\""] where line.hasPrefix(form) {
        let rest = line.dropFirst(form.count).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("=") { return index + 1 }
      }
    }
    return nil
  }
}
