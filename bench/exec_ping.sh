#!/usr/bin/env bash
# Whole-process wall and CPU (user+sys) time of `amr-tui exec -- PING` against a local
# redis-server, beside redis-cli PING (the anchor) in the same run: median, p90 and min of N
# runs each, interleaved so load changes hit every program alike. Extra binaries (another
# build of amr-tui) are measured beside this checkout's.
#   bench/exec_ping.sh [N] [OTHER_AMR_TUI_BINARY …]   (default N=20)
set -euo pipefail
n=${1:-20}
shift || true
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
AMR_TUI_CONFIG="$work/profiles.toml" python3 - "$n" "$port" "$work/amr-tui" "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
n, port, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
runs = [("redis-cli", ["redis-cli", "-p", port, "PING"])] + [(b, [b, "exec", "-p", "local", "--", "PING"]) for b in bins]
cpu = {k: [] for k, _ in runs}
wall = {k: [] for k, _ in runs}
for _ in range(n):
    for k, args in runs:  # interleaved: load changes hit every program alike
        r0, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        out = subprocess.run(args, capture_output=True).stdout
        w, r1 = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
        if out != b"PONG\n":
            sys.exit(f"{k}: {out!r}")
        wall[k].append(w * 1000)
        cpu[k].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
for k, _ in runs:
    ws = sorted(wall[k])
    print(f"{k:45} wall median {statistics.median(ws):7.1f} ms  p90 {ws[len(ws) * 9 // 10]:7.1f} ms  min {ws[0]:6.1f} ms  cpu median {statistics.median(cpu[k]):6.1f} ms  ({n} runs)")
PY
echo "uptime: $(uptime)"
