package analyze

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// seedTrial writes n keys of moderately skewed sizes under a trial-specific prefix, so that
// every trial's keys hash to different buckets and its SCAN-order sample is independent of
// the other trials'.
func seedTrial(t *testing.T, addr string, db, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(db), 7))
	p := newPipe(t, client(t, addr, db))
	ns := []string{"user", "order", "cache", "session", "feed"}
	for i := range n {
		k := fmt.Sprintf("%s:t%d:%d", ns[rng.IntN(len(ns))], db, i)
		switch r := rng.IntN(10); {
		case r < 6:
			p.do("SET", k, strings.Repeat("s", 10+rng.IntN(600)))
		case r < 9:
			args := []any{"HSET", k}
			for j := range 1 + rng.IntN(40) {
				args = append(args, fmt.Sprintf("f%d", j), strings.Repeat("v", 1+rng.IntN(40)))
			}
			p.do(args...)
		default:
			args := []any{"RPUSH", k}
			for range 1 + rng.IntN(100) {
				args = append(args, rng.IntN(1000))
			}
			p.do(args...)
		}
		if rng.IntN(3) == 0 {
			p.do("EXPIRE", k, 60+rng.IntN(86400*3))
		}
	}
	p.flush()
}

// Sample-mode totals fall within their stated 95 % intervals about 95 % of the time: over
// independent trials (separate databases, different key names, so different SCAN orders) the
// true values — a full analysis of the same data — are inside the intervals at least 80 % of
// the time (a calibrated interval misses that often with probability below 0.1 %), every
// interval is informative, and no estimate is off by more than three half-widths.
func TestSampleTotalsWithinStatedBound(t *testing.T) {
	const trials, keys, sample = 12, 10000, 1000
	srv := redistest.StartRedisServer(t, "--databases", "16")
	for db := range trials {
		seedTrial(t, srv.Addr, db, keys)
	}
	ctx := testCtx(t)
	var checks, inside int
	for db := range trials {
		c := client(t, srv.Addr, db)
		truth, err := Analyze(ctx, c, Options{Mode: Full})
		if err != nil {
			t.Fatal(err)
		}
		est, err := Analyze(ctx, c, Options{SampleSize: sample})
		if err != nil {
			t.Fatal(err)
		}
		if est.Complete || est.Keyspace.Examined < sample || est.Keyspace.Examined > sample*3/2 {
			t.Fatalf("trial %d examined %d keys for a sample of %d (complete %v)", db, est.Keyspace.Examined, sample, est.Complete)
		}
		type pair struct {
			name      string
			got, want Estimate
		}
		pairs := []pair{
			{"memory", est.Memory, truth.Memory},
			{"expiring memory", est.ExpiringMemory, truth.ExpiringMemory},
			{"no-TTL keys", est.TTL[0].Keys, truth.TTL[0].Keys},
		}
		for _, ts := range truth.Types {
			for _, es := range est.Types {
				if es.Type == ts.Type {
					pairs = append(pairs, pair{ts.Type + " keys", es.Keys, ts.Keys}, pair{ts.Type + " memory", es.Memory, ts.Memory})
				}
			}
		}
		for _, tn := range truth.Namespaces.Children {
			for _, en := range est.Namespaces.Children {
				if en.Prefix == tn.Prefix {
					pairs = append(pairs, pair{tn.Prefix + " keys", en.Keys, tn.Keys}, pair{tn.Prefix + " memory", en.Memory, tn.Memory})
				}
			}
		}
		for _, p := range pairs {
			checks++
			w := p.want.Value
			if p.got.Exact || !p.want.Exact {
				t.Errorf("trial %d %s: sample exact=%v, truth exact=%v", db, p.name, p.got.Exact, p.want.Exact)
			}
			if p.got.Low <= w && w <= p.got.High {
				inside++
			}
			half := float64(p.got.High-p.got.Low) / 2
			if half > 0.25*float64(p.got.Value) {
				t.Errorf("trial %d %s: interval %d–%d is too wide to be useful", db, p.name, p.got.Low, p.got.High)
			}
			if d := float64(w - p.got.Value); d > 3*half || -d > 3*half {
				t.Errorf("trial %d %s: estimate %d, truth %d, beyond three half-widths (%.0f)", db, p.name, p.got.Value, w, half)
			}
		}
	}
	t.Logf("%d of %d true values inside the stated 95 %% intervals (%.1f %%)", inside, checks, 100*float64(inside)/float64(checks))
	if float64(inside) < 0.8*float64(checks) {
		t.Errorf("only %d of %d true values inside the stated 95 %% intervals", inside, checks)
	}
}
