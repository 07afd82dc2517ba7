#!/usr/bin/env bash
# Regenerates Sources/Policy/Lexicons/LexiconData.swift byte for byte, in one command:
#   1. checks the upstream lexicons against the SHA-256 sums committed in
#      Sources/Policy/Lexicons/inputs.sha256 (a changed or missing input stops here, before
#      anything is written);
#   2. runs Sources/Policy/Lexicons/generate.py on them;
#   3. formats the output with the repository's swift-format configuration, as every Swift file
#      is formatted (the generator writes the string literals' lines unindented; swift-format
#      indents them);
#   4. writes the prebuilt table a command reads (Sources/Policy/Lexicons/LexiconTable.swift)
#      from what LexiconBuilder builds out of LexiconData.swift and Cues.swift, through the test
#      that checks it (REPUTE_RECORD_LEXICON=1 swift test --filter LexiconTableTests). Run that
#      step alone after changing Cues.swift.
# Then `git diff --exit-code Sources/Policy/Lexicons/` shows whether anything changed. The formatting depends on swift-format's version: the committed file was made with the
# version named in `formatter` below, and the script says so when another one runs.
# usage: scripts/gen-lexicons.sh [LEXICON_DIR]   (default ../shared/corpora/lexicons, or
#        $REPUTE_CORPORA/lexicons)
set -euo pipefail
cd "$(dirname "$0")/.."
lexicons=Sources/Policy/Lexicons
src=${1:-${REPUTE_CORPORA:-../shared/corpora}/lexicons}
formatter="6.3.1"

if [ ! -d "$src" ]; then
  echo "gen-lexicons: no lexicon folder at $src (pass its path)" >&2
  exit 2
fi
echo "gen-lexicons: checking the inputs in $src"
if ! (cd "$src" && sha256sum --check --strict "$OLDPWD/$lexicons/inputs.sha256"); then
  echo "gen-lexicons: the inputs differ from $lexicons/inputs.sha256; nothing was written" >&2
  exit 1
fi

python3 "$lexicons/generate.py" "$src"
version=$(swift format --version 2>/dev/null || echo unknown)
if [ "$version" != "$formatter" ]; then
  echo "gen-lexicons: note: swift-format $version here, the committed file was formatted by $formatter" >&2
fi
swift format -i --configuration .swift-format "$lexicons/LexiconData.swift"
echo "gen-lexicons: wrote $lexicons/LexiconData.swift"
REPUTE_RECORD_LEXICON=1 swift test --filter LexiconTableTests >/dev/null
echo "gen-lexicons: wrote $lexicons/LexiconTable.swift"
