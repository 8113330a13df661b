package ui

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// BenchmarkBrowserScanVsRedisCLI loads every key of a seeded redis-server (emulator.Seed,
// AMR_SCAN_BENCH_KEYS keys without TTLs, 1M by default; or the server at AMR_SCAN_BENCH_ADDR) into the real
// browser — scanner, keySet, dedup, Update — over the go-redis test adapter, and lists the
// same keys with `redis-cli --scan`,
// alternately in one run. The browser runs in the real Bubble Tea program (event loop and
// renderer, output discarded) until its scan completes. redis-cli before 7.2 has no --count and sends SCAN without COUNT
// (the server's default, 10), so the ratio is only reported at COUNT 10 with such a
// redis-cli. The product adapter (ui/sessionstore over a session) has its own benchmark.
func BenchmarkBrowserScanVsRedisCLI(b *testing.B) {
	var err error
	n := 1_000_000
	if v := os.Getenv("AMR_SCAN_BENCH_KEYS"); v != "" {
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	addr := os.Getenv("AMR_SCAN_BENCH_ADDR") // an existing, already filled server (no AUTH)
	if addr == "" {
		srv := emutest.StartRedisServer(b)
		if _, err := emulator.Seed(context.Background(), srv.Addr, emulator.SeedOptions{Keys: n, Seed: 1, TTLFraction: -1}); err != nil {
			b.Fatal(err)
		}
		addr = srv.Addr
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	b.Cleanup(func() { c.Close() })
	total := int(c.DBSize(context.Background()).Val())
	cli := redistest.NewCLIScan(b, addr)
	for _, count := range []int64{10, 1000} {
		b.Run("count="+strconv.FormatInt(count, 10), func(b *testing.B) {
			compare := cli.Comparable(count)
			var ours, theirs time.Duration
			var oursKeys int
			var theirsKeys int64
			for b.Loop() {
				t0 := time.Now()
				loaded := runScan(b, goRedisStore{c}, count, total)
				ours += time.Since(t0)
				oursKeys += loaded
				if loaded != total {
					b.Fatalf("browser loaded %d of %d keys", loaded, total)
				}
				if !compare {
					continue
				}
				t0 = time.Now()
				theirsKeys += cli.Keys(b, count)
				theirs += time.Since(t0)
			}
			ourRate := float64(oursKeys) / ours.Seconds()
			b.ReportMetric(ourRate, "browser-keys/s")
			if compare {
				theirRate := float64(theirsKeys) / theirs.Seconds()
				b.ReportMetric(theirRate, "cli-keys/s")
				b.ReportMetric(ourRate/theirRate, "ratio")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// runScan runs the real Bubble Tea program (event loop, renderer to io.Discard) until the
// browser's scan is complete, and returns how many keys it loaded.
func runScan(b *testing.B, st Store, count int64, total int) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	a := New(Options{Store: st, ScanCount: count, LoadBatch: total + 1, NoColor: true, Context: ctx})
	var p *tea.Program
	loaded := 0
	filter := func(_ tea.Model, msg tea.Msg) tea.Msg {
		// Runs on the event loop, so reading the model here is safe.
		if a.browser.scan.done || a.browser.scan.err != nil {
			loaded = a.browser.keys.Len()
			go p.Quit()
		}
		return msg
	}
	p = tea.NewProgram(a, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithWindowSize(120, 40), tea.WithFilter(filter))
	if _, err := p.Run(); err != nil {
		b.Fatal(err)
	}
	if a.browser.scan.err != nil {
		b.Fatal(a.browser.scan.err)
	}
	return loaded
}
