package sessionstore

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
)

// scanNodesInTurn is the usual way tools scan a cluster, for comparison: SCAN each primary to
// the end, one after the other, with the same go-redis client amr-tui uses.
func scanNodesInTurn(b *testing.B, st *Store, count int64) int64 {
	ctx := context.Background()
	var (
		mu    sync.Mutex
		nodes []*redis.Client
	)
	_ = st.cluster.ForEachMaster(ctx, func(_ context.Context, c *redis.Client) error {
		mu.Lock()
		nodes = append(nodes, c)
		mu.Unlock()
		return nil
	})
	var n int64
	for _, c := range nodes {
		var cur uint64
		for {
			keys, next, err := c.Scan(ctx, cur, "*", count).Result()
			if err != nil {
				b.Fatal(err)
			}
			n += int64(len(keys))
			if cur = next; cur == 0 {
				break
			}
		}
	}
	return n
}

// BenchmarkClusterScanVsRedisCLI walks the whole keyspace of a 3-primary redis-server cluster
// (AMR_SCAN_BENCH_KEYS keys from emulator.Seed) with the browser's Store.Scan loop — every
// shard's SCAN in parallel, one cursor each — against the primaries scanned in turn with the
// same go-redis client, and, alternately in the same run, the way one
// scans a cluster with redis-cli: `redis-cli --scan` on each primary in turn (what
// `redis-cli --cluster call … SCAN` amounts to), and on all primaries at once. Then the same
// Store.Scan through the emulated OSS policy: a TLS gate per shard and an Entra token, without
// and with a simulated 1 ms network round trip (the gates delay each request), where scanning
// the shards in parallel pays off even on a machine whose cores all shards share.
// redis-cli 7.0 has no --count (it scans with COUNT 10), so only COUNT 10 is compared.
func BenchmarkClusterScanVsRedisCLI(b *testing.B) {
	emutest.RedisServerPath(b)
	redistest.RedisCLIPath(b)
	ctx := context.Background()
	n := benchKeys(b)
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: b.TempDir(), Cluster: true, TokenLifetime: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(d.Close)
	start := time.Now()
	stats, err := emulator.Seed(ctx, d.Backend, emulator.SeedOptions{Keys: n, Seed: 1, TTLFraction: -1, Cluster: true})
	if err != nil {
		b.Fatal(err)
	}
	total := int64(stats.Keys)
	b.Logf("seeded %d keys over 3 shards in %s", total, time.Since(start).Round(time.Millisecond))
	var clis []*redistest.CLIScan
	for _, m := range d.Cluster.Cluster.Masters() {
		clis = append(clis, redistest.NewCLIScan(b, m.Addr))
	}
	p := plainProfile(b, d.Backend)
	p.Cluster = profiles.ClusterOn
	direct := New(open(b, p, guarded(b)))

	for _, count := range []int64{10, 1000} {
		b.Run("count="+strconv.FormatInt(count, 10), func(b *testing.B) {
			compare := clis[0].Comparable(count)
			var ours, seq, par, goSeq time.Duration
			var rounds int64
			for b.Loop() {
				rounds++
				t0 := time.Now()
				if got := scanCount(b, direct, count); got < total {
					b.Fatalf("amr-tui scanned %d keys of %d", got, total)
				}
				ours += time.Since(t0)
				t0 = time.Now()
				if got := scanNodesInTurn(b, direct, count); got < total {
					b.Fatalf("per-node scan found %d keys of %d", got, total)
				}
				goSeq += time.Since(t0)
				if !compare {
					continue
				}
				t0 = time.Now()
				var got int64
				for _, c := range clis {
					got += c.Keys(b, count)
				}
				seq += time.Since(t0)
				if got < total {
					b.Fatalf("redis-cli scanned %d keys of %d", got, total)
				}
				t0 = time.Now()
				var wg sync.WaitGroup
				for _, c := range clis {
					wg.Add(1)
					go func() { defer wg.Done(); c.Keys(b, count) }()
				}
				wg.Wait()
				par += time.Since(t0)
			}
			rate := func(d time.Duration) float64 { return float64(total*rounds) / d.Seconds() }
			b.ReportMetric(rate(ours), "amr-keys/s")
			b.ReportMetric(rate(goSeq), "go-seq-keys/s")
			if compare {
				b.ReportMetric(rate(seq), "cli-seq-keys/s")
				b.ReportMetric(rate(par), "cli-par-keys/s")
				b.ReportMetric(rate(ours)/rate(seq), "ratio-seq")
				b.ReportMetric(rate(ours)/rate(par), "ratio-par")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
	for _, rtt := range []time.Duration{0, time.Millisecond} {
		b.Run("count=1000/tls-gates-entra/rtt="+rtt.String(), func(b *testing.B) {
			d.Cluster.SetLatency(rtt)
			defer d.Cluster.SetLatency(0)
			gateScan(b, d, total)
		})
	}
}

// gateScan compares the parallel scan with the primaries scanned in turn, through the gates.
func gateScan(b *testing.B, d *emulator.Demo, total int64) {
	var sp profiles.Profile
	for _, p := range d.Profiles() {
		if p.Name == "demo-sp" {
			sp = p
		}
	}
	st := New(open(b, sp, guarded(b)))
	var ours, goSeq time.Duration
	var rounds int64
	for b.Loop() {
		rounds++
		t0 := time.Now()
		if got := scanCount(b, st, 1000); got < total {
			b.Fatalf("amr-tui scanned %d keys of %d through the gates", got, total)
		}
		ours += time.Since(t0)
		t0 = time.Now()
		if got := scanNodesInTurn(b, st, 1000); got < total {
			b.Fatalf("per-node scan found %d keys of %d through the gates", got, total)
		}
		goSeq += time.Since(t0)
	}
	b.ReportMetric(float64(total*rounds)/ours.Seconds(), "amr-keys/s")
	b.ReportMetric(float64(total*rounds)/goSeq.Seconds(), "go-seq-keys/s")
	b.ReportMetric(goSeq.Seconds()/ours.Seconds(), "speedup")
	b.ReportMetric(0, "ns/op")
}
