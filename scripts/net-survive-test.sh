#!/usr/bin/env bash
# Issue 19, "surviving the network" and TLS: the tests that stop, restart and cut off a PostgreSQL
# server of their own under running inboxes and watchers. Each part makes its own throwaway cluster
# (scripts/pg-throwaway.sh), so the shared test server of `swift test` is never touched.
#
#   scripts/net-survive-test.sh [restart|watch|netns|tls]...   (default: all four)
#
#   restart  an inbox in tmux while the server is stopped for 10 s and started again, then
#            restarted (`pg_ctl restart -m fast`): "reconnecting…", the draft kept on this machine
#            (0600) then in the store, a claim that did not commit said so and retried once, the
#            inbox back by itself and seeing another person's claim.
#   watch    `repute watch` on a spool folder while the server stops and starts, and a watcher
#            killed (kill -9) and started again: every mention once, none missing.
#   netns    the server in one network namespace, two people's inboxes in another (a veth pair):
#            a claim seen across, the link cut and restored, both inboxes back. Skipped, saying
#            so, where `ip netns add` is not allowed.
#   tls      a CA and a server certificate made with openssl, the server with ssl=on and only
#            `hostssl … scram-sha-256` in pg_hba.conf: sslmode=verify-full with sslrootcert works
#            with the right host name and fails with a wrong one or another CA; a wrong password's
#            error does not show it.
#
# Needs root (a cluster runs as `postgres`; namespaces), tmux, openssl, psql, and the debug build
# (`swift build`; $REPUTE_BIN names another binary). Cleans up its tmux server, clusters and
# namespaces on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
repute=${REPUTE_BIN:-$root/.build/debug/repute}
[ -x "$repute" ] || { echo "net-survive: no $repute (swift build first)" >&2; exit 1; }
for tool in tmux psql openssl; do
  command -v "$tool" >/dev/null || { echo "net-survive: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/repute-net.XXXXXX)
chmod 0755 "$work"
tmux_socket="repute-net-$$"
clusters=()
namespaces=()
links=()
export REPUTE_NOW=2026-11-24T12:00:00Z
export LANG=C.UTF-8

cleanup() {
  local status=$?
  tmux -L "$tmux_socket" kill-server 2>/dev/null || true
  local pids
  pids=$(cat "$work"/*.pid 2>/dev/null || true)
  for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
  for cluster in "${clusters[@]}"; do REPUTE_PG_DIR=$cluster bash "$root/scripts/pg-throwaway.sh" stop || true; done
  for link in "${links[@]}"; do ip link del "$link" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "net-survive: $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# took START WHAT: says how long since START (ms), for the log (docs/benchmarks-log.md).
took() { say "  took $(($(now_ms) - $1)) ms: $2"; }
fail() {
  echo "net-survive: FAILED: $*" >&2
  exit 1
}

# --- a cluster and a store of one's own ---------------------------------------------------------

# new_cluster NAME: starts a cluster in $work/NAME (options from REPUTE_PG_OPTIONS and
# REPUTE_PG_NETNS as pg-throwaway takes them); sets $pg, $port, $su (the superuser's URL).
new_cluster() {
  pg=$work/$1
  clusters+=("$pg")
  su=$(REPUTE_PG_DIR=$pg bash "$root/scripts/pg-throwaway.sh" start)
  port=$(cat "$pg/port")
}

cluster() { REPUTE_PG_DIR=$pg bash "$root/scripts/pg-throwaway.sh" "$1"; }

# sql [DATABASE] STATEMENT: as the superuser over the cluster's socket.
sql() {
  local db=postgres
  if [ $# -gt 1 ]; then db=$1; shift; fi
  psql "host=$pg/sock port=$port user=postgres dbname=$db" -v ON_ERROR_STOP=1 -qAtX -c "$1"
}

# make_store: the demo's mentions and roster in the database webcare (schema repute), the roles
# anna and bram (their passwords in $work/anna.pw, $work/bram.pw) made first, so the roster's
# groups are granted to them as the store arrives (`repute migrate` puts the roster in force on
# the server, issue 19), as a team's DBA and owner would do it.
make_store() {
  "$repute" demo --seed-only --store "$work/demo.sqlite" >/dev/null
  for who in anna bram; do
    head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/$who.pw"
    sql "CREATE ROLE $who LOGIN PASSWORD '$(cat "$work/$who.pw")'"
  done
  sql "CREATE DATABASE webcare"
  "$repute" migrate --from "$work/demo.sqlite" --to "$su&dbname=webcare" >/dev/null
}

# --- tmux --------------------------------------------------------------------------------------

# inbox NAME HOST [PREFIX…]: NAME's inbox over TCP to HOST (the password from PGPASSWORD in the
# pane's environment, never on a command line), its drafts kept under $work/cache-NAME.
inbox() {
  local who=$1 host=$2
  shift 2
  mkdir -p "$work/cache-$who"
  tmux -L "$tmux_socket" new-session -d -s "$who" -x 120 -y 30 \
    "env PGPASSWORD=$(cat "$work/$who.pw") XDG_CACHE_HOME=$work/cache-$who REPUTE_NOW=$REPUTE_NOW TERM=xterm-256color \
      $* $repute inbox --store 'postgres://$who@$host:$port/webcare?sslmode=disable' --ui-lang en; echo EXITED \$?; sleep 600"
}

screen() { tmux -L "$tmux_socket" capture-pane -p -t "$1"; }
keys() { tmux -L "$tmux_socket" send-keys -t "$1" "${@:2}"; }

# wait_for NAME TEXT [SECONDS]: until NAME's screen shows TEXT (a fixed string).
wait_for() {
  local who=$1 text=$2 limit=${3:-15}
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    if screen "$who" | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  screen "$who" >&2
  fail "$who's inbox never showed \"$text\" within $limit s"
}

# The row of @HANDLE on NAME's screen.
row_of() { screen "$1" | grep -F -- "$2" | head -1; }

# wait_row NAME HANDLE TEXT [SECONDS]: until the row of HANDLE shows TEXT.
wait_row() {
  local who=$1 handle=$2 text=$3 limit=${4:-15}
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    if row_of "$who" "$handle" | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  screen "$who" >&2
  fail "the row of $handle in $who's inbox never showed \"$text\""
}

# The handle of the selected row (the one with ▸).
selected_handle() { screen "$1" | grep -F '▸' | head -1 | grep -oE '@[A-Za-z0-9_.]+' | head -1; }

# --- the parts ---------------------------------------------------------------------------------

test_restart() {
  say "restart: the server stopped and started under an open inbox"
  new_cluster restart
  make_store
  inbox anna 127.0.0.1
  wait_for anna "@sanne@"
  sleep 1
  local handle
  handle=$(selected_handle anna)
  [ -n "$handle" ] || fail "no selected row"

  # A claim while the server is down: not done, said so; the inbox goes on drawing and taking keys.
  local t
  cluster pause
  t=$(now_ms)
  wait_for anna "reconnecting…" 15
  took "$t" "the server stopped → \"reconnecting…\" on the status line"
  keys anna c
  wait_for anna "not done" 5
  keys anna j
  sleep 0.5
  keys anna k
  screen anna | grep -qF "EXITED" && fail "the inbox ended while the server was down"
  sleep 10
  cluster resume
  t=$(now_ms)
  wait_for anna "do it again" 20
  took "$t" "the server started → \"reconnected\" on the status line"
  local claims
  claims=$(sql webcare "SELECT count(*) FROM repute.events WHERE action = 'claim'")
  keys anna c
  wait_row anna "$handle" "Anna" 10
  sleep 0.5
  [ "$(sql webcare "SELECT count(*) FROM repute.events WHERE action = 'claim'")" = $((claims + 1)) ] \
    || fail "the retried claim was not recorded exactly once"
  say "restart: the claim not done while down, done once on retry"

  # A draft typed across a restart: kept on this machine while the server is away, then stored.
  keys anna r
  wait_for anna "Esc keep draft"
  keys anna C-u
  keys anna -l "Hoi, we kijken er nu naar"
  sleep 1.5
  cluster pause
  keys anna -l " en bellen je vandaag"
  wait_for anna "kept on this machine" 15
  local file
  file=$(find "$work/cache-anna/repute/drafts" -name '*.draft' | head -1)
  [ -n "$file" ] || fail "no draft file on this machine"
  [ "$(stat -c %a "$file")" = 600 ] || fail "the draft file is not 0600"
  grep -qF "bellen je vandaag" "$file" || fail "the draft file lacks the last words typed"
  cluster resume
  wait_for anna "reconnected" 20
  sleep 1
  sql webcare "SELECT text FROM repute.drafts WHERE author LIKE 'Anna%'" | grep -qF "Hoi, we kijken er nu naar en bellen je vandaag" \
    || fail "the draft did not reach the store"
  [ -e "$file" ] && fail "the draft file stayed after the store took it"
  say "restart: the draft kept locally (0600), then in the store"
  keys anna Escape
  wait_for anna "draft kept" 10

  # pg_ctl restart: the inbox follows by itself, and shows a mention stored after it by Bram.
  cluster restart
  t=$(now_ms)
  sleep 2
  printf '{"platform":"mastodon","id":"after-restart","created_at":"2026-11-24T11:59:00Z","text":"Mijn trein staat al een uur stil bij Utrecht, wat is er aan de hand?","lang":"nl","author":{"handle":"stilstand@mastodon.nl","name":"Stil"}}\n' >"$work/arrival.jsonl"
  env PGPASSWORD="$(cat "$work/bram.pw")" "$repute" ingest "$work/arrival.jsonl" \
    --store "postgres://bram@127.0.0.1:$port/webcare?sslmode=disable" >/dev/null
  wait_for anna "@stilstand" 10
  took "$t" "pg_ctl restart → a mention stored after it shows (2 s of that a pause on purpose)"
  screen anna | grep -qF "EXITED" && fail "the inbox ended"
  say "restart: after pg_ctl restart the inbox shows what Bram stored, by itself"
  tmux -L "$tmux_socket" kill-session -t anna
}

# Writes N native JSON Lines mentions numbered from FROM into FILE (written aside, then renamed).
mentions_file() {
  local file=$1 from=$2 n=$3 i
  for ((i = from; i < from + n; i++)); do
    printf '{"platform":"mastodon","id":"net-%d","created_at":"2026-11-24T11:%02d:00Z","text":"Vertraging op lijn %d, weer!","lang":"nl","author":{"handle":"reiziger%d@mastodon.nl","name":"R%d"}}\n' \
      "$i" $((i % 60)) "$i" "$i" "$i"
  done >"$file.part"
  mv "$file.part" "$file"
}

watcher() {
  # The real clock: with REPUTE_NOW pinned, a polled source would never be due again.
  env -u REPUTE_NOW "$repute" watch --no-deliver --config "$work/watch.toml" --store "$su&dbname=webcare" \
    >>"$work/watch.log" 2>&1 &
  echo $! >"$work/watch.pid"
  disown
}

count_net() { sql webcare "SELECT count(*) || ' ' || count(DISTINCT external_id) FROM repute.mentions WHERE external_id LIKE 'net-%'"; }

wait_count() {
  local want=$1 limit=${2:-30}
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(count_net 2>/dev/null)" = "$want $want" ] && return 0
    sleep 0.25
  done
  cat "$work/watch.log" >&2
  fail "the store never held $want mentions once each (it holds: $(count_net))"
}

test_watch() {
  say "watch: a watcher across a stopped server and a kill -9"
  new_cluster watch
  make_store
  mkdir -p "$work/drop"
  printf '[watch]\ninterval = "1s"\n\n[[spool]]\nname = "drop"\npath = "%s"\ninterval = "1s"\n' "$work/drop" >"$work/watch.toml"
  watcher
  mentions_file "$work/drop/a.jsonl" 0 300
  wait_count 300
  cluster pause
  mentions_file "$work/drop/b.jsonl" 300 300
  sleep 4
  kill -0 "$(cat "$work/watch.pid")" || fail "the watcher ended while the server was down"
  cluster resume
  local t
  t=$(now_ms)
  wait_count 600 40
  took "$t" "the server started → the page dropped meanwhile stored"
  say "watch: a page dropped while the server was down arrives once, after it is back"
  # A watcher killed mid-poll: its lease is taken over by the next (its process is gone).
  mentions_file "$work/drop/c.jsonl" 600 3000
  sleep 0.3
  kill -9 "$(cat "$work/watch.pid")"
  watcher
  wait_count 3600 60
  say "watch: after kill -9 the next watcher takes the lease over, every mention once"
  kill "$(cat "$work/watch.pid")" 2>/dev/null || true
}

test_netns() {
  say "netns: the server in one namespace, two inboxes in another"
  local srv=rnsrv$$ cli=rncli$$ vs=rvs$$ vc=rvc$$
  if ! ip netns add "$srv" 2>/dev/null; then
    say "SKIPPED netns: ip netns add is not allowed here"
    return 0
  fi
  namespaces+=("$srv")
  ip netns add "$cli"
  namespaces+=("$cli")
  ip link add "$vs" type veth peer name "$vc"
  links+=("$vs")
  ip link set "$vs" netns "$srv"
  ip link set "$vc" netns "$cli"
  ip -n "$srv" addr add 10.231.77.1/24 dev "$vs"
  ip -n "$cli" addr add 10.231.77.2/24 dev "$vc"
  for ns in "$srv" "$cli"; do ip -n "$ns" link set lo up; done
  ip -n "$srv" link set "$vs" up
  ip -n "$cli" link set "$vc" up
  REPUTE_PG_NETNS=$srv REPUTE_PG_OPTIONS="-c listen_addresses=10.231.77.1" new_cluster netns
  echo "host all all 10.231.77.0/24 scram-sha-256" >>"$pg/data/pg_hba.conf"
  sql "SELECT pg_reload_conf()" >/dev/null
  make_store
  inbox anna 10.231.77.1 ip netns exec "$cli"
  inbox bram 10.231.77.1 ip netns exec "$cli"
  wait_for anna "@sanne@"
  wait_for bram "@sanne@"
  sleep 1
  local handle
  handle=$(selected_handle anna)
  keys anna c
  wait_row anna "$handle" "Anna"
  wait_row bram "$handle" "Anna" 5
  say "netns: Anna's claim shows in Bram's inbox across the link"

  local t
  ip -n "$cli" link set "$vc" down
  t=$(now_ms)
  wait_for anna "reconnecting…" 30
  wait_for bram "reconnecting…" 30
  took "$t" "the link cut → \"reconnecting…\" in both inboxes"
  keys bram j
  sleep 0.5
  local other
  other=$(selected_handle bram)
  keys bram c
  wait_for bram "not done" 15
  say "netns: with the link cut both inboxes say reconnecting…, Bram's claim is not done"
  sleep 3
  ip -n "$cli" link set "$vc" up
  t=$(now_ms)
  wait_for anna "reconnected" 30
  wait_for bram "do it again" 30
  took "$t" "the link restored → \"reconnected\" in both inboxes"
  keys bram c
  wait_row bram "$other" "Bram" 10
  wait_row anna "$other" "Bram" 10
  screen anna | grep -qF EXITED && fail "Anna's inbox ended"
  say "netns: the link restored, both inboxes back by themselves, Bram's retried claim seen by Anna"
  tmux -L "$tmux_socket" kill-session -t anna
  tmux -L "$tmux_socket" kill-session -t bram
}

# cert NAME CN CA: a key and a certificate for the host name CN signed by CA (in $tls).
cert() {
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$tls/$1.key" -out "$tls/$1.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s\n' "$2" >"$tls/$1.ext"
  openssl x509 -req -in "$tls/$1.csr" -CA "$tls/$3.crt" -CAkey "$tls/$3.key" -CAcreateserial -days 2 \
    -extfile "$tls/$1.ext" -out "$tls/$1.crt" 2>/dev/null
  chown postgres "$tls/$1.key" "$tls/$1.crt"
  chmod 0600 "$tls/$1.key"
}

# serve NAME: the server presents the certificate NAME (a reload; ssl on).
serve() {
  sql "ALTER SYSTEM SET ssl = on" >/dev/null
  sql "ALTER SYSTEM SET ssl_cert_file = '$tls/$1.crt'" >/dev/null
  sql "ALTER SYSTEM SET ssl_key_file = '$tls/$1.key'" >/dev/null
  sql "SELECT pg_reload_conf()" >/dev/null
  sleep 0.5
}

test_tls() {
  say "tls: verify-full with a CA file, hostssl and scram-sha-256"
  tls=$work/tls
  mkdir -p "$tls"
  chmod 0755 "$tls"
  for ca in ca other; do
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Repute test $ca" \
      -keyout "$tls/$ca.key" -out "$tls/$ca.crt" 2>/dev/null
  done
  cert server localhost ca
  cert elsewhere db.elsewhere.example ca
  new_cluster tls-cluster
  serve server
  # Only TLS over TCP, with scram-sha-256 (as the guide shows).
  sed -i -E 's/^host(\s)/hostssl\1/' "$pg/data/pg_hba.conf"
  sql "SELECT pg_reload_conf()" >/dev/null
  make_store
  local pw out
  pw=$(cat "$work/anna.pw")
  local base="postgres://anna@localhost:$port/webcare"
  local full="$base?sslmode=verify-full&sslrootcert=$tls/ca.crt"
  out=$(PGPASSWORD=$pw "$repute" check --store "$full" 2>&1) \
    || fail "verify-full with the CA and the right host name: $out"
  echo "$out" | grep -qF "with TLS" || fail "no TLS in: $out"
  say "tls: verify-full with sslrootcert and the right host name connects, with TLS"
  # The password from ~/.pgpass (0600) instead of PGPASSWORD.
  mkdir -p "$work/home"
  echo "localhost:$port:webcare:anna:$pw" >"$work/home/.pgpass"
  chmod 0600 "$work/home/.pgpass"
  out=$(env -u PGPASSWORD HOME="$work/home" "$repute" check --store "$full" 2>&1) \
    || fail "the password from ~/.pgpass: $out"
  say "tls: the password from ~/.pgpass works"
  if out=$(PGPASSWORD=$pw "$repute" check --store "$base?sslmode=verify-full&sslrootcert=$tls/other.crt" 2>&1); then
    fail "verify-full accepted a certificate of another CA: $out"
  fi
  echo "$out" | grep -qF "not signed by the CA in sslrootcert" || fail "another CA, but: $out"
  say "tls: another CA is refused: $(echo "$out" | head -1)"
  if out=$(PGPASSWORD=$pw "$repute" check --store "$base?sslmode=verify-full" 2>&1); then
    fail "verify-full without a CA file connected: $out"
  fi
  say "tls: verify-full without a CA file is refused: $(echo "$out" | head -1)"
  if out=$(PGPASSWORD=$pw "$repute" check --store "$base?sslmode=disable" 2>&1); then
    fail "hostssl let a connection without TLS in: $out"
  fi
  say "tls: without TLS the server refuses (hostssl only)"
  local wrong="not-the-password-$$-x7"
  if out=$(PGPASSWORD=$wrong "$repute" check --store "$full" 2>&1); then
    fail "a wrong password logged in"
  fi
  echo "$out" | grep -qF "$wrong" && fail "the wrong password shows in the error: $out"
  echo "$out" | grep -qF "$pw" && fail "the password shows in the error: $out"
  say "tls: a wrong password is refused without being shown: $(echo "$out" | head -1)"
  # The same CA, a certificate for another host name.
  serve elsewhere
  if out=$(PGPASSWORD=$pw "$repute" check --store "$full" 2>&1); then
    fail "verify-full accepted a certificate for another host name: $out"
  fi
  echo "$out" | grep -qF "does not name localhost" || fail "another host name, but: $out"
  say "tls: a certificate for another host name is refused: $(echo "$out" | head -1)"
  out=$(PGPASSWORD=$pw "$repute" check --store "$base?sslmode=verify-ca&sslrootcert=$tls/ca.crt" 2>&1) \
    || fail "verify-ca (no host name check) with the right CA: $out"
  say "tls: verify-ca takes it (the CA is right, the name is not checked)"
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(tls restart watch netns)
for part in "${parts[@]}"; do
  case "$part" in
    restart | watch | netns | tls) "test_$part" ;;
    *) fail "no part $part (restart, watch, netns, tls)" ;;
  esac
done
say "all passed: ${parts[*]}"
