#!/usr/bin/env python3
# bench-commands-ab.py BIN_A BIN_B N: two builds' short commands, alternating in one run (issue 17):
# `repute reply` (each on a complaint of its own), `report --json` and `reply --help`, N of each, on
# one copy of the team bench's 200 k seed (SEED, default the one scripts/bench-team.sh keeps); the
# median and p95 CPU (user + sys, from wait4's rusage) and wall of each.
import os, sys, subprocess, time, statistics, shutil
a, b, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
w = os.environ.get('BENCH_DIR', '/tmp/repute-bench-commands-ab'); shutil.rmtree(w, ignore_errors=True); os.makedirs(w)
store = w + '/repute.sqlite'
shutil.copy(os.environ.get('SEED', '/tmp/repute-bench-team/seed-200000.sqlite'), store); os.chmod(store, 0o600)
env = dict(os.environ, XDG_CONFIG_HOME='/nonexistent/repute-bench', REPUTE_USER='Bench',
           REPUTE_NOW=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(1790000000 + 3 * 200000 + 600)))
ids = subprocess.run(['sqlite3', store, "SELECT id FROM mentions WHERE status='open' AND category='complaint' ORDER BY id DESC LIMIT %d" % (2 * n + 2)], capture_output=True, text=True).stdout.split()
res = {}
def run(side, cmd, args):
    t0 = time.monotonic()
    p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    res.setdefault((side, cmd), []).append((time.monotonic() - t0, ru.ru_utime + ru.ru_stime))
for i in range(n):
    for k, (side, binary) in enumerate((('a', a), ('b', b)) if i % 2 == 0 else (('b', b), ('a', a))):
        mid = ids[2 * i + (0 if side == 'a' else 1)]
        run(side, 'reply', [binary, 'reply', '--store', store, mid, '--yes', '--text', 'Wat vervelend, sorry voor de vertraging. We zoeken uit wat er misging.'])
        run(side, 'report', [binary, 'report', '--store', store, '--json'])
        run(side, 'help', [binary, 'reply', '--help'])
for (side, cmd), r in sorted(res.items(), key=lambda x: (x[0][1], x[0][0])):
    wall = sorted(x[0] for x in r); cpu = sorted(x[1] for x in r)
    p95 = lambda v: v[min(len(v) - 1, int(0.95 * len(v)))]
    print('%s %-6s n=%d  cpu median %.1f ms p95 %.1f   wall median %.1f ms p95 %.1f' % (side, cmd, len(r), 1000 * statistics.median(cpu), 1000 * p95(cpu), 1000 * statistics.median(wall), 1000 * p95(wall)))
