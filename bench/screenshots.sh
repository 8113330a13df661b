#!/usr/bin/env bash
# Re-creates the README's screenshots from the real program: builds amr-tui, runs `amr-tui demo`
# in a private tmux server at a fixed size, walks through the key list, the tree, a hash, the
# `:session` screen, the `:console` (a reply, then FLUSHALL waiting for the typed profile name),
# the profile switcher (P) and the full help, captures each screen with `tmux capture-pane -e -p`
# and renders the captures with tools/termshot (Go Mono) to assets/screenshots/*.png, plus an
# animated assets/screenshots/demo.gif of the same walk. Needs tmux.
#
#   bench/screenshots.sh            # writes assets/screenshots/
#   OUT=/tmp/shots bench/screenshots.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${OUT:-assets/screenshots}"
cols=120 rows=34
work="$(mktemp -d)"
sock="amr-tui-shots-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/amr-tui" .
go build -o "$work/termshot" ./tools/termshot
mkdir -p "$out"

tmux -L "$sock" -f /dev/null new-session -d -s shots -x "$cols" -y "$rows" \
  "env TERM=xterm-256color COLORTERM=truecolor AMR_TUI_CONFIG=$work/unused.toml $work/amr-tui demo; sleep 30"

# wait_for TEXT: poll the pane until TEXT is on it (90 s: a loaded 2-core machine is slow).
wait_for() {
  for _ in $(seq 900); do
    if tmux -L "$sock" capture-pane -p -t shots | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "screenshots: \"$1\" never appeared; screen:" >&2
  tmux -L "$sock" capture-pane -p -t shots >&2
  exit 1
}
# wait_gone TEXT: poll the pane until TEXT is no longer on it.
wait_gone() {
  for _ in $(seq 900); do
    if ! tmux -L "$sock" capture-pane -p -t shots | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "screenshots: \"$1\" never went away" >&2
  exit 1
}
# shot NAME: capture the pane (with colours) as $work/NAME.ans and render it to $out/NAME.png.
shot() {
  sleep 0.5 # let the frame after the awaited text land
  tmux -L "$sock" capture-pane -e -p -t shots >"$work/$1.ans"
  "$work/termshot" -cols "$cols" -rows "$rows" -o "$out/$1.png" "$work/$1.ans"
  frames+=("$work/$1.ans")
}
keys() { tmux -L "$sock" send-keys -t shots "$@"; }
frames=()

wait_for "loaded 10,000"
wait_for "string" # the TYPE/TTL/MEM columns, fetched after the names
wait_gone "opened profile" # the startup flash, gone after its 6 s
shot keys

keys -l "t"
wait_for "user:"
shot tree
keys -l "t"
wait_for "blob:thumbnail"

keys -l ":open user:1042:profile"; keys Enter
wait_for "created_at"
shot hash

keys Escape; sleep 0.3 # a key sent right after Escape arrives as alt+key
keys -l ":session"; keys Enter
wait_for "object ID"
shot session

keys Escape; sleep 0.3 # a key sent right after Escape arrives as alt+key
keys -l ":console"; keys Enter
wait_for "enter run"
keys -l "HGETALL user:1042:profile"; keys Enter
wait_for "verified"
keys -l "FLUSHALL"; keys Enter
wait_for "to run FLUSHALL"
shot console
keys Escape
wait_for "FLUSHALL was not sent"
keys Escape; sleep 0.3

keys -l "P"
wait_for "ctrl+x delete"
shot profiles
keys Escape; sleep 0.3

keys -l "?"
wait_for "load all" # only in the full help
shot help

keys Escape; sleep 0.3; keys -l "q"
"$work/termshot" -cols "$cols" -rows "$rows" -delay 250 -o "$out/demo.gif" "${frames[@]}"
ls -l "$out"
