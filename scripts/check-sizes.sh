#!/usr/bin/env bash
# Size bar of issue 15: lists Swift source files over 500 lines and functions (func, init, deinit,
# subscript, and computed properties or accessors opened on their declaration line) over 120
# lines, counted from the declaration line to its closing brace. A brace-counting heuristic: it
# skips string literals (including multi-line ones) and comments, which is enough for this code.
# The generated lexicon (Sources/Policy/Lexicons/LexiconData.swift) and its prebuilt table
# (LexiconTable.swift) are exempt.
# usage: scripts/check-sizes.sh [DIR...]   (default: Sources)
#   MAX_FILE=500 MAX_FUNC=120 change the bars; exits 1 when anything is over.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- Sources
script=$(cat <<'PY'
import re, sys
max_file, max_func = int(sys.argv[1]), int(sys.argv[2])
decl = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|open|static|class|final|override|mutating|nonmutating|convenience|required|nonisolated|isolated|lazy|dynamic)(?:\(set\))?\s+)*'
                  r'(?:func\s+[^\s(<]+|init[?!]?|deinit|subscript|var\s+\w+\s*:[^=]*\{\s*$)')

def code_braces(line, state):
    """Counts { and } outside strings and comments; state carries multi-line strings and comments."""
    opened = closed = 0
    i, n = 0, len(line)
    while i < n:
        if state['block']:
            j = line.find('*/', i)
            if j < 0: return opened, closed
            state['block'] = False; i = j + 2; continue
        if state['multi']:
            j = line.find('"""', i)
            if j < 0: return opened, closed
            state['multi'] = False; i = j + 3; continue
        if line.startswith('//', i): break
        if line.startswith('/*', i): state['block'] = True; i += 2; continue
        if line.startswith('"""', i): state['multi'] = True; i += 3; continue
        c = line[i]
        if c == '"':
            i += 1; depth = 0
            while i < n:
                if line[i] == '\\' and i + 1 < n and line[i + 1] == '(':
                    depth += 1; i += 2; continue
                if depth and line[i] == ')': depth -= 1
                elif line[i] == '\\': i += 1
                elif line[i] == '"' and not depth: break
                i += 1
            i += 1; continue
        if c == '{': opened += 1
        elif c == '}': closed += 1
        i += 1
    return opened, closed

over = 0
for path in sys.argv[3:]:
    lines = open(path, encoding='utf-8').read().split('\n')
    if lines and lines[-1] == '': lines.pop()
    if len(lines) > max_file:
        print(f'file {len(lines):5d} lines  {path}'); over += 1
    state = {'block': False, 'multi': False}
    depth = 0
    pending = None  # a declaration whose body opens on a later line
    open_funcs = []  # (start line, name, depth before the declaration)
    for no, line in enumerate(lines, 1):
        in_code = not state['block'] and not state['multi']
        m = decl.match(line) if in_code else None
        before = depth
        o, c = code_braces(line, state)
        if m:
            name = m.group(0).strip().split('(')[0]
            name = re.sub(r'^(?:@\w+\s+|\w+\s+)*(?=func|init|deinit|subscript|var)', '', name)
            pending = (no, name, before)
        if pending and o > 0:
            open_funcs.append(pending)
            pending = None
        elif pending and (c > 0 or (not m and re.match(r'^\s*(?:@|(?:public|private|static|var|let|func|case)\b)', line))):
            pending = None  # a requirement without a body
        depth += o - c
        while open_funcs and depth <= open_funcs[-1][2]:
            start, name, _ = open_funcs.pop()
            length = no - start + 1
            if length > max_func:
                print(f'func {length:5d} lines  {path}:{start}  {name}'); over += 1
sys.exit(1 if over else 0)
PY
)
# shellcheck disable=SC2046
python3 -c "$script" "${MAX_FILE:-500}" "${MAX_FUNC:-120}" \
  $(find "$@" -name '*.swift' ! -path '*/Lexicons/LexiconData.swift' ! -path '*/Lexicons/LexiconTable.swift' | sort)
