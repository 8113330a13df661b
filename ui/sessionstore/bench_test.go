package sessionstore

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/session"
)

func newSource(b *testing.B, p profiles.Profile) (auth.Source, error) {
	return auth.NewSource(p, guarded(b))
}

// openValue is the viewer's path for `:open KEY`: TYPE/PTTL/MEMORY USAGE in one pipeline, the
// size query, then the first bounded page.
func openValue(b *testing.B, st *Store, key string, size func() (int64, error), page func() (int, error)) {
	ms, err := st.Meta(context.Background(), []string{key})
	if err != nil || ms[0].Memory <= 0 {
		b.Fatalf("meta %+v %v", ms, err)
	}
	if _, err := size(); err != nil {
		b.Fatal(err)
	}
	if n, err := page(); err != nil || n == 0 {
		b.Fatalf("first page: %d, %v", n, err)
	}
}

// benchKeys is how many keys the scan benchmark seeds: AMR_SCAN_BENCH_KEYS, 1M by default. They
// get no TTL, so the count holds still while the benchmark runs.
func benchKeys(b *testing.B) int {
	if v := os.Getenv("AMR_SCAN_BENCH_KEYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("AMR_SCAN_BENCH_KEYS=%q", v)
		}
		return n
	}
	return 1_000_000
}

// seeded is one redis-server seeded by emulator.Seed, shared by the benchmarks of a run.
var seeded struct {
	once sync.Once
	srv  *emutest.RedisServer
	keys int64
}

// seededServer is the server the scan benchmark walks: AMR_SCAN_BENCH_ADDR names an existing,
// already filled one (no AUTH); otherwise a redis-server is started and seeded.
func seededServer(b *testing.B) (*emutest.RedisServer, int64) {
	b.Helper()
	if addr := os.Getenv("AMR_SCAN_BENCH_ADDR"); addr != "" {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
		defer c.Close()
		n, err := c.DBSize(context.Background()).Result()
		if err != nil {
			b.Fatal(err)
		}
		return &emutest.RedisServer{Addr: addr}, n
	}
	seeded.once.Do(func() {
		// Shared by every sub-benchmark of the run: its cleanup waits for TestMain.
		srv := emutest.StartRedisServer(&keepTB{B: b})
		n := benchKeys(b)
		start := time.Now()
		if _, err := emulator.Seed(context.Background(), srv.Addr, emulator.SeedOptions{Keys: n, Seed: 1, TTLFraction: -1}); err != nil {
			b.Fatal(err)
		}
		c := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: 2})
		defer c.Close()
		seeded.keys = c.DBSize(context.Background()).Val()
		b.Logf("seeded %d keys in %s", seeded.keys, time.Since(start).Round(time.Millisecond))
		seeded.srv = srv
	})
	if seeded.srv == nil {
		b.Fatal("seeding failed earlier")
	}
	return seeded.srv, seeded.keys
}

func openPlain(b *testing.B, addr string) *session.Session {
	b.Helper()
	return open(b, plainProfile(b, addr), guarded(b))
}

// BenchmarkScanVsRedisCLI walks the whole keyspace of a 1M-key redis-server (emulator.Seed)
// with the browser's Store.Scan loop over a real session — on the session's dedicated SCAN
// connection ("amr", what the product uses) and, for comparison, through go-redis's pooled
// client ("goredis", the path before session.Scanner) — and with `redis-cli --scan` on the
// same server with the same COUNT, in turn within every iteration (redistest.Race), and
// reports median rates and same-iteration ratios. redis-cli before 7.2 has no --count: it
// sends SCAN without COUNT (the server's default, 10), so it only races at COUNT 10; a
// program with --count named by AMR_SCAN_BENCH_CLI (valkey-cli) races at every COUNT.
func BenchmarkScanVsRedisCLI(b *testing.B) {
	srv, total := seededServer(b)
	clis := redistest.CLIScans(b, srv.Addr)
	for _, count := range []int64{10, 100, 1000} {
		b.Run("count="+strconv.FormatInt(count, 10), func(b *testing.B) {
			s := openPlain(b, srv.Addr)
			lean, pooled := New(s), NewClient(s.Client())
			cs := []redistest.Contender{
				{Name: "amr", Run: func(tb testing.TB) int64 { return scanCount(tb, lean, count) }},
				{Name: "goredis", Run: func(tb testing.TB) int64 { return scanCount(tb, pooled, count) }},
			}
			for _, cli := range clis {
				if cli.Comparable(count) {
					cs = append(cs, redistest.Contender{Name: cli.Name, Run: func(tb testing.TB) int64 { return cli.Keys(tb, count) }})
				}
			}
			redistest.Race(b, total, cs)
		})
	}
}

// scanCount runs a full scan the way the browser's scanner does: one page in flight at a time.
func scanCount(b testing.TB, st *Store, count int64) int64 {
	ctx := context.Background()
	var n int64
	cur := ""
	for {
		keys, next, err := st.Scan(ctx, cur, "*", count, "")
		if err != nil {
			b.Fatal(err)
		}
		n += int64(len(keys))
		if next == "" {
			return n
		}
		cur = next
	}
}

// BenchmarkConnectToFirstPage is session.Open (token, dial, PING) plus the browser's first SCAN
// page (COUNT 1000) and DBSIZE, on loopback: against redis-server without auth, and through the
// emulator's TLS gate with a service principal token from the fake Entra.
func BenchmarkConnectToFirstPage(b *testing.B) {
	first := func(b *testing.B, p profiles.Profile) {
		ctx := context.Background()
		for b.Loop() {
			src, err := newSource(b, p)
			if err != nil {
				b.Fatal(err)
			}
			cfg, err := session.ConfigFromProfile(p)
			if err != nil {
				b.Fatal(err)
			}
			s, err := session.Open(ctx, cfg, src)
			if err != nil {
				b.Fatal(err)
			}
			st := New(s)
			keys, _, err := st.Scan(ctx, "", "*", 1000, "")
			if err != nil || len(keys) == 0 {
				b.Fatalf("first page: %d keys, %v", len(keys), err)
			}
			if _, err := st.DBSize(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = s.Close()
			b.StartTimer()
		}
	}
	b.Run("redis-server", func(b *testing.B) {
		srv := emutest.StartRedisServer(b)
		if _, err := emulator.Seed(context.Background(), srv.Addr, emulator.SeedOptions{Keys: 10000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		first(b, plainProfile(b, srv.Addr))
	})
	b.Run("tls-gate-entra", func(b *testing.B) {
		d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: b.TempDir(), Keys: 10000})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(d.Close)
		for _, p := range d.Profiles() {
			if p.Name == "demo-sp" {
				first(b, p)
			}
		}
	})
}

// BenchmarkOpenBigValue is the viewer's opening of a big value: the size query and the first
// bounded page, as `:open KEY` does it: the metadata pipeline, then STRLEN + GETRANGE 0 65535
// for a 10 MB string, HLEN + HSCAN 0 COUNT 200 for a 1M-field hash; through a real session.
func BenchmarkOpenBigValue(b *testing.B) {
	srv := emutest.StartRedisServer(b)
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: 2, ReadTimeout: time.Minute})
	defer c.Close()
	if err := c.Set(ctx, "big:string", strings.Repeat("0123456789abcdef", 10<<20/16), 0).Err(); err != nil {
		b.Fatal(err)
	}
	for lo := 0; lo < 1_000_000; lo += 10_000 {
		args := make([]any, 0, 20_000)
		for i := lo; i < lo+10_000; i++ {
			args = append(args, "field:"+strconv.Itoa(i), "value-"+strconv.Itoa(i))
		}
		if err := c.HSet(ctx, "big:hash", args...).Err(); err != nil {
			b.Fatal(err)
		}
	}
	st := New(openPlain(b, srv.Addr))
	b.Run("string-10MB", func(b *testing.B) {
		for b.Loop() {
			openValue(b, st, "big:string",
				func() (int64, error) { return st.StrLen(ctx, "big:string") },
				func() (int, error) { v, err := st.GetRange(ctx, "big:string", 0, 64<<10-1); return len(v), err })
		}
	})
	b.Run("hash-1M-fields", func(b *testing.B) {
		for b.Loop() {
			openValue(b, st, "big:hash",
				func() (int64, error) { return st.HLen(ctx, "big:hash") },
				func() (int, error) { p, _, err := st.HScan(ctx, "big:hash", 0, 200); return len(p), err })
		}
	})
}
