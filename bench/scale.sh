#!/usr/bin/env bash
# Whole-process scale benchmarks of the amr-tui binary (issue 17), each printed next to its
# goal and an anchor measured in the same run. Everything runs in tmux on loopback against a
# redis-server this script starts (and stops) itself:
#   db 0: 1M "realistic" keys — user:{id}:profile (hashes), session:{uuid}, cache:{a}:{b}:{c}
#   db 1: 5M key:N (DEBUG POPULATE)
# Launch timings (first frame, first keys, everything loaded) read what the program writes to
# the terminal as it writes it (bench/panewatch.py on `tmux pipe-pane`), from just before the
# process starts, with no polling: a poll is a tmux client and a grep, and polling every few
# ms took a third of a core from the program on a 2-core machine while the anchors run
# unprobed. The same watcher times `less` on a 100k-line file, the launch floor. Launch figures
# are also given from the process's exec (a stamp written by the bash that execs it), the
# program's own share of a launch, without tmux making the pane. Shorter waits
# inside a running program (filter, tree) poll the pane; key presses are read from the
# stream. Memory is VmHWM (peak resident set) from /proc/PID/status of the amr-tui process.
#
#   bench/scale.sh                       # builds ./amr-tui from this tree
#   BIN=/path/to/amr-tui RUNS=5 bench/scale.sh   # RUNS: launches per median (load-all runs
#                                                # interleaved with their valkey-cli anchor)
#   VALKEY_CLI=/path/to/valkey-cli bench/scale.sh   # default: valkey-cli on PATH or /tmp/bpo/root/usr/bin
#   SKIP_1M=1 SKIP_5M=1 SKIP_DEMO=1 bench/scale.sh   # leave parts out (the anchors always run)
#
# valkey-cli 8 (bookworm-backports' valkey-tools, see BENCHMARKS.md for unpacking it without
# installing) has --scan --count; redis-cli 7.0 sends SCAN without COUNT (the server's 10).
# Needs redis-server, redis-cli, tmux, less, awk, python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/release_build.sh
RUNS="${RUNS:-3}"
N_REAL="${N_REAL:-1000000}" # sizes, smaller for a quick check of the script itself
N_BIG="${N_BIG:-5000000}"
# Load-all waits for "complete" written after M: a keyspace the first load target (100,000
# keys) already covers is complete before M, and the wait would run to its timeout.
for n in "$N_REAL" "$N_BIG"; do
	if ((n <= 120000)); then
		echo "scale.sh: N_REAL and N_BIG must be above 120,000 (the first load target is 100,000 keys)" >&2
		exit 2
	fi
done
WORK="$(mktemp -d /tmp/amr-scale.XXXXXX)"
SOCK="amr-scale-$$"
T="tmux -L $SOCK"
PORT=""
cleanup() {
	$T kill-server 2>/dev/null || true
	[ -n "$PORT" ] && redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM HUP

BUILT="given"
if [ -z "${BIN:-}" ]; then
	release_build "$WORK/amr-tui"
	BIN="$WORK/amr-tui"
	BUILT="$([ -n "${DEV_BUILD:-}" ] && echo "go build" || echo "release build"), from $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')"
fi
VALKEY_CLI="${VALKEY_CLI:-$(command -v valkey-cli || true)}"
[ -z "$VALKEY_CLI" ] && [ -x /tmp/bpo/root/usr/bin/valkey-cli ] && VALKEY_CLI=/tmp/bpo/root/usr/bin/valkey-cli

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "-"; exit} print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
maxof() { sort -n | tail -1; }
p99() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99+0.999); if (i<1) i=1; print a[i]}'; }
pane() { $T capture-pane -p -t bench 2>/dev/null || true; }
pane_pid() { $T display -p -t bench '#{pane_pid}'; }
vmhwm() { awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
vmrss() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }

# wait_for REGEX TIMEOUT_S: milliseconds from T0 until the pane matches (or "timeout"),
# polling every 2 ms. Each poll runs a tmux client and grep, CPU taken from the program
# measured, so only short waits inside a running program poll; launches and loads are read
# from the terminal stream (watch, below).
wait_for() {
	local deadline=$(($(now_ms) + $2 * 1000))
	while :; do
		if pane | grep -Eq -- "$1"; then
			echo $(($(now_ms) - T0))
			return 0
		fi
		if (($(now_ms) > deadline)); then
			echo timeout
			return 0
		fi
		sleep 0.002
	done
}

# launch CMD…: runs it in the bench pane (replacing what ran there) and sets T0 just before.
launch() {
	T0=$(now_ms)
	$T respawn-pane -k -t bench "exec $*"
}
stop_pane() { $T respawn-pane -k -t bench "exec sleep 3600"; sleep 0.2; }

# launch_stamped CMD…: launch, through a bash that writes the time (ms) to $STAMP just before
# it execs CMD. T0 includes what tmux takes to make the pane's process (a fork, a pty, a
# shell), which on a VM with slow process creation was most of the less floor (30 ms);
# "after exec" is the program's own share of a launch figure. The wrapper's bash start-up
# (1–3 ms) falls before the stamp, so it counts in the from-launch figure only.
STAMP="$WORK/exec.at"
printf '#!/usr/bin/env bash\nt=${EPOCHREALTIME/./}; echo $((t / 1000)) >%q; exec "$@"\n' "$STAMP" >"$WORK/stamp.sh"
chmod +x "$WORK/stamp.sh"
launch_stamped() {
	rm -f "$STAMP"
	launch "$WORK/stamp.sh $*"
}
# since_exec MS_FROM_T0: the same moment as milliseconds after the stamped exec.
since_exec() { [ -s "$STAMP" ] && [ "$1" != timeout ] && echo $(($1 - ($(cat "$STAMP") - T0))) || echo "-"; }

# watch STAGE…: starts bench/panewatch.py on what the bench pane writes from now on (each STAGE
# a regex, or REGEX::COMMAND to run when it matches) and waits until it is reading.
WATCH_OUT="$WORK/watch.out"
watch() {
	local args="" st
	for st in "$@"; do args+=" $(printf '%q' "$st")"; done
	rm -f "$WATCH_OUT"
	$T pipe-pane -t bench "exec python3 $PWD/bench/panewatch.py $WATCH_OUT$args"
	local deadline=$(($(now_ms) + 10000))
	while [ ! -e "$WATCH_OUT" ] && (($(now_ms) < deadline)); do sleep 0.01; done
}
# watched N TIMEOUT_S: waits for the watcher's first N stages; prints each as ms from T0
# ("timeout" for those that never came), then stops watching.
watched() {
	local deadline=$(($(now_ms) + $2 * 1000)) lines
	while :; do
		lines=$(wc -l <"$WATCH_OUT" 2>/dev/null || echo 0)
		((lines >= $1)) && break
		(($(now_ms) > deadline)) && break
		sleep 0.05
	done
	$T pipe-pane -t bench
	awk -v t0="$T0" -v n="$1" '{printf "%d ", $1 - t0} END {for (i = NR; i < n; i++) printf "timeout "; print ""}' "$WATCH_OUT"
}

$T new-session -d -s bench -x 160 -y 45 "exec sleep 3600"
$T set-option -g remain-on-exit on >/dev/null

# ---------------------------------------------------------------- server and keyspaces
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
	--logfile "$WORK/redis.log" --enable-debug-command local --daemonize yes >/dev/null
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
t=$(now_ms)
awk 'BEGIN {
	srand(1); n = '"$N_REAL"'; third = int(n / 3)
	for (i = 0; i < n; i++) {
		if (i < third) {
			k = "user:" (100000 + i) ":profile"
			v1 = "name"; v2 = "user" i
			printf "*4\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v1), v1, length(v2), v2
			continue
		}
		if (i < 2 * third) {
			k = sprintf("session:%08x-%04x-4%03x-%04x-%06x%06x", int(rand()*4294967296), int(rand()*65536), int(rand()*4096), int(rand()*65536), int(rand()*16777216), int(rand()*16777216))
			v = "{\"uid\":" (100000 + i % 333333) "}"
		} else {
			k = "cache:svc" int(rand()*50) ":" "route" int(rand()*200) ":" i
			v = "cached-" i
		}
		printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
	}
}' | redis-cli -p "$PORT" --pipe >/dev/null
t1=$(now_ms)
redis-cli -p "$PORT" -n 1 DEBUG POPULATE "$N_BIG" key 10 >/dev/null
t2=$(now_ms)
N1=$(redis-cli -p "$PORT" -n 0 DBSIZE)
N5=$(redis-cli -p "$PORT" -n 1 DBSIZE)

echo "== $(date -u +%FT%TZ) · load average: $(cut -d' ' -f1-3 /proc/loadavg) · $(nproc) cores · $(redis-server --version | sed 's/.*v=\([^ ]*\).*/redis-server \1/')"
echo "   binary: $BIN ($BUILT)"
echo "   seeded db 0: $N1 realistic keys in $((t1 - t)) ms (awk | redis-cli --pipe); db 1: $N5 key:N in $((t2 - t1)) ms (DEBUG POPULATE)"
echo "   valkey-cli: ${VALKEY_CLI:-none (redis-cli only: no --count)}"

CFG="$WORK/profiles.toml"
"$BIN" --config "$CFG" profiles add real1m --from-url "redis://127.0.0.1:$PORT/0" >/dev/null
"$BIN" --config "$CFG" profiles add key5m --from-url "redis://127.0.0.1:$PORT/1" >/dev/null
TUI="$BIN --config $CFG -p"

KEYROW='^[›> ] +[^ ]*(user:|session:|cache:|key:)'
# The same in the terminal stream the watcher reads (no screen lines there: a key name
# written), the first visible character, and the status line's end of a load.
KEYS_STREAM='(user|session|cache|key):[^ ]'
FIRST_TEXT='[!-~\x80-\xff]'
COMPLETE='· complete'

# ---------------------------------------------------------------- anchors
seq 100000 >"$WORK/lines.txt"
less_ms=() less_exec=()
for _ in $(seq "$RUNS"); do
	watch '^40\r?$'
	launch_stamped "less $WORK/lines.txt"
	less_ms+=("$(watched 1 10)")
	less_exec+=("$(since_exec "${less_ms[-1]}")")
	stop_pane
done
LESS=$(printf '%s\n' "${less_ms[@]}" | median)
LESS_EXEC=$(printf '%s\n' "${less_exec[@]}" | median)

cli_time1() { # cli args…: whole-process ms, once
	local s=$(now_ms)
	"$@" >/dev/null
	echo $(($(now_ms) - s))
}
cli_time() { # cli args…: whole-process ms, median of RUNS
	local a=()
	for _ in $(seq "$RUNS"); do a+=("$(cli_time1 "$@")"); done
	printf '%s\n' "${a[@]}" | median
}
RC_SCAN1=$(cli_time redis-cli -p "$PORT" -n 0 --scan)
ping_rc=()
ping_amr=()
for _ in $(seq $((RUNS * 5))); do
	s=$(now_ms); redis-cli -p "$PORT" PING >/dev/null; ping_rc+=($(($(now_ms) - s)))
	s=$(now_ms); $BIN --config "$CFG" exec -p real1m -- PING >/dev/null; ping_amr+=($(($(now_ms) - s)))
done
PING_RC=$(printf '%s\n' "${ping_rc[@]}" | median)
PING_AMR=$(printf '%s\n' "${ping_amr[@]}" | median)

# ---------------------------------------------------------------- the TUI
# startup PROFILE: first frame and first keys, medians of RUNS launches (ms), and VmHWM
# (MiB) 3 s after the last launch's first keys, browsing without loading everything.
startup() {
	local ff=() fk=() ffx=() fkx=() pid
	for _ in $(seq "$RUNS"); do
		stop_pane # the last launch still draws: its frames are not this launch's
		watch "$FIRST_TEXT" "$KEYS_STREAM"
		launch_stamped "$TUI $1"
		read -r f k < <(watched 2 60)
		ff+=("$f") fk+=("$k") ffx+=("$(since_exec "$f")") fkx+=("$(since_exec "$k")")
		pid=$(pane_pid)
	done
	sleep 3
	local hwm=$(vmhwm "$pid")
	stop_pane
	echo "$(printf '%s\n' "${ff[@]}" | median) $(printf '%s\n' "${fk[@]}" | median) $hwm" \
		"$(printf '%s\n' "${ffx[@]}" | median) $(printf '%s\n' "${fkx[@]}" | median)"
}

# filter QUERY: types / QUERY and waits for its result line; ms. Leaves the filter with Esc.
filter_ms() {
	T0=$(now_ms)
	$T send-keys -t bench / && $T send-keys -t bench -l "$1"
	local r
	r=$(wait_for "^/$1 +[0-9,]+ of" 120)
	$T send-keys -t bench Escape
	sleep 0.3
	echo "$r"
}

# keypress_latency N: during a scan, moves the cursor N times and times each move on screen.
keypress_latency() {
	local a=() before after r
	for _ in $(seq "$1"); do
		before=$(pane | grep -n '^›' | cut -d: -f1)
		# The moved cursor is the next "›" the program writes: read from the stream, not by
		# polling the pane, whose forks competed with the scan for the two cores.
		watch '›'
		T0=$(now_ms)
		$T send-keys -t bench j
		r=$(watched 1 5)
		after=$(pane | grep -n '^›' | cut -d: -f1)
		[ -n "$after" ] && [ "$after" != "$before" ] || r=timeout # a "›" that was not the move
		a+=("${r% }")
		sleep 0.2
	done
	echo "$(printf '%s\n' "${a[@]}" | grep -v timeout | median) $(printf '%s\n' "${a[@]}" | grep -v timeout | p99) $(printf '%s\n' "${a[@]}" | grep -v timeout | maxof) $(printf '%s\n' "${a[@]}" | grep -c timeout || true)"
}

# scenario PROFILE LABEL DB MAX_MIB: load-all, memory, rescan, filter, tree.
scenario() {
	local prof=$1 label=$2 db=$3 pid
	read -r FF FK browse FFX FKX < <(startup "$prof")
	# launch → everything loaded, M pressed (by the watcher) the moment the first keys are
	# written: whole process, as the valkey-cli anchor is, which runs just before each launch.
	local loads=() anchors=() load anchor
	for _ in $(seq "$RUNS"); do
		stop_pane
		[ -n "$VALKEY_CLI" ] && anchors+=("$(cli_time1 "$VALKEY_CLI" -p "$PORT" -n "$db" --scan --count 1000)")
		watch "$KEYS_STREAM::$T send-keys -t bench M" "$COMPLETE"
		launch "$TUI $prof"
		loads+=("$(watched 2 900 | awk '{print $2}')")
		pid=$(pane_pid)
	done
	load=$(printf '%s\n' "${loads[@]}" | grep -v timeout | median)
	anchor=$( ((${#anchors[@]})) && printf '%s\n' "${anchors[@]}" | median || echo -)
	local hwm_load=$(vmhwm "$pid")
	# rescan, then load everything again
	sleep 1
	watch 'scanning' "$COMPLETE"
	T0=$(now_ms)
	$T send-keys -t bench r
	sleep 0.3
	$T send-keys -t bench M
	local reload=$(watched 2 900 | awk '{print $2}')
	local hwm_rescan=$(vmhwm "$pid")
	local f=()
	for q in 12345 99 user:1 session:ab cache:svc4 key:42; do
		f+=("$(filter_ms "$q")")
	done
	local fmed=$(printf '%s\n' "${f[@]}" | grep -v timeout | median)
	local fmax=$(printf '%s\n' "${f[@]}" | grep -v timeout | maxof)
	local hwm_filter=$(vmhwm "$pid")
	# tree: root, then the first folder
	T0=$(now_ms)
	$T send-keys -t bench t
	local troot=$(wait_for '^TREE \(root\).*complete' 120)
	T0=$(now_ms)
	$T send-keys -t bench Enter
	local tfolder=$(wait_for '^TREE [^(].* [0-9,]+ keys · .*complete' 120)
	local tline=$(pane | grep '^TREE' | head -1 | cut -c1-150)
	stop_pane
	# a key press while the whole keyspace is being scanned
	launch "$TUI $prof"
	wait_for "$KEYROW" 60 >/dev/null
	$T send-keys -t bench M
	sleep 0.5
	read -r KP50 KP99 KPMAX KPTO < <(keypress_latency 15)
	stop_pane
	# j pressed together with M, when the set is sized for every key: RUNS launches
	local mj=() r
	for _ in $(seq "$RUNS"); do
		launch "$TUI $prof"
		wait_for "$KEYROW" 60 >/dev/null
		sleep 0.5
		watch '›'
		T0=$(now_ms)
		$T send-keys -t bench M j
		r=$(watched 1 5)
		mj+=("${r% }")
		stop_pane
	done
	local mjmed=$(printf '%s\n' "${mj[@]}" | grep -v timeout | median)
	local mjmax=$(printf '%s\n' "${mj[@]}" | grep -v timeout | maxof)

	local ratio="-"
	[ "$anchor" != "-" ] && [ "$load" != "timeout" ] && ratio=$(awk -v a="$anchor" -v b="$load" 'BEGIN {printf "%.2f", a/b}')
	echo
	echo "== $label"
	echo "   first frame                 ${FF} ms (${FFX} after exec)    goal ≤ 30 ms      anchor: less 100k lines shown in ${LESS} ms (${LESS_EXEC} after exec)"
	echo "   first keys                  ${FK} ms (${FKX} after exec)    goal ≤ 100 ms     anchor: less ${LESS} ms"
	echo "   launch → all loaded (M)     ${load} ms   (r + M: ${reload} ms)   goal ≥ 0.9× valkey-cli --scan --count 1000: ${anchor} ms → ${ratio}×"
	echo "         medians of $RUNS, each launch right after its anchor: amr-tui ${loads[*]} ms · valkey-cli ${anchors[*]:-} ms"
	echo "   VmHWM browsing (no M)       ${browse} MiB  goal < 50 MiB"
	echo "   VmHWM loaded / +rescan / +filters   ${hwm_load} / ${hwm_rescan} / ${hwm_filter} MiB   goal ≤ $4 MiB"
	echo "   / filter result             median ${fmed} ms, max ${fmax} ms (${f[*]})   goal median ≤ 100 ms (5M)"
	echo "   key press during the scan   p50 ${KP50} ms, p99 ${KP99} ms, max ${KPMAX} ms, ${KPTO} of 15 unanswered in 5 s   goal p99 ≤ 50, max ≤ 100 ms"
	echo "   j pressed with M            median ${mjmed} ms, max ${mjmax} ms (${mj[*]})   goal max ≤ 100 ms"
	echo "   tree: root ${troot} ms, first folder ${tfolder} ms   goal ≤ 100 ms once the index is complete"
	echo "         ${tline}"
}

echo
echo "== anchors"
echo "   less, 100k-line file, launch → last screen line shown: ${LESS} ms, ${LESS_EXEC} ms after its exec (median of $RUNS)"
echo "   redis-cli --scan (COUNT 10), 1M: ${RC_SCAN1} ms · valkey-cli --scan --count 1000: with each scenario, run before each launch"
echo "   PING, whole process: redis-cli ${PING_RC} ms, amr-tui exec -- PING ${PING_AMR} ms → $(awk -v a="$PING_AMR" -v b="$PING_RC" 'BEGIN {printf "%.2f", a/b}')× (goal ≤ 1.5×)"

[ -z "${SKIP_1M:-}" ] && scenario real1m "1M realistic keys (db 0)" 0 120
[ -z "${SKIP_5M:-}" ] && scenario key5m "5M key:N (db 1)" 1 400

if [ -z "${SKIP_DEMO:-}" ]; then
	watch "$FIRST_TEXT" "$KEYS_STREAM"
	launch "env AMR_TUI_CONFIG=$WORK/unused.toml $BIN demo --keys 1000000"
	read -r dff dfk < <(watched 2 120)
	dpid=$(pane_pid)
	sleep 20
	drss=$(vmrss "$dpid")
	dhwm=$(vmhwm "$dpid")
	dstate=$(pane | sed -n 2p | cut -c1-150)
	stop_pane
	echo
	echo "== amr-tui demo --keys 1000000"
	echo "   first frame ${dff} ms, first keys ${dfk} ms   goal: first keys ≤ 2000 ms"
	echo "   20 s later: VmRSS ${drss} MiB, VmHWM ${dhwm} MiB (demo process)   goal RSS ≤ 300 MiB"
	echo "   ${dstate}"
fi
echo
echo "== done · load average: $(cut -d' ' -f1-3 /proc/loadavg)"
