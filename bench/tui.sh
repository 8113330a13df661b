#!/usr/bin/env bash
# Benchmarks of the TUI's Redis path (ui/sessionstore over a real session, and the browser
# itself), with the figures BENCHMARKS.md records. Needs redis-server and redis-cli on PATH.
#
#   bench/tui.sh            # 1M keys for the scan comparison (seeding takes ~20-40 s)
#   KEYS=100000 bench/tui.sh
#   AMR_SCAN_BENCH_CLI=/path/to/valkey-cli bench/tui.sh   # also race a CLI with --count
#
# The scan races run every contender in turn within each iteration and report median keys/s
# and the median same-iteration ratio (amr/redis-cli, browser/redis-cli …). redis-cli 7.0
# (Debian bookworm) has no --count, so it races at COUNT 10 only; valkey-cli 8.0 from
# bookworm-backports has it (see BENCHMARKS.md for how to get it without installing it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keys="${KEYS:-1000000}"
echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) · redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') · $(redis-cli --version)"

echo "== scan throughput: amr-tui's Store.Scan over a session (dedicated SCAN connection, and go-redis's pool) vs redis-cli --scan, same server, $keys keys"
AMR_SCAN_BENCH_KEYS="$keys" go test ./ui/sessionstore/ -run '^$' -bench 'BenchmarkScanVsRedisCLI' -benchtime 5x -timeout 30m

echo "== scan throughput: the browser (scanner + key set + Update in a real program) vs redis-cli --scan, $keys keys"
AMR_SCAN_BENCH_KEYS="$keys" go test ./ui/ -run '^$' -bench 'BenchmarkBrowserScanVsRedisCLI' -benchtime 5x -timeout 30m

echo "== connect to first page (session.Open + SCAN COUNT 1000 + DBSIZE), loopback"
go test ./ui/sessionstore/ -run '^$' -bench 'BenchmarkConnectToFirstPage' -benchtime 50x

echo "== open a 10 MB string and a 1M-field hash (metadata + size + first page)"
go test ./ui/sessionstore/ -run '^$' -bench 'BenchmarkOpenBigValue' -benchtime 200x
