#!/usr/bin/env bash
# The response cap's memory bound: `repute watch --once` against a local feed that streams 1 GiB
# of spaces after a valid start (no Content-Length), once per cap in MiB, reporting the watcher's
# peak resident memory (/usr/bin/time -f %M) and its error line. A poll that reaches nobody is the
# baseline. Uses the debug build (swift build) unless REPUTE_BIN names another.
# usage: scripts/measure-response-cap.sh [CAP_MIB ...]   (default: 1 16 256)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${REPUTE_BIN:-.build/debug/repute}
[ -x "$bin" ] || swift build --product repute >/dev/null
work=$(mktemp -d /tmp/repute-cap.XXXXXX)
python3 - "$work/port" <<'PY' &
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(4)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
chunk = b" " * 65536
def serve(c):
    try:
        c.recv(65536)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n"
                  b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>")
        for _ in range((1 << 30) // len(chunk)): c.sendall(chunk)
    except OSError:
        pass
    finally:
        c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
while [ ! -s "$work/port" ]; do sleep 0.1; done
port=$(cat "$work/port")
run() {  # NAME CONFIG
  rm -f "$work"/s.sqlite*
  "$bin" init --store "$work/s.sqlite" >/dev/null 2>&1
  /usr/bin/time -f "$1: peak rss %M KiB, %e s" env no_proxy=127.0.0.1 \
    "$bin" watch --once --no-deliver --store "$work/s.sqlite" --config "$2" 2>&1 | grep -v '^Command exited' || true
}
printf '[[feed]]\nname = "nobody"\nurl = "http://127.0.0.1:9/none"\n' > "$work/none.toml"
run baseline "$work/none.toml"
caps=("$@")
[ ${#caps[@]} -gt 0 ] || caps=(1 16 256)
for m in "${caps[@]}"; do
  printf '[watch]\nmax_response_mib = %s\n[[feed]]\nname = "endless"\nurl = "http://127.0.0.1:%s/a.xml"\n' \
    "$m" "$port" > "$work/c$m.toml"
  run "cap $m MiB" "$work/c$m.toml"
done
