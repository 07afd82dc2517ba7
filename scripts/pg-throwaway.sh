#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and CI: initdb in a temporary folder owned by the
# `postgres` user, the server on a free port on 127.0.0.1 and on a socket folder of its own.
#
#   scripts/pg-throwaway.sh start   start one (prints its URL); a second start while it runs is an error
#   scripts/pg-throwaway.sh url     print the URL the tests take (REPUTE_TEST_PG_URL)
#   scripts/pg-throwaway.sh stop    stop it and remove its folder (harmless when none runs)
#   scripts/pg-throwaway.sh pause   stop the server, keep the cluster (the network tests, issue 19)
#   scripts/pg-throwaway.sh resume  start it again on the same port
#   scripts/pg-throwaway.sh restart restart it (`pg_ctl restart -m fast`)
#
# `start` takes more server options from $REPUTE_PG_OPTIONS (e.g. "-c ssl=on -c ssl_cert_file=…")
# and starts the server in the network namespace $REPUTE_PG_NETNS when set (`ip netns`); both are
# kept for `resume` and `restart`.
#
# The cluster lives in $REPUTE_PG_DIR (default /tmp/repute-pg-throwaway): give each parallel user
# their own. Local (socket) connections are trusted, TCP ones ask for a password (scram-sha-256):
# the URL uses the socket as the superuser `postgres`; tests make roles with passwords for TCP.
# Needs Debian's postgresql (PostgreSQL 15: /usr/lib/postgresql/15/bin) and root or `postgres`.
set -euo pipefail

dir=${REPUTE_PG_DIR:-/tmp/repute-pg-throwaway}
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

# From /, which the postgres user can read: pg_ctl and initdb fail to find their own programs
# from a folder they cannot read (a clone under /root, say).
as_postgres() {
  if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else (cd / && runuser -u postgres -- "$@"); fi
}

url() {
  [ -f "$dir/port" ] || { echo "pg-throwaway: no cluster in $dir (start one first)" >&2; exit 1; }
  echo "postgres://postgres@/postgres?host=$dir/sock&port=$(cat "$dir/port")"
}

# pg_ctl as `postgres`, in the cluster's network namespace when it has one.
pg_ctl_as_postgres() {
  local netns
  netns=$(cat "$dir/netns" 2>/dev/null || true)
  if [ -n "$netns" ]; then
    (cd / && ip netns exec "$netns" runuser -u postgres -- "$bin/pg_ctl" "$@")
  else
    as_postgres "$bin/pg_ctl" "$@"
  fi
}

# Starts the server of the cluster in $dir with the options it was made with.
run_server() {
  local port
  port=$(cat "$dir/port")
  # shellcheck disable=SC2086
  pg_ctl_as_postgres -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off $(cat "$dir/options")" "$@" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
}

free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "pg-throwaway: found no free port" >&2
  exit 1
}

start() {
  [ -x "$bin/initdb" ] || { echo "pg-throwaway: no PostgreSQL server here (apt-get install postgresql)" >&2; exit 1; }
  if [ -f "$dir/port" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "pg-throwaway: a cluster runs in $dir already (stop it first)" >&2
    exit 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir/sock"
  chown -R postgres:postgres "$dir"
  chmod 0700 "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  free_port >"$dir/port"
  echo "${REPUTE_PG_OPTIONS:-}" >"$dir/options"
  echo "${REPUTE_PG_NETNS:-}" >"$dir/netns"
  run_server start
  url
}

stop() {
  if [ -d "$dir/data" ]; then
    pg_ctl_as_postgres -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

pause() {
  [ -f "$dir/port" ] || { echo "pg-throwaway: no cluster in $dir" >&2; exit 1; }
  pg_ctl_as_postgres -D "$dir/data" -m fast -w stop >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  pause) pause ;;
  resume) run_server start ;;
  restart) run_server -m fast restart ;;
  *) echo "usage: scripts/pg-throwaway.sh start|stop|url|pause|resume|restart" >&2; exit 64 ;;
esac
