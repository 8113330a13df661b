#!/usr/bin/env bash
# Load-all, whole process, against a server you already have: launch → "· complete" after M
# (pressed the moment the first keys are written), each launch right after its anchor
# (valkey-cli --scan --count 1000 on the same database), with the CPU time each process used:
# amr-tui (from /proc/PID/stat once loaded), the redis-server over the launch and load, and
# the tmux server. On a 2-core machine the server needs one core for the walk and every
# millisecond the program takes beside it competes with the server; the CPU columns show that.
# bench/scale.sh runs the same load in its scenarios; this one repeats only it, for changes
# to the scan path (start a server seeded as scale.sh seeds it, or any other).
#
#   PORT=6379 DB=0 RUNS=5 bench/loadall.sh            # builds ./amr-tui from this tree
#   BIN=/path/to/amr-tui PORT=6379 bench/loadall.sh
# Needs tmux, python3, valkey-cli (PATH or /tmp/bpo/root/usr/bin, see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/release_build.sh
PORT="${PORT:?PORT of a redis-server with the keys to load}"
DB="${DB:-0}"
RUNS="${RUNS:-5}"
VALKEY_CLI="${VALKEY_CLI:-$(command -v valkey-cli || echo /tmp/bpo/root/usr/bin/valkey-cli)}"
WORK="$(mktemp -d /tmp/amr-loadall.XXXXXX)"
T="tmux -L amr-loadall-$$"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM HUP
if [ -z "${BIN:-}" ]; then
	release_build "$WORK/amr-tui"
	BIN="$WORK/amr-tui"
fi
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
cpu_ms() { awk '{printf "%d", ($14 + $15) * 10}' "/proc/$1/stat"; } # utime + stime, 100 Hz ticks
SERVER=$(redis-cli -p "$PORT" INFO server | awk -F: '/^process_id/ {print $2+0}')
CFG="$WORK/profiles.toml"
"$BIN" --config "$CFG" profiles add bench --from-url "redis://127.0.0.1:$PORT/$DB" >/dev/null
$T new-session -d -s bench -x 160 -y 45 "exec sleep 3600"
$T set-option -g remain-on-exit on >/dev/null
TMUXPID=$($T display -p '#{pid}')
OUT="$WORK/watch.out"
echo "== $(date -u +%FT%TZ) · load average: $(cut -d' ' -f1-3 /proc/loadavg) · $(nproc) cores · db $DB: $(redis-cli -p "$PORT" -n "$DB" DBSIZE) keys"
echo "   run  valkey-cli  amr-tui  ratio   CPU ms: amr-tui  redis-server  tmux"
for i in $(seq "$RUNS"); do
	s=$(now_ms)
	"$VALKEY_CLI" -p "$PORT" -n "$DB" --scan --count 1000 >/dev/null
	anchor=$(($(now_ms) - s))
	$T respawn-pane -k -t bench "exec sleep 3600"
	sleep 0.2
	rm -f "$OUT"
	$T pipe-pane -t bench "exec python3 $PWD/bench/panewatch.py $OUT '(user|session|cache|key):[^ ]::$T send-keys -t bench M' '· complete'"
	while [ ! -e "$OUT" ]; do sleep 0.01; done
	srv0=$(cpu_ms "$SERVER") tmux0=$(cpu_ms "$TMUXPID")
	T0=$(now_ms)
	$T respawn-pane -k -t bench "exec $BIN --config $CFG -p bench"
	until [ "$(wc -l <"$OUT")" -ge 2 ]; do sleep 0.05; done
	$T pipe-pane -t bench
	load=$(awk -v t0="$T0" 'NR == 2 {print $1 - t0}' "$OUT")
	pid=$($T display -p -t bench '#{pane_pid}')
	printf "   %3d  %7d ms  %5d ms  %.2f×  %14d  %12d  %4d\n" "$i" "$anchor" "$load" \
		"$(awk -v a="$anchor" -v b="$load" 'BEGIN {print a / b}')" \
		"$(cpu_ms "$pid")" "$(($(cpu_ms "$SERVER") - srv0))" "$(($(cpu_ms "$TMUXPID") - tmux0))"
done
