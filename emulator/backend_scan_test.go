package emulator_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
)

// embeddedClient starts an embedded backend with n keys "key:0".."key:<n-1>" (strings) plus
// n/10 hashes "hash:<i>", and returns a client on it.
func embeddedClient(t *testing.T, n int) *redis.Client {
	t.Helper()
	m, err := emulator.StartEmbeddedBackend()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, Protocol: 2})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	pipe := rdb.Pipeline()
	for i := range n {
		pipe.Set(ctx, "key:"+strconv.Itoa(i), "v", 0)
		if i%10 == 0 {
			pipe.HSet(ctx, "hash:"+strconv.Itoa(i), "f", "v")
		}
		if pipe.Len() >= 1000 {
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return rdb
}

// walk runs a whole SCAN walk and returns how often each key came back; during(i) runs after
// page i.
func walk(t *testing.T, rdb *redis.Client, match, typ string, count int64, during func(page int)) map[string]int {
	t.Helper()
	ctx := context.Background()
	seen := map[string]int{}
	var cursor uint64
	for page := 0; ; page++ {
		var keys []string
		var err error
		if typ != "" {
			keys, cursor, err = rdb.ScanType(ctx, cursor, match, count, typ).Result()
		} else {
			keys, cursor, err = rdb.Scan(ctx, cursor, match, count).Result()
		}
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(keys)) > count {
			t.Fatalf("page %d holds %d keys, more than COUNT %d", page, len(keys), count)
		}
		for _, k := range keys {
			seen[k]++
		}
		if during != nil {
			during(page)
		}
		if cursor == 0 {
			return seen
		}
		if page > 1_000_000 {
			t.Fatal("the walk never ends")
		}
	}
}

// Every key is seen exactly once over a full walk, pages are bounded by COUNT, and the walk
// takes many pages rather than one reply with everything.
func TestEmbeddedScanPagesByCount(t *testing.T) {
	const n = 5000
	rdb := embeddedClient(t, n)
	for _, count := range []int64{1, 10, 1000} {
		pages := 0
		seen := walk(t, rdb, "", "", count, func(int) { pages++ })
		if len(seen) != n+n/10 {
			t.Fatalf("COUNT %d: %d distinct keys, want %d", count, len(seen), n+n/10)
		}
		for k, c := range seen {
			if c != 1 {
				t.Fatalf("COUNT %d: %q seen %d times", count, k, c)
			}
		}
		if min := (n + n/10) / int(count); pages < min {
			t.Fatalf("COUNT %d: %d pages, want at least %d", count, pages, min)
		}
	}
	// The default COUNT is Redis's 10.
	keys, err := rdb.Do(context.Background(), "SCAN", "0").Slice()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(keys[1].([]any)); got > 10 {
		t.Fatalf("SCAN 0 without COUNT returned %d keys", got)
	}
}

// Keys present throughout are returned exactly once even while other keys are added and
// deleted between pages; deleted keys are not returned after their deletion.
func TestEmbeddedScanStableAcrossWrites(t *testing.T) {
	const n = 1000
	rdb := embeddedClient(t, n)
	ctx := context.Background()
	deleted := map[string]bool{}
	seen := walk(t, rdb, "", "", 10, func(page int) {
		// Grow the keyspace by 20 keys and delete one "key:" per page, and start (and
		// abandon) another walk, which rebuilds the snapshot.
		pipe := rdb.Pipeline()
		for j := range 20 {
			pipe.Set(ctx, fmt.Sprintf("new:%d:%d", page, j), "v", 0)
		}
		victim := "key:" + strconv.Itoa(n-1-page)
		if page < n/2 {
			pipe.Del(ctx, victim)
			deleted[victim] = true
		}
		pipe.Scan(ctx, 0, "", 10)
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	})
	for i := range n {
		k := "key:" + strconv.Itoa(i)
		if deleted[k] {
			if seen[k] > 1 {
				t.Fatalf("%q seen %d times", k, seen[k])
			}
			continue
		}
		if seen[k] != 1 {
			t.Fatalf("%q, present throughout, seen %d times", k, seen[k])
		}
	}
	for k, c := range seen {
		if c != 1 {
			t.Fatalf("%q seen %d times", k, c)
		}
	}
	// A new walk sees the keys added during the last one.
	after := walk(t, rdb, "new:*", "", 1000, nil)
	if len(after) == 0 {
		t.Fatal("a new walk does not see keys added during the previous one")
	}
}

// MATCH and TYPE filter each page; pages stay bounded by COUNT.
func TestEmbeddedScanMatchAndType(t *testing.T) {
	const n = 2000
	rdb := embeddedClient(t, n)
	seen := walk(t, rdb, "key:1*", "", 100, nil)
	want := 0
	for i := range n {
		if strings.HasPrefix(strconv.Itoa(i), "1") {
			want++
			if seen["key:"+strconv.Itoa(i)] != 1 {
				t.Fatalf("key:%d missing from MATCH key:1*", i)
			}
		}
	}
	if len(seen) != want {
		t.Fatalf("MATCH key:1*: %d keys, want %d", len(seen), want)
	}
	hashes := walk(t, rdb, "", "hash", 100, nil)
	if len(hashes) != n/10 {
		t.Fatalf("TYPE hash: %d keys, want %d", len(hashes), n/10)
	}
	for k := range hashes {
		if !strings.HasPrefix(k, "hash:") {
			t.Fatalf("TYPE hash returned %q", k)
		}
	}
	if got := walk(t, rdb, "hash:[12]?", "hash", 10, nil); len(got) != 2 || got["hash:10"] != 1 || got["hash:20"] != 1 {
		t.Fatalf("MATCH hash:[12]? TYPE hash = %v", got)
	}
}

// A walk in another database sees only that database, and errors are Redis's.
func TestEmbeddedScanSelectAndErrors(t *testing.T) {
	rdb := embeddedClient(t, 100)
	ctx := context.Background()
	conn := rdb.Conn()
	defer conn.Close()
	if err := conn.Select(ctx, 3).Err(); err != nil {
		t.Fatal(err)
	}
	conn.Set(ctx, "only-in-3", "v", 0)
	keys, cur, err := conn.Scan(ctx, 0, "", 1000).Result()
	if err != nil || cur != 0 || len(keys) != 1 || keys[0] != "only-in-3" {
		t.Fatalf("SCAN in db 3 = %v %d %v", keys, cur, err)
	}
	for _, args := range [][]any{{"SCAN", "x"}, {"SCAN", "0", "COUNT", "0"}, {"SCAN", "0", "MATCH"}, {"SCAN", "0", "BOGUS", "1"}} {
		if err := rdb.Do(ctx, args...).Err(); err == nil || !strings.HasPrefix(err.Error(), "ERR") {
			t.Fatalf("%v: err %v, want an ERR", args, err)
		}
	}
	// Inside MULTI, SCAN is queued like any command.
	if _, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Scan(ctx, 0, "", 10)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
