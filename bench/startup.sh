#!/usr/bin/env bash
# Start-up time of `amr-tui --version`, whole process, wall time from outside: the binary built
# from BASE (default main) against the one built from this work tree, with `redis-cli --version`
# as the anchor measured in the same run. The three run interleaved (before, after, anchor, then
# again) so a change in machine load hits all of them alike; each figure is the median of RUNS.
#
#   bench/startup.sh                 # BASE=main, RUNS=20
#   BASE=v0.3.0 RUNS=50 bench/startup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/release_build.sh
base="${BASE:-main}"
runs="${RUNS:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/base"
git archive "$base" | tar -x -C "$work/base"
release_build "$work/amr-tui-before" "$work/base"
release_build "$work/amr-tui-after"
anchor="$(command -v redis-cli)"

# ms CMD...: wall time of one run of CMD in milliseconds. $EPOCHREALTIME (bash 5) is read
# without a fork, so the figure holds only CMD's own fork, exec and run.
ms() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >/dev/null
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) * 1000}'
}

# One untimed round first: the page cache and the dynamic loader warm up for all three alike.
"$work/amr-tui-before" --version >/dev/null
"$work/amr-tui-after" --version >/dev/null
"$anchor" --version >/dev/null

for _ in $(seq "$runs"); do
  ms "$work/amr-tui-before" --version >>"$work/before"
  ms "$work/amr-tui-after" --version >>"$work/after"
  ms "$anchor" --version >>"$work/anchor"
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
echo "load average: $(uptime | sed 's/.*load average: //')"
printf '%-36s %10s\n' "command (median of $runs, interleaved)" "ms"
printf '%-36s %10s\n' "amr-tui --version ($base)" "$(median "$work/before")"
printf '%-36s %10s\n' "amr-tui --version (this tree)" "$(median "$work/after")"
printf '%-36s %10s\n' "redis-cli --version (anchor)" "$(median "$work/anchor")"
