#!/usr/bin/env bash
# Soak: every amr-tui client at once against `amr-tui demo --serve` with short tokens, while
# faults are injected on a schedule through the demo's control endpoint (`amr-tui demo fault`).
#
#   bench/soak.sh                                   # 12 min, 20 s tokens, a fault every 45 s
#   DURATION=300 TOKEN_LIFETIME=15s bench/soak.sh
#
# Clients (all as the demo's service principal, demo-sp):
#   - the TUI in tmux, its :console running SUBSCRIBE soak:ch (the screen is read every 0.5 s);
#   - `exec SUBSCRIBE soak:ch` and `exec PSUBSCRIBE soak:*` (streams);
#   - one `exec` reading a script on stdin: INCR soak:script every $RATE s.
# A publisher sends PUBLISH soak:ch N every $RATE s straight to the demo's backend (redis-cli,
# no auth, untouched by Entra faults), so every published message is numbered and each
# subscriber's gaps are exact. An exec that exits is restarted (the restart is a failure and
# what it missed is lost); the TUI is never restarted.
#
# Faults, in turn, every $FAULT_EVERY s: entra-slow (3 s for 20 s), close-connections,
# entra-fail (AADSTS7000215 for 5 s), entra-down (5 s), backend-restart (down 1 s). The Entra
# outages are shorter than the refresh margin (40 % of a short token's life), so a client that
# refreshes ahead of expiry rides them out.
#
# Prints: rotations (tokens issued, AUTHs at the gate, connections the gate closed for an
# expired token), commands, messages published/received per subscriber, failed, lost, and the
# time each client took to get a message (or reply) again after each fault. Loopback only;
# everything started is killed on exit. Needs go, tmux, jq, redis-cli, python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${DURATION:-720}"
TOKEN_LIFETIME="${TOKEN_LIFETIME:-20s}"
RATE="${RATE:-0.2}"
FAULT_EVERY="${FAULT_EVERY:-45}"

W="$(mktemp -d /tmp/amr-soak.XXXXXX)"
S="amr-soak-$$"
BIN="$W/amr-tui"
declare -a LOOPS=()
DEMO_PID=""

# The load (publisher, script, faults) stops at $W/stop; the readers (streams, the TUI's screen)
# two seconds later at $W/stop.readers, so every message published is read.
stopping() { [[ -e "$W/stop" ]]; }
reading() { [[ ! -e "$W/stop.readers" ]]; }
now() { printf '%s' "$EPOCHREALTIME"; }

cleanup() {
	touch "$W/stop" "$W/stop.readers"
	tmux kill-session -t "$S" 2>/dev/null || true
	for f in "$W"/*.pid; do
		[[ -e "$f" ]] || continue
		kill "$(cat "$f")" 2>/dev/null || true
	done
	for p in "${LOOPS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait "${LOOPS[@]}" 2>/dev/null || true
	if [[ -n "$DEMO_PID" ]]; then
		kill -INT "$DEMO_PID" 2>/dev/null || true
		wait "$DEMO_PID" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== load at start: $(cut -d' ' -f1-3 /proc/loadavg) · work dir $W"
go build -o "$BIN" .

"$BIN" demo --serve --keys 1000 --token-lifetime "$TOKEN_LIFETIME" >"$W/demo.json" 2>"$W/demo.err" &
DEMO_PID=$!
for _ in $(seq 1 300); do
	[[ -s "$W/demo.json" ]] && break
	sleep 0.1
done
[[ -s "$W/demo.json" ]] || { echo "demo --serve did not start:"; cat "$W/demo.err"; exit 1; }
CFG="$(jq -r .config "$W/demo.json")"
BACKEND="$(jq -r .backend "$W/demo.json")"
export AMR_TUI_DEMO_CONTROL="$(jq -r .control "$W/demo.json")"
BH="${BACKEND%:*}" BP="${BACKEND##*:}"
for a in "$(jq -r .redis "$W/demo.json")" "$BACKEND" "$AMR_TUI_DEMO_CONTROL"; do
	case "$a" in 127.*|http://127.*) ;; *) echo "not loopback: $a"; exit 1 ;; esac
done
"$BIN" demo fault status >"$W/status.start"

# stamp prefixes every line with the time it arrived.
stamp() { while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }

# stream NAME ARGS…: runs `exec ARGS…` until the soak ends, restarting it when it exits.
stream() {
	local name=$1; shift
	while reading; do
		echo "$(now) start" >>"$W/$name.life"
		"$BIN" --config "$CFG" exec -p demo-sp --no-raw "$@" > >(stamp >>"$W/$name.out") 2>>"$W/$name.err" &
		echo $! >"$W/$name.pid"
		local rc=0
		wait $! || rc=$?
		echo "$(now) exit $rc" >>"$W/$name.life"
		sleep 0.2
	done
}

# script: one exec reads INCR lines from stdin, one every $RATE s; restarted when it exits.
script() {
	local i=0
	while ! stopping; do
		echo "$(now) start" >>"$W/script.life"
		{
			while ! stopping; do
				i=$((i + 1))
				echo "INCR soak:script" || break
				echo "$(now) $i" >>"$W/script.sent"
				sleep "$RATE"
			done
		} | "$BIN" --config "$CFG" exec -p demo-sp --no-raw > >(stamp >>"$W/script.out") 2>>"$W/script.err" &
		echo $! >"$W/script.pid"
		local rc=0
		wait $! || rc=$?
		echo "$(now) exit $rc" >>"$W/script.life"
		sleep 0.2
	done
}

publisher() {
	local i=0 r
	while ! stopping; do
		i=$((i + 1))
		r="$(redis-cli -h "$BH" -p "$BP" PUBLISH soak:ch "$i" 2>&1 | tr '\n' ' ')" || true
		echo "$(now) $i $r" >>"$W/published"
		sleep "$RATE"
	done
}

faults() {
	local kinds=(
		"entra-slow --latency 3s --for 20s|20"
		"close-connections|0"
		"entra-fail --code AADSTS7000215 --status 401 --for 5s|5"
		"entra-down --for 5s|5"
		"backend-restart --for 1s|1"
	)
	local n=0
	while ! stopping; do
		sleep "$FAULT_EVERY"
		stopping && break
		local spec="${kinds[$((n % ${#kinds[@]}))]}"
		n=$((n + 1))
		local args="${spec%|*}" span="${spec##*|}" t0
		t0="$(now)"
		# shellcheck disable=SC2086
		if out="$("$BIN" demo fault $args 2>&1)"; then
			echo "$t0 $span ${args%% *} $out" >>"$W/faults"
		else
			echo "$t0 $span ${args%% *} FAILED: $out" >>"$W/faults"
		fi
	done
}

# The TUI, its console subscribed; the screen is captured twice a second.
tmux new-session -d -s "$S" -x 160 -y 70 "AMR_TUI_CONFIG=$CFG $BIN -p demo-sp 2>$W/tui.err; echo exited \$? >$W/tui.exit; sleep 3600"
wait_screen() {
	for _ in $(seq 1 600); do
		tmux capture-pane -p -t "$S" | grep -q -- "$1" && return 0
		sleep 0.1
	done
	echo "TUI: no '$1' on screen:"; tmux capture-pane -p -t "$S"; exit 1
}
wait_screen "loaded"
tmux send-keys -t "$S" -l ":console"; tmux send-keys -t "$S" Enter
wait_screen "$(jq -r .redis "$W/demo.json")>"
tmux send-keys -t "$S" -l "SUBSCRIBE soak:ch"; tmux send-keys -t "$S" Enter
wait_screen "SUBSCRIBE is streaming"
capture() {
	while reading; do
		tmux capture-pane -p -t "$S" | sed "s/^/$(now) /" >>"$W/tui.out"
		sleep 0.5
	done
}

START="$(now)"
echo "== soak for ${DURATION}s: tokens of $TOKEN_LIFETIME, a publish and a script command every ${RATE}s, a fault every ${FAULT_EVERY}s"
stream sub SUBSCRIBE soak:ch & LOOPS+=($!)
stream psub PSUBSCRIBE 'soak:*' & LOOPS+=($!)
sleep 1 # the subscribers are in before the first message
capture & LOOPS+=($!)
script & LOOPS+=($!)
publisher & LOOPS+=($!)
faults & LOOPS+=($!)
sleep "$DURATION"
touch "$W/stop"
STOPPED="$(now)"
sleep 2 # the last messages arrive
touch "$W/stop.readers"
sleep 0.6 # the last screen capture
END="$(now)"
"$BIN" demo fault status >"$W/status.end"
COUNTER="$(redis-cli -h "$BH" -p "$BP" GET soak:script)"
[[ -e "$W/tui.exit" ]] && TUI_EXIT="$(cat "$W/tui.exit")" || TUI_EXIT="running"
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$W" "$START" "$END" "$COUNTER" "$TUI_EXIT" "$LOAD_END" "$STOPPED" <<'EOF'
import json, re, sys
w, start, end, counter, tui_exit, load = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
stopped = float(sys.argv[7])
def lines(name):
    try:
        return open(f"{w}/{name}").read().splitlines()
    except FileNotFoundError:
        return []
st0, st1 = json.load(open(f"{w}/status.start")), json.load(open(f"{w}/status.end"))
tokens = st1["entra_requests"]["token"] - st0["entra_requests"]["token"]
auths = st1["auth_ok"] - st0["auth_ok"]
expired = st1["closed_for_expiry"] - st0["closed_for_expiry"]
refused = st1["auth_failed"] - st0["auth_failed"]

published = {}   # n -> time
pub_failed = 0
for l in lines("published"):
    t, n, r = l.split(" ", 2)
    if r.strip().isdigit():
        published[int(n)] = float(t)
    else:
        pub_failed += 1
msg = re.compile(r'^[34]\) "(\d+)"$')  # message: 3rd element; pmessage: 4th
def received(name):
    got = {}
    for l in lines(name):
        t, _, rest = l.partition(" ")
        m = msg.match(rest.strip())
        if m:
            got.setdefault(int(m.group(1)), float(t))
    return got
subs = {"tui console SUBSCRIBE": received("tui.out"), "exec SUBSCRIBE": received("sub.out"),
        "exec PSUBSCRIBE": received("psub.out")}
def restarts(name):
    # An exit before the load stopped is a failure; the script's own end when its input
    # closes at the stop, and a stream killed at the end (143), are not.
    return sum(1 for l in lines(name + ".life")
               if " exit " in l and not l.endswith(" exit 143") and float(l.split(" ", 1)[0]) < stopped)

sent = [l.split() for l in lines("script.sent")]
replies = [l for l in lines("script.out") if l.split(" ", 1)[1].startswith("(integer)")]
errors = [l for l in lines("script.out") if "(error)" in l]
faults = []
for l in lines("faults"):
    t, span, kind, did = l.split(" ", 3)
    faults.append((float(t), float(t) + float(span), kind, did))

print(f"== results over {end - start:.0f} s (load average at end: {load})")
print(f"rotations: {tokens} tokens issued by Entra, {auths} AUTHs accepted at the gate "
      f"({refused} refused), {expired} connections closed by the gate for an expired token")
print(f"published: {len(published)} messages ({pub_failed} PUBLISH failed: backend down)")
total_lost = 0
for name, got in subs.items():
    # A message counts for a subscriber once it was subscribed (its first message).
    first = min(got) if got else None
    expect = [n for n in published if first is not None and n >= first]
    lost = [n for n in expect if n not in got]
    total_lost += len(lost)
    extra = len([n for n in got if n not in published])
    print(f"  {name:24s} received {len(got):6d}, lost {len(lost):5d}" + (f" (from #{first})" if first else " (nothing)") +
          (f", {extra} unpublished (?)" if extra else ""))
fails = {"exec SUBSCRIBE": restarts("sub"), "exec PSUBSCRIBE": restarts("psub"), "exec script": restarts("script")}
print(f"commands (exec script): {len(sent)} sent, {len(replies)} replies, {len(errors)} errors, "
      f"{len(sent) - len(replies) - len(errors)} lost (sent, no reply); server counter {counter}")
print("failed: " + ", ".join(f"{k} exited {v}x" for k, v in fails.items()) + f", TUI {tui_exit}")
print(f"TOTAL failed {sum(fails.values()) + len(errors) + (0 if tui_exit == 'running' else 1)}, "
      f"lost {total_lost + len(sent) - len(replies) - len(errors)} (messages + commands)")
print("recovery after each fault (time from the fault's end to the first message published after it, per client; '-' none):")
events = {name: sorted((t, n) for n, t in got.items()) for name, got in subs.items()}
events["exec script"] = sorted((float(l.split(" ", 1)[0]), 0) for l in replies)
for t0, t1, kind, did in faults:
    cells = []
    for name, ev in events.items():
        after = [t for t, n in ev if t > t1 and (name == "exec script" or published.get(n, 0) > t1)]
        short = {"tui console SUBSCRIBE": "tui", "exec SUBSCRIBE": "sub", "exec PSUBSCRIBE": "psub"}.get(name, "script")
        cells.append(f"{short}:{after[0] - t1:.2f}s" if after else f"{short}:-")
    print(f"  +{t0 - start:6.0f}s {kind:18s} " + "  ".join(cells))
EOF
