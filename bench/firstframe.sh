#!/usr/bin/env bash
# Launch → first frame and launch → first key row of the TUI, whole process, in tmux (issue 17:
# first frame ≤ 30 ms, first keys ≤ 100 ms): the binary built from BASE (default main) against
# the one built from this work tree, with `less` on a 100k-line file as the anchor (launch →
# last screen line), all three interleaved so load changes hit them alike; medians of RUNS.
# The same probe as bench/scale.sh: capture-pane polled every 2 ms from just before the
# respawn, so the probe itself costs a few ms (the less figure is that floor plus less).
#
#   bench/firstframe.sh                    # BASE=main RUNS=15 KEYS=1000000
#   BASE=HEAD~1 RUNS=31 bench/firstframe.sh
# Needs redis-server, redis-cli, tmux, less.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/release_build.sh
BASE="${BASE:-main}"
RUNS="${RUNS:-15}"
KEYS="${KEYS:-1000000}"
WORK="$(mktemp -d /tmp/amr-ff.XXXXXX)"
T="tmux -L amr-ff-$$"
PORT=""
cleanup() {
	$T kill-server 2>/dev/null || true
	[ -n "$PORT" ] && redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM HUP

mkdir -p "$WORK/base"
git archive "$BASE" | tar -x -C "$WORK/base"
release_build "$WORK/before" "$WORK/base"
release_build "$WORK/after"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
	--logfile "$WORK/redis.log" --enable-debug-command local --daemonize yes >/dev/null
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$PORT" DEBUG POPULATE "$KEYS" key 10 >/dev/null
"$WORK/after" --config "$WORK/p.toml" profiles add ff --from-url "redis://127.0.0.1:$PORT/0" >/dev/null
seq 100000 >"$WORK/lines.txt"

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
wait_for() { # REGEX: ms from T0 until the pane matches
	local deadline=$(($(now_ms) + 20000))
	while :; do
		if $T capture-pane -p -t b | grep -Eq -- "$1"; then echo $(($(now_ms) - T0)); return; fi
		(($(now_ms) > deadline)) && { echo 99999; return; }
		sleep 0.002
	done
}
KEYROW='^[›> ] +[^ ]*key:'
$T new-session -d -s b -x 160 -y 45 "exec sleep 3600"
$T set-option -g remain-on-exit on >/dev/null
probe() { # NAME CMD FRAME_REGEX KEYS_REGEX
	T0=$(now_ms)
	$T respawn-pane -k -t b "exec $2"
	wait_for "$3" >>"$WORK/$1.ff"
	wait_for "$4" >>"$WORK/$1.fk"
	$T respawn-pane -k -t b "exec sleep 3600"
	sleep 0.2
}
for _ in $(seq "$RUNS"); do
	probe before "$WORK/before --config $WORK/p.toml -p ff" '[^[:space:]]' "$KEYROW"
	probe after "$WORK/after --config $WORK/p.toml -p ff" '[^[:space:]]' "$KEYROW"
	probe less "less $WORK/lines.txt" '[^[:space:]]' '^40$'
done
echo "== $(date -u +%FT%TZ) · load average: $(cut -d' ' -f1-3 /proc/loadavg) · $(nproc) cores · $KEYS keys · medians of $RUNS, interleaved"
printf '   %-34s %12s %12s\n' "" "first frame" "first keys"
printf '   %-34s %9s ms %9s ms\n' "amr-tui ($BASE)" "$(median <"$WORK/before.ff")" "$(median <"$WORK/before.fk")"
printf '   %-34s %9s ms %9s ms\n' "amr-tui (this tree)" "$(median <"$WORK/after.ff")" "$(median <"$WORK/after.fk")"
printf '   %-34s %9s ms %9s ms\n' "less 100k lines (anchor)" "$(median <"$WORK/less.ff")" "$(median <"$WORK/less.fk")"
