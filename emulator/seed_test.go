package emulator_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

func startEmbedded(t testing.TB) string {
	t.Helper()
	m, err := emulator.StartEmbeddedBackend()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m.Addr()
}

// snapshot reads every key back: name → type, TTL presence and a digest of the content.
func snapshot(t testing.TB, addr string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
	defer rdb.Close()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		typ := rdb.Type(ctx, k).Val()
		var content any
		switch typ {
		case "string":
			content = rdb.Get(ctx, k).Val()
		case "hash":
			m := rdb.HGetAll(ctx, k).Val()
			fields := make([]string, 0, len(m))
			for f, v := range m {
				fields = append(fields, f+"="+v)
			}
			sort.Strings(fields)
			content = fields
		case "list":
			content = rdb.LRange(ctx, k, 0, -1).Val()
		case "set":
			members := rdb.SMembers(ctx, k).Val()
			sort.Strings(members)
			content = members
		case "zset":
			content = rdb.ZRangeWithScores(ctx, k, 0, -1).Val()
		case "stream":
			content = rdb.XRange(ctx, k, "-", "+").Val()
		default:
			t.Fatalf("unexpected type %q for %s", typ, k)
		}
		hasTTL := rdb.TTL(ctx, k).Val() > 0
		out[k] = fmt.Sprintf("%s ttl=%v %x", typ, hasTTL, sha256.Sum256(fmt.Appendf(nil, "%v", content)))
	}
	return out
}

func countTypes(snap map[string]string) map[string]int {
	n := map[string]int{}
	for _, v := range snap {
		var typ string
		fmt.Sscan(v, &typ)
		n[typ]++
	}
	return n
}

func TestSeedIsDeterministicAndCoversEveryType(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	opts := emulator.SeedOptions{Keys: 600, Seed: 42}
	a, b, c := startEmbedded(t), startEmbedded(t), startEmbedded(t)
	stA, err := emulator.Seed(ctx, a, opts)
	if err != nil {
		t.Fatal(err)
	}
	stB, err := emulator.Seed(ctx, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if stA != stB {
		t.Fatalf("same seed, different stats: %+v vs %+v", stA, stB)
	}
	if stA.Keys != 600 || stA.Strings == 0 || stA.Hashes == 0 || stA.Lists == 0 || stA.Sets == 0 ||
		stA.SortedSets == 0 || stA.Streams == 0 {
		t.Fatalf("stats: %+v", stA)
	}
	if frac := float64(stA.WithTTL) / float64(stA.Keys); frac < 0.12 || frac > 0.28 {
		t.Fatalf("%.2f of keys have a TTL, want about 0.2", frac)
	}

	snapA, snapB := snapshot(t, a), snapshot(t, b)
	if len(snapA) != 600 {
		t.Fatalf("%d keys in the backend, want 600", len(snapA))
	}
	for k, v := range snapA {
		if snapB[k] != v {
			t.Fatalf("same seed, key %s differs: %s vs %s", k, v, snapB[k])
		}
	}
	types := countTypes(snapA)
	want := map[string]int{"string": stA.Strings, "hash": stA.Hashes, "list": stA.Lists, "set": stA.Sets,
		"zset": stA.SortedSets, "stream": stA.Streams}
	for typ, n := range want {
		if types[typ] != n {
			t.Errorf("%d keys of type %s in the backend, stats say %d", types[typ], typ, n)
		}
	}
	ttls := 0
	for _, v := range snapA {
		var typ, ttl string
		fmt.Sscan(v, &typ, &ttl)
		if ttl == "ttl=true" {
			ttls++
		}
	}
	if ttls != stA.WithTTL {
		t.Errorf("%d keys with a TTL, stats say %d", ttls, stA.WithTTL)
	}

	if _, err := emulator.Seed(ctx, c, emulator.SeedOptions{Keys: 600, Seed: 43}); err != nil {
		t.Fatal(err)
	}
	same := 0
	for k, v := range snapshot(t, c) {
		if snapA[k] == v {
			same++
		}
	}
	if same > 20 { // only the fixed examples without randomness may coincide
		t.Fatalf("a different seed gave %d identical keys", same)
	}
}

func TestSeedAgainstRedisServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	s := emutest.StartRedisServer(t)
	opts := emulator.SeedOptions{Keys: 3000, Seed: 1, TTLFraction: -1}
	st, err := emulator.Seed(ctx, s.Addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st.WithTTL != 0 {
		t.Fatalf("TTLFraction < 0 still gave %d TTLs", st.WithTTL)
	}
	before := snapshot(t, s.Addr)
	if _, err := emulator.Seed(ctx, s.Addr, opts); err != nil { // seeding again replaces, never appends
		t.Fatal(err)
	}
	after := snapshot(t, s.Addr)
	if len(before) != 3000 || len(after) != 3000 {
		t.Fatalf("%d then %d keys, want 3000", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("re-seeding changed %s", k)
		}
	}

	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, Protocol: 2, DisableIdentity: true})
	defer rdb.Close()
	big := map[string]int64{
		"catalog:products":     rdb.HLen(ctx, "catalog:products").Val(),
		"queue:emails":         rdb.LLen(ctx, "queue:emails").Val(),
		"blob:backup:snapshot": rdb.StrLen(ctx, "blob:backup:snapshot").Val(),
		"events:orders":        rdb.XLen(ctx, "events:orders").Val(),
	}
	want := map[string]int64{"catalog:products": 5000, "queue:emails": 10000, "blob:backup:snapshot": 256 << 10, "events:orders": 2000}
	for k, n := range want {
		if big[k] != n {
			t.Errorf("%s has %d elements, want %d", k, big[k], n)
		}
	}
	for _, k := range []string{"config:feature-flags", "user:1042:profile", "leaderboard:2026:weekly", "geo:stores"} {
		if rdb.Exists(ctx, k).Val() != 1 {
			t.Errorf("%s missing", k)
		}
	}
	if pos := rdb.GeoPos(ctx, "geo:stores", "store:dublin").Val(); len(pos) != 1 || pos[0] == nil {
		t.Errorf("geo index has no store:dublin")
	}
}

// BenchmarkSeed seeds a real redis-server. AMR_SEED_BENCH_KEYS sets the size (default 100000):
//
//	AMR_SEED_BENCH_KEYS=1000000 go test ./emulator/ -run '^$' -bench BenchmarkSeed -benchtime 1x
func BenchmarkSeed(b *testing.B) {
	keys := 100000
	if v := os.Getenv("AMR_SEED_BENCH_KEYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		keys = n
	}
	s := emutest.StartRedisServer(b)
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, Protocol: 2, DisableIdentity: true})
	defer rdb.Close()
	for b.Loop() {
		b.StopTimer()
		rdb.FlushAll(context.Background())
		b.StartTimer()
		if _, err := emulator.Seed(context.Background(), s.Addr, emulator.SeedOptions{Keys: keys, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(keys)*float64(b.N)/b.Elapsed().Seconds(), "keys/s")
}
