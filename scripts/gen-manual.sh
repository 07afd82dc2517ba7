#!/usr/bin/env bash
# Regenerates the man page docs/man/repute.1 from the commands, with swift-argument-parser's
# generate-manual plugin: it builds the package (here in debug, reusing the usual .build; the
# plugin's default, release, is a second full build), runs the `generate-manual` tool on every
# executable that uses the parser and leaves each page in the plugin's work folder. No write
# permission on the package is needed: this script copies repute's page into docs/man.
#
# Two fixes on top of the plugin (swift-argument-parser 1.8.2):
#   - generate-manual lists hidden commands (`shouldDisplay: false`, the developers' `eval`); their
#     entries are taken out again, by the names `repute --experimental-dump-help` marks hidden;
#   - the date is the last commit that touched Sources/repute, not today, so the same commands give
#     the same page byte for byte.
# Known limit of generate-manual 1.8.2, not fixed here: it drops characters outside ASCII from the
# help texts (`TEXT…` becomes `TEXT`), so keep what matters in a command's help in ASCII.
# Run it after changing a command, and commit the page with the change. Works offline once the
# package's dependencies are resolved (.build/checkouts).
# usage: scripts/gen-manual.sh
set -euo pipefail
cd "$(dirname "$0")/.."
date=$(git log -1 --format=%cs -- Sources/repute 2>/dev/null || true)
[ -n "$date" ] || date=$(date -u +%F)
swift package plugin generate-manual --configuration debug --date "$date" --authors "the Repute team"
page=.build/plugins/GenerateManual/outputs/repute/repute.1
[ -f "$page" ] || { echo "gen-manual: the plugin wrote no $page" >&2; exit 1; }

hidden=$(.build/debug/repute --experimental-dump-help | python3 -c '
import json, sys
tool = json.load(sys.stdin)
print(" ".join(c["commandName"] for c in tool["command"].get("subcommands", [])
               if c.get("shouldDisplay", True) is False))')
mkdir -p docs/man
python3 - "$page" docs/man/repute.1 $hidden <<'PY'
import sys
source, target, hidden = sys.argv[1], sys.argv[2], set(sys.argv[3:])
out, depth, skipping = [], 0, False
for line in open(source, encoding="utf-8").read().split("\n"):
    # A top-level command entry is `.It Em NAME` at list depth 1 (the DESCRIPTION's list).
    if depth == 1 and line.startswith(".It "):
        skipping = line.startswith(".It Em ") and line.split()[2] in hidden
    if line.startswith(".Bl "):
        depth += 1
    elif line.startswith(".El"):
        depth -= 1
        if depth == 0:
            skipping = False
    if not skipping:
        out.append(line)
text = "\n".join(out)
open(target, "w", encoding="utf-8").write(text if text.endswith("\n") else text + "\n")
PY
echo "gen-manual: wrote docs/man/repute.1 (hidden, left out: ${hidden:-none})"
