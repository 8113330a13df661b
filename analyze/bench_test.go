package analyze

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// The benchmarks below are what bench/analyze.sh runs and BENCHMARKS.md records. Each seeds a
// real redis-server with emulator.Seed's realistic mix of types (AMR_ANALYZE_BENCH_KEYS keys)
// and measures against anchors taken in the same run on the same server.

func benchKeys(b *testing.B, def int) int {
	if v := os.Getenv("AMR_ANALYZE_BENCH_KEYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return def
}

func seededServer(b *testing.B, keys int) (*redistest.RedisServer, *redis.Client, int64) {
	b.Helper()
	srv := redistest.StartRedisServer(b)
	t0 := time.Now()
	if _, err := emulator.Seed(context.Background(), srv.Addr, emulator.SeedOptions{Keys: keys, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, DisableIdentity: true})
	b.Cleanup(func() { _ = c.Close() })
	n, err := c.DBSize(context.Background()).Result()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d keys in %v", n, time.Since(t0).Round(time.Second))
	return srv, c, n
}

// memkeys runs redis-cli --memkeys and returns how many keys it sampled.
func memkeys(tb testing.TB, addr string) int64 {
	host, port, _ := strings.Cut(addr, ":")
	out, err := exec.Command(redistest.RedisCLIPath(tb), "-h", host, "-p", port, "--memkeys").Output()
	if err != nil {
		tb.Fatalf("redis-cli --memkeys: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		var n int64
		if _, err := fmt.Sscanf(line, "Sampled %d keys", &n); err == nil {
			return n
		}
	}
	tb.Fatalf("redis-cli --memkeys printed no key count:\n%s", out)
	return 0
}

// BenchmarkFullVsMemkeys races a full analysis (no rate cap) against redis-cli --memkeys, which
// measures the same MEMORY USAGE per key with 10-key SCAN batches and three round trips per
// batch. Both run in every iteration, in alternating order. Reported: median wall time of each,
// the median same-iteration ratio, and the server CPU (INFO cpu) each spent per key: the
// analysis sends four commands per key where --memkeys sends two, so pipelining has to pay for
// twice the commands before it wins.
func BenchmarkFullVsMemkeys(b *testing.B) {
	srv, c, n := seededServer(b, benchKeys(b, 1_000_000))
	var wallA, wallM, ratio, cpuA, cpuM []float64
	analyze := func() {
		c0, t0 := serverCPU(b, c), time.Now()
		rep, err := Analyze(context.Background(), c, Options{Mode: Full, Rate: -1})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Keyspace.Examined < n*99/100 { // seeded TTLs start at 1 min: a few keys expire

			b.Fatalf("analysis examined %d of %d keys", rep.Keyspace.Examined, n)
		}
		wallA = append(wallA, time.Since(t0).Seconds())
		cpuA = append(cpuA, serverCPU(b, c)-c0)
	}
	mem := func() {
		c0, t0 := serverCPU(b, c), time.Now()
		if got := memkeys(b, srv.Addr); got < n*99/100 {
			b.Fatalf("redis-cli --memkeys sampled %d of %d keys", got, n)
		}
		wallM = append(wallM, time.Since(t0).Seconds())
		cpuM = append(cpuM, serverCPU(b, c)-c0)
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			analyze()
			mem()
		} else {
			mem()
			analyze()
		}
		ratio = append(ratio, wallM[i]/wallA[i])
	}
	b.ReportMetric(medianOf(wallA), "s-analyze")
	b.ReportMetric(medianOf(wallM), "s-memkeys")
	b.ReportMetric(medianOf(ratio), "memkeys/analyze")
	b.ReportMetric(medianOf(cpuA)/float64(n)*1e6, "server-µs/key-analyze")
	b.ReportMetric(medianOf(cpuM)/float64(n)*1e6, "server-µs/key-memkeys")
	b.ReportMetric(0, "ns/op")
}

// serverCPU is the CPU time the server has used (INFO cpu, user + system), in seconds.
func serverCPU(tb testing.TB, c *redis.Client) float64 {
	info, err := c.Info(context.Background(), "cpu").Result()
	if err != nil {
		tb.Fatal(err)
	}
	var t float64
	for _, l := range strings.Split(info, "\r\n") {
		for _, k := range []string{"used_cpu_sys:", "used_cpu_user:"} {
			if v, ok := strings.CutPrefix(l, k); ok {
				f, _ := strconv.ParseFloat(v, 64)
				t += f
			}
		}
	}
	return t
}

// BenchmarkSample times a default sample analysis (min(100k, 10 %) keys, default rate cap),
// with GET throughput of redis-benchmark on the same server as the machine-speed anchor.
func BenchmarkSample(b *testing.B) {
	srv, c, n := seededServer(b, benchKeys(b, 5_000_000))
	var secs []float64
	var examined int64
	for b.Loop() {
		t0 := time.Now()
		rep, err := Analyze(context.Background(), c, Options{})
		if err != nil {
			b.Fatal(err)
		}
		secs = append(secs, time.Since(t0).Seconds())
		examined = rep.Keyspace.Examined
		half := float64(rep.Memory.High-rep.Memory.Low) / 2 / float64(rep.Memory.Value)
		b.Logf("%d of %d keys examined in %.2f s; memory %s ±%.1f %%", examined, n, secs[len(secs)-1], FormatBytes(rep.Memory.Value), half*100)
	}
	anchor := getBenchmark(b, srv.Addr, "-P", "16", "-n", "500000")
	b.ReportMetric(medianOf(secs), "s/analysis")
	b.ReportMetric(float64(examined), "keys-examined")
	b.ReportMetric(anchor.rps, "anchor-GET-P16-rps")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkLatencyImpact measures the p99 latency redis-benchmark -t get sees (4 clients, no
// pipelining) on the same server: alone, and while full analyses run back to back uncapped and
// at several rate caps (the default among them).
func BenchmarkLatencyImpact(b *testing.B) {
	srv, c, _ := seededServer(b, benchKeys(b, 1_000_000))
	rates := []int{0, -1, 200000, DefaultRate, 50000, 20000}
	if !slices.Contains(rates, DefaultRate) {
		rates = append(rates, DefaultRate)
	}
	p50 := make([][]float64, len(rates))
	p99 := make([][]float64, len(rates))
	kps := make([][]float64, len(rates))
	for iter := 0; b.Loop(); iter++ {
		for j := range rates {
			i := (j + iter) % len(rates) // rotate, so no case always runs first
			rate := rates[i]
			ctx, cancel := context.WithCancel(context.Background())
			var run *Run
			if rate != 0 {
				var err error
				if run, err = Start(ctx, c, Options{Mode: Full, Rate: rate}); err != nil {
					b.Fatal(err)
				}
				time.Sleep(500 * time.Millisecond) // past the start
			}
			r := getBenchmark(b, srv.Addr, "-c", "4", "-n", "50000")
			if run != nil {
				pr := run.Progress()
				kps[i] = append(kps[i], pr.KeysPerSec)
				run.Cancel()
				<-run.Done()
			}
			cancel()
			p50[i] = append(p50[i], r.p50)
			p99[i] = append(p99[i], r.p99)
		}
	}
	for i, rate := range rates {
		name := "alone"
		switch {
		case rate < 0:
			name = "uncapped"
		case rate > 0:
			name = fmt.Sprintf("rate-%d", rate)
		}
		b.ReportMetric(medianOf(p50[i]), "p50-ms-"+name)
		b.ReportMetric(medianOf(p99[i]), "p99-ms-"+name)
		if rate != 0 {
			b.ReportMetric(medianOf(kps[i]), "keys/s-"+name)
		}
	}
	b.ReportMetric(0, "ns/op")
}

type benchResult struct{ rps, p50, p99 float64 }

// getBenchmark runs redis-benchmark -t get with args and returns its CSV figures.
func getBenchmark(tb testing.TB, addr string, args ...string) benchResult {
	host, port, _ := strings.Cut(addr, ":")
	bin, err := exec.LookPath("redis-benchmark")
	if err != nil {
		tb.Skip("redis-benchmark not installed (apt-get install redis-tools)")
	}
	all := append([]string{"-h", host, "-p", port, "-t", "get", "-r", "1000000", "--csv", "--precision", "3"}, args...)
	out, err := exec.Command(bin, all...).Output()
	if err != nil {
		tb.Fatalf("redis-benchmark: %v", err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil || len(recs) < 2 || len(recs[1]) < 7 {
		tb.Fatalf("redis-benchmark printed %q (%v)", out, err)
	}
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	return benchResult{rps: f(recs[1][1]), p50: f(recs[1][4]), p99: f(recs[1][6])}
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
