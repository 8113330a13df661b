package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
)

// BenchmarkBrowserScanVsRedisCLI loads every key of a seeded redis-server (emulator.Seed,
// AMR_SCAN_BENCH_KEYS keys without TTLs, 1M by default; or the server at AMR_SCAN_BENCH_ADDR)
// into the real browser — scanner, keySet, dedup, Update, in the real Bubble Tea program
// (event loop and renderer, output discarded) — until its scan completes, and lists the same
// keys with `redis-cli --scan`, in turn within every iteration (redistest.Race). "browser"
// scans on a session's dedicated SCAN connection (session.Scanner), as the product does;
// "browser-goredis" over go-redis's pooled client (the test adapter). redis-cli before 7.2 has
// no --count and sends SCAN without COUNT (the server's default, 10), so it races only at
// COUNT 10; a program with --count named by AMR_SCAN_BENCH_CLI (valkey-cli) races at every COUNT.
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
	lean := openScannerStore(b, addr)
	clis := redistest.CLIScans(b, addr)
	for _, count := range []int64{10, 1000} {
		b.Run("count="+strconv.FormatInt(count, 10), func(b *testing.B) {
			browser := func(st common.Store) func(testing.TB) int64 {
				return func(tb testing.TB) int64 {
					loaded := runScan(tb, st, count, total)
					if loaded != total {
						tb.Fatalf("browser loaded %d of %d keys", loaded, total)
					}
					return int64(loaded)
				}
			}
			cs := []redistest.Contender{
				{Name: "browser", Run: browser(lean)},
				{Name: "browser-goredis", Run: browser(goRedisStore{c})},
			}
			for _, cli := range clis {
				if cli.Comparable(count) {
					cs = append(cs, redistest.Contender{Name: cli.Name, Run: func(tb testing.TB) int64 { return cli.Keys(tb, count) }})
				}
			}
			redistest.Race(b, int64(total), cs)
		})
	}
}

// scannerStore is the go-redis test adapter with Scan on a session's dedicated SCAN connection,
// which is how the product adapter (ui/sessionstore, which ui cannot import) scans a
// standalone server. Only this benchmark uses the session package from ui.
type scannerStore struct {
	goRedisStore
	sc *session.Scanner
}

func openScannerStore(b *testing.B, addr string) scannerStore {
	b.Helper()
	host, port, _ := strings.Cut(addr, ":")
	p, err := strconv.Atoi(port)
	if err != nil {
		b.Fatal(err)
	}
	src, err := auth.NewSource(profiles.Profile{Name: "bench", Auth: profiles.Auth{Kind: profiles.AuthNone}}, auth.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := session.Open(context.Background(), session.Config{Host: host, Port: p, Cluster: session.ClusterOff}, src)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	sc, err := s.Scanner()
	if err != nil {
		b.Fatal(err)
	}
	return scannerStore{goRedisStore: goRedisStore{redis.NewClient(&redis.Options{Addr: addr})}, sc: sc}
}

func (s scannerStore) Scan(ctx context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	var cursor uint64
	if cur != "" {
		var err error
		if cursor, err = strconv.ParseUint(cur, 10, 64); err != nil {
			return nil, "", err
		}
	}
	keys, next, err := s.sc.Scan(ctx, cursor, match, count, typ)
	if err != nil || next == 0 {
		return keys, "", err
	}
	return keys, strconv.FormatUint(next, 10), nil
}

// runScan runs the real Bubble Tea program (event loop, renderer to io.Discard) until the
// browser's scan is complete, and returns how many keys it loaded. The program quits from the
// Update that completes the scan: a filter sees the model only when the next message comes,
// which, once the scan is over, is the next countdown tick (up to a second later; the first
// browser figures in BENCHMARKS.md included that wait).
func runScan(b testing.TB, st common.Store, count int64, total int) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	a := New(Options{Store: st, ScanCount: count, LoadBatch: total + 1, NoColor: true, Context: ctx})
	p := tea.NewProgram(quitWhenScanned{a}, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithWindowSize(120, 40))
	if _, err := p.Run(); err != nil {
		b.Fatal(err)
	}
	if a.browser.Scan.Err != nil {
		b.Fatal(a.browser.Scan.Err)
	}
	return a.browser.Keys.Len()
}

// quitWhenScanned is the App, quitting as soon as its scan is complete or failed.
type quitWhenScanned struct{ *App }

func (q quitWhenScanned) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := q.App.Update(msg)
	if q.browser.Scan.Done || q.browser.Scan.Err != nil {
		return q, tea.Sequence(cmd, tea.Quit)
	}
	return q, cmd
}
