// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Repute",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "repute", targets: ["repute"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.5.3"),
  ],
  targets: [
    // The shared policy module: categories, classifier, windows, advice, reply checks. Pure.
    .target(
      name: "Policy",
      dependencies: [
        .product(name: "TOMLKit", package: "TOMLKit"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["LEXICONS.md", "Lexicons/generate.py", "Lexicons/inputs.sha256"]
    ),
    // The domain: mentions, authors, events, the store protocols by topic, the clock, the sanitiser. Pure.
    .target(name: "Inbox", dependencies: ["Policy"]),
    // The local file store: SQLite through GRDB.
    .target(
      name: "Store",
      dependencies: [
        "Inbox", "Policy", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    // The team's store on PostgreSQL: the address's connection, the bridge from PostgresNIO's
    // async API to the store's synchronous callers, the server schema. No NIO type leaves it.
    .target(
      name: "ServerStore",
      dependencies: [
        "Inbox", "Policy", .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // `repute migrate`: a store copied whole between any two stores (a SQLite file, a PostgreSQL
    // store) through `StoreTableAccess`, with counts and checksums per table. Needs neither store's
    // target: the command hands it both ends.
    .target(
      name: "StoreMigration", dependencies: ["Inbox", .product(name: "Crypto", package: "swift-crypto")]),
    // Formats and sources: native JSON Lines, Mastodon, Bluesky, X, RSS/Atom and CSV (a bounded reader of its own).
    .target(name: "Feeds", dependencies: ["Inbox", .product(name: "TOMLKit", package: "TOMLKit")]),
    // libFuzzer harness over every format's parser and the classifier (fuzz/run); a plain build
    // replays saved inputs.
    .executableTarget(name: "FeedsFuzz", dependencies: ["Feeds", "Policy"]),
    // Live sources and delivery: polling Mastodon, Bluesky, feeds and a spool folder; the outbox's courier.
    .target(
      name: "Live",
      dependencies: ["Feeds", "Store", "Inbox", "Policy", .product(name: "TOMLKit", package: "TOMLKit")]
    ),
    // The terminal toolkit: cells, canvas, widths, styles, themes, keys, widgets. Pure Swift.
    .target(name: "TerminalUI"),
    // The rules below the UI: what may be sent (the reply rules and ReplyDesk), a mention's detail
    // (DetailDesk), and the words the plain commands share with the inbox. Written against the
    // store protocols; TerminalUI only for its text widths. No plain command needs a UI target.
    .target(name: "Desk", dependencies: ["Inbox", "Policy", "TerminalUI"]),
    // The ncursesw C module (wide-character API switched on in shim.h) and shims for its macros.
    .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", providers: [.apt(["libncurses-dev"])]),
    .target(name: "CursesShim", dependencies: ["CNcursesw"]),
    // The only target that calls ncurses: presents a Canvas, reads keys.
    .target(name: "NcursesTerminal", dependencies: ["TerminalUI", "CNcursesw", "CursesShim"]),
    // The inbox app: state, reducer, panes, key table, themes. Pure: draws into a Canvas.
    .target(
      name: "InboxUI",
      dependencies: ["Desk", "Inbox", "Policy", "TerminalUI", .product(name: "TOMLKit", package: "TOMLKit")]
    ),
    // The inbox on the real store: InboxUI's source protocol served by SQLiteStore and the desks.
    .target(name: "InboxBackend", dependencies: ["Desk", "InboxUI", "Store", "Inbox", "Policy"]),
    // The executable: argument parsing and wiring.
    .executableTarget(
      name: "repute",
      dependencies: [
        "Desk", "Inbox", "Policy", "Store", "ServerStore", "StoreMigration", "Feeds", "Live", "InboxUI",
        "InboxBackend", "NcursesTerminal", "TerminalUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Development only, not a product: the inbox benchmark (on a copy of a store, never the store
    // itself) and the classifier's training (writes the weights' Swift source). See docs/DECISIONS.md.
    .executableTarget(
      name: "repute-dev",
      dependencies: [
        "Desk", "Inbox", "Policy", "Store", "ServerStore", "Feeds", "InboxUI", "InboxBackend", "TerminalUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/ReputeDev"
    ),
    .testTarget(name: "PolicyTests", dependencies: ["Policy"]),
    .testTarget(name: "InboxTests", dependencies: ["Inbox"]),
    .testTarget(name: "StoreTests", dependencies: ["Store", "Inbox", "Policy"]),
    .testTarget(
      name: "ServerStoreTests",
      dependencies: [
        "ServerStore", "Desk", "Store", "StoreMigration", "Inbox", "Policy", "repute",
        .product(name: "NIOCore", package: "swift-nio"),
      ]),
    // One suite for both stores: every test of a store protocol runs on SQLite and on PostgreSQL.
    .testTarget(
      name: "StoreConformanceTests", dependencies: ["Store", "ServerStore", "Inbox", "Policy", "TestServerSupport"]),
    .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Inbox"]),
    // A small HTTP/1.1 server on 127.0.0.1 for the tests of live sources and delivery.
    .target(name: "TestHTTPServer", path: "Tests/TestHTTPServer"),
    // What the suites on both stores share of the test server (issue 18): its URL, CI's rule, a
    // database, schema or login roles of a test's own. A plain target: Testing stays in the tests.
    .target(name: "TestServerSupport", dependencies: ["ServerStore", "Inbox"], path: "Tests/TestServerSupport"),
    .testTarget(
      name: "LiveTests",
      dependencies: ["Live", "Feeds", "Store", "ServerStore", "Inbox", "Policy", "TestHTTPServer", "TestServerSupport"]),
    .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
    .testTarget(
      name: "ReputeTests",
      dependencies: [
        "repute", "repute-dev", "Inbox", "Store", "ServerStore", "Policy", "TestHTTPServer", "TestServerSupport",
      ]),
    .testTarget(
      name: "InboxUITests",
      dependencies: ["Desk", "InboxUI", "InboxBackend", "Store", "Inbox", "Policy", "TerminalUI"],
      exclude: ["Snapshots"]
    ),
    // Drives the real binary in tmux; depends on it so SwiftPM builds it first.
    .testTarget(
      name: "InboxE2ETests",
      dependencies: ["repute", "TestHTTPServer", "TestServerSupport", "ServerStore", "Inbox", "Policy"]),
  ],
  swiftLanguageModes: [.v6]
)
