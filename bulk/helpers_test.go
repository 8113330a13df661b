package bulk

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/session"
)

// startServer starts a real redis-server that allows DEBUG DIGEST-VALUE from loopback.
func startServer(t testing.TB) *redis.Client {
	t.Helper()
	s := redistest.StartRedisServer(t, "--enable-debug-command", "local")
	c := redis.NewClient(&redis.Options{Addr: s.Addr, DisableIdentity: true, ReadTimeout: time.Minute}) // FLUSHALL of 1M keys
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// startCluster starts a real 3-primary Redis Cluster and returns a cluster client.
func startCluster(t testing.TB) *redis.ClusterClient {
	t.Helper()
	redistest.RedisServerPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rc, err := emulator.StartRedisCluster(ctx, emulator.RedisClusterOptions{Dir: t.TempDir(), Masters: 3})
	if err != nil {
		t.Fatalf("starting the cluster: %v", err)
	}
	t.Cleanup(rc.Close)
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{rc.Nodes[0].Addr}, DisableIdentity: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// weird are names and values that must survive byte for byte.
var weird = []string{"", "plain", "new\nline", "esc\x1b[31mred", "ff\xff", "nul\x00byte", "bad\xc3(utf8",
	"quote\"back\\slash", "tab\tcr\r", "ünïcødé ✓", "{tag}x", "del\x7f", "\xfe\xff\x00\x01"}

// seed writes n small keys of every type under prefix (names cycle through weird
// suffixes), plus one big value of each type, with TTLs on about a third. It returns the names.
func seed(t testing.TB, c redis.UniversalClient, prefix string, n int, big bool) []string {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, uint64(len(prefix))))
	var names []string
	p := c.Pipeline()
	flush := func() {
		if _, err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		w := weird[i%len(weird)]
		k := fmt.Sprintf("%s%d:%s", prefix, i, w)
		v := w + strconv.Itoa(i)
		switch i % 6 {
		case 0:
			p.Set(ctx, k, v, 0)
		case 1:
			p.RPush(ctx, k, v, w, "x", w)
		case 2:
			p.SAdd(ctx, k, v, w, "1", "2", "300000")
		case 3:
			p.ZAdd(ctx, k, redis.Z{Score: 1.5, Member: v}, redis.Z{Score: -0.1, Member: w + "m"}, redis.Z{Score: 1e300, Member: "e"})
		case 4:
			p.HSet(ctx, k, "f"+w, v, w+"g", "")
		case 5:
			p.XAdd(ctx, &redis.XAddArgs{Stream: k, ID: fmt.Sprintf("%d-%d", i+1, i%3), Values: []any{w, v, "n", "1"}})
		}
		if r.IntN(3) == 0 {
			p.PExpire(ctx, k, time.Duration(100+r.IntN(10000))*time.Second)
		}
		names = append(names, k)
		if p.Len() >= 2000 {
			flush()
		}
	}
	flush()
	if big {
		names = append(names, seedBig(t, c, prefix)...)
	}
	return names
}

// seedBig writes one value of each type that needs several windows to read and write.
func seedBig(t testing.TB, c redis.UniversalClient, prefix string) []string {
	t.Helper()
	ctx := context.Background()
	var names []string
	add := func(k string, f func(p redis.Pipeliner)) {
		p := c.Pipeline()
		f(p)
		if _, err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		names = append(names, k)
	}
	bin := func(i int) string { return weird[i%len(weird)] + strconv.Itoa(i) }
	add(prefix+"big:string\xff", func(p redis.Pipeliner) {
		var b bytes.Buffer
		for i := 0; b.Len() < 2*stringWindow+12345; i++ {
			b.WriteString(bin(i))
		}
		p.Set(ctx, prefix+"big:string\xff", b.String(), time.Hour)
	})
	add(prefix+"big:list", func(p redis.Pipeliner) {
		for i := range 2500 {
			p.RPush(ctx, prefix+"big:list", bin(i))
		}
	})
	add(prefix+"big:set\n", func(p redis.Pipeliner) {
		for i := range 2600 {
			p.SAdd(ctx, prefix+"big:set\n", bin(i))
		}
	})
	add(prefix+"big:zset", func(p redis.Pipeliner) {
		for i := range 2700 {
			p.ZAdd(ctx, prefix+"big:zset", redis.Z{Score: float64(i) / 7, Member: bin(i)})
		}
		p.ZAdd(ctx, prefix+"big:zset", redis.Z{Score: math.Inf(1), Member: "top"}, redis.Z{Score: math.Inf(-1), Member: "bottom"})
		p.PExpire(ctx, prefix+"big:zset", 5*time.Minute)
	})
	add(prefix+"big:hash", func(p redis.Pipeliner) {
		for i := range 2800 {
			p.HSet(ctx, prefix+"big:hash", bin(i), bin(i*7))
		}
	})
	add(prefix+"big:stream", func(p redis.Pipeliner) {
		for i := range 2100 {
			p.XAdd(ctx, &redis.XAddArgs{Stream: prefix + "big:stream", ID: fmt.Sprintf("%d-1", i+1), Values: []any{bin(i), bin(i + 1), "k", "v"}})
		}
	})
	return names
}

// sameData checks that every key of names has the same type, DEBUG DIGEST-VALUE and TTL
// (within 1 s) on a and b, and that b has no other keys when exclusive.
func sameData(t testing.TB, a, b redis.UniversalClient, names []string) {
	t.Helper()
	ctx := context.Background()
	// DEBUG needs enable-debug-command, which the emulated cluster's nodes do not set: there
	// the values are compared in a canonical form read with plain commands.
	_, derr := b.Do(ctx, "DEBUG", "DIGEST-VALUE", "x").Result()
	digest := derr == nil
	type facts struct {
		typ, digest []*redis.Cmd
		ttl         []*redis.DurationCmd
	}
	read := func(c redis.UniversalClient, ks []string) facts {
		f := facts{make([]*redis.Cmd, len(ks)), make([]*redis.Cmd, len(ks)), make([]*redis.DurationCmd, len(ks))}
		_, _ = c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range ks {
				f.typ[i] = p.Do(ctx, "TYPE", k)
				if digest {
					f.digest[i] = p.Do(ctx, "DEBUG", "DIGEST-VALUE", k)
				} else {
					f.digest[i] = canonical(ctx, p, k)
				}
				f.ttl[i] = p.PTTL(ctx, k)
			}
			return nil
		})
		return f
	}
	for i := 0; i < len(names); i += 1000 {
		ks := names[i:min(i+1000, len(names))]
		// The source is read before and after the target: the target's TTL must lie between
		// the two, within 1 s (reads on a loaded machine can be far apart).
		fa, fb, fa2 := read(a, ks), read(b, ks), read(a, ks)
		for j, k := range ks {
			ta, tb := fa.typ[j].Val(), fb.typ[j].Val()
			if ta != tb || ta == "none" {
				t.Fatalf("key %q: type %v on the source, %v on the target", k, ta, tb)
			}
			da, err := fa.digest[j].Result()
			must(t, err)
			if !digest {
				da = canonicalText("", da)
			}
			db := fb.digest[j].Val()
			if !digest {
				db = canonicalText("", db)
			}
			if fmt.Sprint(da) != fmt.Sprint(db) {
				t.Fatalf("key %q (%v): digest %v on the source, %v on the target", k, ta, da, db)
			}
			la, lb, la2 := fa.ttl[j].Val(), fb.ttl[j].Val(), fa2.ttl[j].Val()
			if (la < 0) != (lb < 0) || (la >= 0 && (lb > la+time.Second || lb < la2-time.Second)) {
				t.Fatalf("key %q: TTL %v on the source (%v after), %v on the target", k, la, la2, lb)
			}
		}
	}
}

// dbsize sums DBSIZE over a cluster's primaries.
func dbsize(t testing.TB, c redis.UniversalClient) int64 {
	t.Helper()
	ctx := context.Background()
	if cc, ok := c.(*redis.ClusterClient); ok {
		var n int64
		var mu = make(chan struct{}, 1)
		must(t, cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			s, err := m.DBSize(ctx).Result()
			mu <- struct{}{}
			n += s
			<-mu
			return err
		}))
		return n
	}
	n, err := c.DBSize(ctx).Result()
	must(t, err)
	return n
}

// opener opens b as the CLI opens a file: readable at any offset (checkHalves cuts it).
func opener(b []byte) Open {
	return func() (io.ReadCloser, error) { return byteFile{bytes.NewReader(b)}, nil }
}

type byteFile struct{ *bytes.Reader }

func (byteFile) Close() error { return nil }

// nKeys is short under -short, long otherwise, and AMR_BULK_TEST_KEYS when set (the 1M-key
// runs by hand: AMR_BULK_TEST_KEYS=1000000 go test -run PatternActions ./bulk/).
func nKeys(short, long int) int {
	if s := os.Getenv("AMR_BULK_TEST_KEYS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	if testing.Short() {
		return short
	}
	return long
}

func hasPrefixCount(names []string, prefix string) int {
	n := 0
	for _, k := range names {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// canonical reads a whole value: the comparison of the cluster tests (small enough there).
func canonical(ctx context.Context, p redis.Pipeliner, k string) *redis.Cmd {
	return p.Do(ctx, "EVAL", `local t = redis.call('TYPE', KEYS[1]).ok
if t == 'string' then return {t, {redis.call('GET', KEYS[1])}} end
if t == 'list' then return {t, redis.call('LRANGE', KEYS[1], 0, -1)} end
if t == 'set' then return {t, redis.call('SMEMBERS', KEYS[1])} end
if t == 'zset' then return {t, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')} end
if t == 'hash' then return {t, redis.call('HGETALL', KEYS[1])} end
if t == 'stream' then
  local out = {}
  for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
    out[#out+1] = e[1]
    for _, f in ipairs(e[2]) do out[#out+1] = f end
  end
  return {t, out}
end
return {t, {}}`, 1, k)
}

// canonicalText renders canonical's reply with the unordered types sorted.
func canonicalText(_ string, v any) string {
	arr, _ := v.([]any)
	if len(arr) != 2 {
		return fmt.Sprint(v)
	}
	typ, _ := arr[0].(string)
	items, _ := arr[1].([]any)
	var parts []string
	switch typ {
	case "set":
		for _, x := range items {
			parts = append(parts, fmt.Sprintf("%q", x))
		}
		slices.Sort(parts)
	case "hash":
		for i := 0; i+1 < len(items); i += 2 {
			parts = append(parts, fmt.Sprintf("%q=%q", items[i], items[i+1]))
		}
		slices.Sort(parts)
	default:
		for _, x := range items {
			parts = append(parts, fmt.Sprintf("%q", x))
		}
	}
	return typ + ":" + strings.Join(parts, ",")
}

// noAuth is the credential of a test server without passwords: the session sends no AUTH.
type noAuth struct{}

func (noAuth) Token(context.Context) (auth.Token, error) { return auth.Token{}, nil }
func (noAuth) Fresh(context.Context) (auth.Token, error) { return auth.Token{}, nil }
func (noAuth) Kind() string                              { return "none (test)" }

// openSession opens a session on c's server, as amr-tui's bulk commands do for a profile:
// its pooled client and its Pipes are what Import gets from the command line.
func openSession(t testing.TB, c *redis.Client) *session.Session {
	t.Helper()
	host, port, _ := strings.Cut(c.Options().Addr, ":")
	p, err := strconv.Atoi(port)
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := session.Open(ctx, session.Config{Host: host, Port: p, Cluster: session.ClusterOff, ReadTimeout: time.Minute}, noAuth{})
	must(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// pipes is ImportOptions.Pipe over s; *trips counts the batches sent on them.
func pipes(s *session.Session, trips *atomic.Int64) func() (Pipe, error) {
	return func() (Pipe, error) {
		p, err := s.Pipe()
		if err != nil {
			return nil, err
		}
		return countingPipe{p, trips}, nil
	}
}

type countingPipe struct {
	Pipe
	trips *atomic.Int64
}

func (p countingPipe) RoundTrip(ctx context.Context, cmds []byte, read func(*bufio.Reader) error) error {
	p.trips.Add(1)
	return p.Pipe.RoundTrip(ctx, cmds, read)
}
