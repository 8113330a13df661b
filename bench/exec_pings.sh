#!/usr/bin/env bash
# amr-tui exec against redis-cli (the anchor) on the same local redis-server, whole-process
# wall time measured from outside, stdout to a file (raw output, as in a pipe):
#   1. N sequential PINGs: `amr-tui exec -p local -- PING` run N times, one process after the
#      other, beside `redis-cli PING` N times (interleaved per call, so load changes hit both);
#   2. a piped script of S commands: S lines of PING on stdin of one `amr-tui exec -p local`
#      beside one `redis-cli`, R rounds, interleaved.
# Prints median/p90/min per PING process, the total of the N, and the median script time, with
# /proc/loadavg before and after.
#   bench/exec_pings.sh [N] [S] [R]      (defaults N=200, S=10000, R=5)
set -euo pipefail
n=${1:-200}
lines=${2:-10000}
rounds=${3:-5}
cd "$(dirname "$0")/.."
. bench/release_build.sh
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
rpid=$!
trap 'kill "$rpid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.1; done
release_build "$work/amr-tui"
cat >"$work/profiles.toml" <<TOML
version = 1
[profiles.local]
host = "127.0.0.1"
port = $port
cluster = "off"
[profiles.local.tls]
enabled = false
[profiles.local.auth]
kind = "none"
TOML
echo "== $(redis-cli --version) · redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') · $(git rev-parse --short HEAD) · $(nproc) cores"
echo "== loadavg before: $(cat /proc/loadavg)"
AMR_TUI_CONFIG="$work/profiles.toml" python3 - "$n" "$lines" "$rounds" "$port" "$work" <<'PY'
import os, statistics, subprocess, sys, time
n, lines, rounds, port, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
amr = os.path.join(work, "amr-tui")
cli = ["redis-cli", "-p", port]
exe = [amr, "exec", "-p", "local"]
out = os.path.join(work, "out")

def run(args, stdin=None):
    with open(out, "wb") as f:
        t = time.perf_counter()
        subprocess.run(args, stdin=stdin, stdout=f, check=True)
        w = time.perf_counter() - t
    with open(out, "rb") as f:
        return w * 1000, f.read()

wall = {"redis-cli": [], "amr-tui exec": []}
for _ in range(n):
    for k, args in (("redis-cli", cli + ["PING"]), ("amr-tui exec", exe + ["--", "PING"])):
        w, o = run(args)
        if o != b"PONG\n":
            sys.exit(f"{k} PING printed {o!r}")
        wall[k].append(w)
print(f"-- {n} sequential PINGs, one process each")
for k, ws in wall.items():
    ws = sorted(ws)
    print(f"{k:14} median {statistics.median(ws):7.1f} ms  p90 {ws[len(ws) * 9 // 10]:7.1f} ms  min {ws[0]:6.1f} ms  total {sum(ws) / 1000:6.2f} s")
r = statistics.median(wall["amr-tui exec"]) / statistics.median(wall["redis-cli"])
print(f"ratio of medians (exec / redis-cli): {r:.2f}x")

script = os.path.join(work, "script")
with open(script, "wb") as f:
    f.write(b"PING\n" * lines)
wall = {"redis-cli": [], "amr-tui exec": []}
for _ in range(rounds):
    for k, args in (("redis-cli", cli), ("amr-tui exec", exe)):
        with open(script, "rb") as stdin:
            w, o = run(args, stdin)
        if o != b"PONG\n" * lines:
            sys.exit(f"{k} script printed {len(o)} bytes, want {5 * lines}")
        wall[k].append(w)
print(f"-- a piped script of {lines} PINGs, one process, {rounds} rounds")
for k, ws in wall.items():
    print(f"{k:14} median {statistics.median(ws):7.1f} ms  min {min(ws):6.1f} ms  ({statistics.median(ws) * 1000 / lines:.1f} µs a command)")
r = statistics.median(wall["amr-tui exec"]) / statistics.median(wall["redis-cli"])
print(f"ratio of medians (exec / redis-cli): {r:.2f}x")
PY
echo "== loadavg after: $(cat /proc/loadavg)"
