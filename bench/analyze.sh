#!/usr/bin/env bash
# Benchmarks of amr-tui analyze (package analyze) with the figures BENCHMARKS.md records. Needs
# redis-server, redis-cli and redis-benchmark on PATH. Each benchmark seeds its own
# redis-server with emulator.Seed's mix of types (1M keys seed in ~20-40 s, 5M in ~2-3 min).
#
#   bench/analyze.sh                 # 1M keys for the race and the latency, 5M for the sample
#   KEYS=200000 SAMPLE_KEYS=1000000 bench/analyze.sh   # quicker
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keys="${KEYS:-1000000}"
sample_keys="${SAMPLE_KEYS:-5000000}"
load() { echo "== load: $(cut -d' ' -f1-3 /proc/loadavg)"; }
echo "== redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') · $(redis-cli --version)"

load
echo "== full analysis (no rate cap) vs redis-cli --memkeys, same server, $keys keys"
AMR_ANALYZE_BENCH_KEYS="$keys" go test ./analyze/ -run '^$' -bench 'BenchmarkFullVsMemkeys' -benchtime 3x -timeout 60m

load
echo "== sample mode (defaults) on $sample_keys keys, anchor: redis-benchmark GET -P 16 on the same server"
AMR_ANALYZE_BENCH_KEYS="$sample_keys" go test ./analyze/ -run '^$' -bench 'BenchmarkSample' -benchtime 3x -timeout 60m

load
echo "== redis-benchmark -t get (4 clients) p50/p99 alone and during full analyses at several --rate caps, $keys keys"
AMR_ANALYZE_BENCH_KEYS="$keys" go test ./analyze/ -run '^$' -bench 'BenchmarkLatencyImpact' -benchtime 8x -timeout 60m
load
