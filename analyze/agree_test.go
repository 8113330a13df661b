package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// seedKnown writes keys of every type whose biggest-by-length and biggest-by-memory keys differ
// for lists and hashes, and returns every key name.
func seedKnown(t *testing.T, addr string) []string {
	t.Helper()
	c := client(t, addr, 0)
	p := newPipe(t, c)
	var keys []string
	key := func(k string) string { keys = append(keys, k); return k }
	for i := range 100 {
		p.do("SET", key(fmt.Sprintf("app:cfg:%d", i)), strings.Repeat("v", 20+i))
	}
	p.do("SET", key("app:blob"), strings.Repeat("b", 200_000))
	for i := range 200 {
		k := key(fmt.Sprintf("cache:page:%d", i))
		p.do("SET", k, strings.Repeat("p", 100))
		if i >= 10 { // ten cache keys lack a TTL: a finding
			p.do("EXPIRE", k, 600+i)
		}
	}
	for i := range 50 {
		k := key(fmt.Sprintf("q:jobs:%d", i))
		for j := range i + 1 {
			p.do("RPUSH", k, j)
		}
	}
	for range 3000 {
		p.do("RPUSH", key("q:long"), "x")
	}
	for range 8 {
		p.do("RPUSH", key("q:fat"), strings.Repeat("f", 20_000))
	}
	for i := range 300 {
		k := key(fmt.Sprintf("user:%d:profile", i))
		for j := range i%20 + 1 {
			p.do("HSET", k, fmt.Sprintf("f%d", j), fmt.Sprintf("value%d", j))
		}
		if i%3 == 0 {
			p.do("EXPIRE", k, 86400*3)
		}
	}
	for j := range 5000 {
		p.do("HSET", key("user:wide"), fmt.Sprintf("f%d", j), j)
	}
	for j := range 60 {
		p.do("HSET", key("user:heavy"), fmt.Sprintf("f%d", j), strings.Repeat("h", 10_000))
	}
	for i := range 100 {
		k := key(fmt.Sprintf("tags:%d", i))
		for j := range i + 1 {
			p.do("SADD", k, fmt.Sprintf("t%d", j))
		}
	}
	for j := range 4000 {
		p.do("SADD", key("tags:all"), fmt.Sprintf("tag-%d", j))
	}
	for i := range 100 {
		k := key(fmt.Sprintf("rank:%d", i))
		for j := range i + 1 {
			p.do("ZADD", k, j, fmt.Sprintf("m%d", j))
		}
	}
	for j := range 3000 {
		p.do("ZADD", key("rank:global"), j, fmt.Sprintf("member-%d", j))
	}
	for i := range 20 {
		k := key(fmt.Sprintf("events:%d", i))
		for range i + 1 {
			p.do("XADD", k, "*", "e", i)
		}
	}
	for j := range 500 {
		p.do("XADD", key("events:main"), "*", "n", j)
	}
	p.do("SET", key("plain"), "no namespace")
	p.flush()
	return dedupe(keys)
}

func dedupe(keys []string) []string {
	seen := map[string]bool{}
	out := keys[:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// The biggest key of each type, by length and by memory, is the one redis-cli --bigkeys and
// --memkeys find on the same server, with the same size.
func TestBiggestKeysAgreeWithRedisCLI(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	seedKnown(t, srv.Addr)
	rep, err := Analyze(testCtx(t), client(t, srv.Addr, 0), Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete {
		t.Fatalf("a full analysis of a quiet server is not complete: %+v", rep.Keyspace)
	}
	byLen := redisCLIBiggest(t, srv.Addr, "--bigkeys")
	byMem := redisCLIBiggest(t, srv.Addr, "--memkeys")
	types := map[string]TypeStat{}
	for _, ts := range rep.Types {
		types[ts.Type] = ts
	}
	for _, typ := range []string{"string", "list", "hash", "set", "zset", "stream"} {
		ts, ok := types[typ]
		if !ok || len(ts.TopByLength) == 0 || len(ts.TopByMemory) == 0 {
			t.Errorf("%s: no top keys in the report", typ)
			continue
		}
		if want, got := byLen[typ], ts.TopByLength[0]; got.Key != want.key || got.Length != want.size {
			t.Errorf("%s by length: analyze says %q (%d), redis-cli --bigkeys %q (%d)", typ, got.Key, got.Length, want.key, want.size)
		}
		if want, got := byMem[typ], ts.TopByMemory[0]; got.Key != want.key || got.Memory != want.size {
			t.Errorf("%s by memory: analyze says %q (%d B), redis-cli --memkeys %q (%d B)", typ, got.Key, got.Memory, want.key, want.size)
		}
	}
	// The seed makes the two rankings differ where it matters.
	if types["list"].TopByLength[0].Key != "q:long" || types["list"].TopByMemory[0].Key != "q:fat" ||
		types["hash"].TopByLength[0].Key != "user:wide" || types["hash"].TopByMemory[0].Key != "user:heavy" {
		t.Errorf("the seed no longer separates length from memory: %+v / %+v", types["list"].TopByMemory[0], types["hash"].TopByMemory[0])
	}
}

// In full mode every namespace's key count and memory is exact: they equal what the test counts
// itself from the key names and MEMORY USAGE of every key.
func TestFullNamespacesExact(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	keys := seedKnown(t, srv.Addr)
	c := client(t, srv.Addr, 0)
	ctx := testCtx(t)
	wantKeys, wantMem, keyMem := map[string]int64{}, map[string]int64{}, map[string]int64{}
	var total int64
	for _, k := range keys {
		m, err := c.MemoryUsage(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		total += m
		keyMem[k] = m
		for i := range len(k) {
			if k[i] == ':' {
				wantKeys[k[:i+1]]++
				wantMem[k[:i+1]] += m
			}
		}
	}
	rep, err := Analyze(ctx, c, Options{Mode: Full, MaxDepth: 10, KeepIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Keys.Value != int64(len(keys)) || !rep.Keys.Exact || rep.Memory.Value != total || !rep.Memory.Exact {
		t.Errorf("totals: %+v keys, %+v bytes; want %d keys, %d bytes, exact", rep.Keys, rep.Memory, len(keys), total)
	}
	got := map[string]Namespace{}
	var walk func(n Namespace)
	walk = func(n Namespace) {
		for _, ch := range n.Children {
			got[ch.Prefix] = ch
			walk(ch)
		}
	}
	walk(rep.Namespaces)
	for p, n := range wantKeys {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("namespace %q missing", p)
		case g.Keys.Value != n || !g.Keys.Exact || g.Memory.Value != wantMem[p]:
			t.Errorf("namespace %q: %d keys, %d B; want %d keys, %d B", p, g.Keys.Value, g.Memory.Value, n, wantMem[p])
		}
	}
	for p := range got {
		if _, ok := wantKeys[p]; !ok {
			t.Errorf("namespace %q reported but no key has it", p)
		}
	}
	if rep.Namespaces.OtherKeys.Value != 1 { // "plain"
		t.Errorf("keys outside every namespace: %d, want 1", rep.Namespaces.OtherKeys.Value)
	}
	var ttlKeys int64
	for _, b := range rep.TTL {
		ttlKeys += b.Keys.Value
	}
	if ttlKeys != int64(len(keys)) || rep.TTL[0].Keys.Value != int64(len(keys))-190-100 {
		t.Errorf("TTL buckets %+v: want %d keys, %d without TTL", rep.TTL, len(keys), len(keys)-290)
	}
	if rep.TTL[1].Keys.Value != 190 || rep.TTL[3].Keys.Value != 100 {
		t.Errorf("TTL buckets: %d keys < 1 h (want 190), %d < 1 w (want 100)", rep.TTL[1].Keys.Value, rep.TTL[3].Keys.Value)
	}
	// By default the 300 user:<n>: namespaces fold into one, user:*:, whose pattern lists
	// exactly their keys.
	folded, err := Analyze(ctx, c, Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	var user Namespace
	for _, ch := range folded.Namespaces.Children {
		if ch.Prefix == "user:" {
			user = ch
		}
	}
	if len(user.Children) != 1 || user.Children[0].Prefix != "user:*:" || user.Children[0].Match != "user:*:*" ||
		user.Children[0].Keys.Value != 300 || user.Children[0].Memory.Value != wantMem["user:"]-keyMem["user:wide"]-keyMem["user:heavy"] {
		t.Errorf("folded user namespace: %+v", user.Children)
	}
	n := 0
	for it := c.Scan(ctx, 0, user.Children[0].Match, 1000).Iterator(); it.Next(ctx); {
		n++
	}
	if n != 300 {
		t.Errorf("SCAN MATCH %s lists %d keys, want 300", user.Children[0].Match, n)
	}
	kinds := map[string]string{}
	for _, f := range rep.Findings {
		kinds[f.Kind+" "+f.Subject] = f.Command
	}
	if cmd, ok := kinds["no_ttl_in_cache cache:"]; !ok || !strings.HasPrefix(cmd, "TTL cache:page:") {
		t.Errorf("no finding for the ten cache keys without TTL: %+v", rep.Findings)
	}
}
