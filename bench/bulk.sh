#!/usr/bin/env bash
# Benchmarks of the bulk operations (package bulk) against what a shell user has without
# amr-tui, on the same redis-server in the same run. Needs redis-server and redis-cli on PATH.
#
#   bench/bulk.sh                 # 1M keys (seeding takes ~10-30 s per contender for delete)
#   KEYS=100000 bench/bulk.sh
#
# Each race runs every contender once per iteration (the first one rotating) and reports
# median keys/s and the median same-iteration ratio (amr/anchor): a loaded machine slows
# every contender, so only the ratio within one iteration is meaningful.
#   export:  bulk.Export (jsonl, dump) to a file   vs  redis-cli --scan | sed 's/^/DUMP /' | redis-cli
#   import:  bulk.Import of the jsonl export        vs  redis-cli --pipe of the same data (typed writes + PEXPIREAT)
#   delete:  bulk.Delete of half the keys (pattern) vs  redis-cli --scan --pattern P | xargs redis-cli UNLINK
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keys="${KEYS:-1000000}"
echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) · redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') · $(redis-cli --version)"
AMR_BULK_BENCH_KEYS="$keys" go test ./bulk/ -run '^$' -bench 'BenchmarkBulk' -benchtime "${ITER:-3}x" -timeout 60m
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
