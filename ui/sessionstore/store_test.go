package sessionstore

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/ui/common"
)

// scanAll walks a scan to the end the way the UI's scanner does: one page at a time,
// continuing from the returned opaque cursor until it comes back empty.
func scanAll(t testing.TB, st common.KeyScanner, match string, count int64, typ string) []string {
	t.Helper()
	ctx := ctxT(t)
	var all []string
	cur := ""
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("scan does not end")
		}
		keys, next, err := st.Scan(ctx, cur, match, count, typ)
		if err != nil {
			t.Fatalf("Scan(%q): %v", cur, err)
		}
		all = append(all, keys...)
		if next == "" {
			break
		}
		cur = next
	}
	slices.Sort(all)
	return slices.Compact(all)
}

func TestStoreAgainstRedisServer(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	s := open(t, plainProfile(t, srv.Addr), guarded(t))
	st := New(s)
	ctx := ctxT(t)
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: 2})
	t.Cleanup(func() { _ = admin.Close() })

	pipe := admin.Pipeline()
	for i := range 3000 {
		pipe.Set(ctx, "k:"+strconv.Itoa(i), "v", 0)
	}
	for i := range 1000 { // above hash-max-listpack-entries, so HSCAN pages
		pipe.HSet(ctx, "h", "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	for i := range 500 {
		pipe.RPush(ctx, "l", "e"+strconv.Itoa(i))
		pipe.SAdd(ctx, "s", "m"+strconv.Itoa(i))
		pipe.ZAdd(ctx, "z", redis.Z{Member: "m" + strconv.Itoa(i), Score: float64(i)})
	}
	pipe.XAdd(ctx, &redis.XAddArgs{Stream: "x", ID: "1-1", Values: []any{"b", "2", "a", "1"}})
	pipe.Set(ctx, "ttl", "v", time.Hour)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	const total = 3000 + 6

	if got := scanAll(t, st, "*", 100, ""); len(got) != total {
		t.Fatalf("scanned %d distinct keys, want %d", len(got), total)
	}
	if got := scanAll(t, st, "k:1*", 100, ""); len(got) != 1111 {
		t.Fatalf("MATCH k:1*: %d keys, want 1111", len(got))
	}
	if got := scanAll(t, st, "*", 100, "hash"); !slices.Equal(got, []string{"h"}) {
		t.Fatalf("TYPE hash: %v", got)
	}
	if n, err := st.DBSize(ctx); err != nil || n != total {
		t.Fatalf("DBSIZE %d %v", n, err)
	}
	if ok, err := st.Exists(ctx, "h"); !ok || err != nil {
		t.Fatalf("Exists(h) %v %v", ok, err)
	}
	if ok, err := st.Exists(ctx, "nope"); ok || err != nil {
		t.Fatalf("Exists(nope) %v %v", ok, err)
	}

	ms, err := st.Meta(ctx, []string{"h", "ttl", "nope", "x"})
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Type != common.TypeHash || ms[0].TTL != -1 || ms[0].Memory <= 0 {
		t.Errorf("meta h: %+v", ms[0])
	}
	if ms[1].Type != common.TypeString || ms[1].TTL < 59*time.Minute || ms[1].TTL > time.Hour {
		t.Errorf("meta ttl: %+v", ms[1])
	}
	if ms[2].Type != common.TypeNone || ms[2].TTL != -2 || ms[2].Memory != -1 {
		t.Errorf("meta of a missing key: %+v", ms[2])
	}
	if ms[3].Type != common.TypeStream {
		t.Errorf("meta x: %+v", ms[3])
	}

	// Bounded reads.
	if n, _ := st.HLen(ctx, "h"); n != 1000 {
		t.Errorf("HLEN %d", n)
	}
	pairs, _, err := st.HScan(ctx, "h", 0, 50)
	if err != nil || len(pairs) == 0 || len(pairs)%2 != 0 || len(pairs) >= 2000 {
		t.Errorf("HSCAN page: %d items, %v", len(pairs), err)
	}
	if els, _ := st.LRange(ctx, "l", 10, 19); len(els) != 10 || els[0] != "e10" {
		t.Errorf("LRANGE window: %v", els)
	}
	if n, _ := st.SCard(ctx, "s"); n != 500 {
		t.Errorf("SCARD %d", n)
	}
	if zs, _ := st.ZRangeWithScores(ctx, "z", 0, 1); len(zs) != 2 || zs[1] != (common.ScoredMember{Member: "m1", Score: 1}) {
		t.Errorf("ZRANGE WITHSCORES: %v", zs)
	}
	if xs, _ := st.XRange(ctx, "x", "-", "+", 10); len(xs) != 1 || !slices.Equal(xs[0].Fields, []string{"a", "1", "b", "2"}) {
		t.Errorf("XRANGE: %+v", xs)
	}
	if v, _ := st.GetRange(ctx, "k:7", 0, 0); v != "v" {
		t.Errorf("GETRANGE %q", v)
	}

	// Writes reach the server.
	if ok, err := st.SetNX(ctx, "new", "1"); !ok || err != nil {
		t.Fatalf("SETNX %v %v", ok, err)
	}
	if ok, _ := st.SetNX(ctx, "new", "2"); ok {
		t.Fatal("SETNX overwrote an existing key")
	}
	if err := st.Expire(ctx, "new", 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := st.SetKeepTTL(ctx, "new", "3"); err != nil {
		t.Fatal(err)
	}
	if admin.Get(ctx, "new").Val() != "3" || admin.TTL(ctx, "new").Val() < time.Minute {
		t.Fatal("SET KEEPTTL lost the value or the TTL")
	}
	if err := st.Persist(ctx, "new"); err != nil || admin.TTL(ctx, "new").Val() != -1 {
		t.Fatalf("PERSIST: %v", err)
	}
	if err := st.Expire(ctx, "missing", time.Minute); err == nil {
		t.Fatal("EXPIRE of a missing key reported success")
	}
	if err := st.Rename(ctx, "new", "renamed"); err != nil || admin.Exists(ctx, "renamed").Val() != 1 {
		t.Fatalf("RENAME: %v", err)
	}
	if err := st.Del(ctx, "renamed"); err != nil || admin.Exists(ctx, "renamed").Val() != 0 {
		t.Fatalf("DEL: %v", err)
	}
	for _, step := range []func(context.Context) error{
		func(ctx context.Context) error { return st.HSet(ctx, "h", "f0", "x") },
		func(ctx context.Context) error { return st.HDel(ctx, "h", "f1") },
		func(ctx context.Context) error { return st.LSet(ctx, "l", 0, "x") },
		func(ctx context.Context) error { return st.SAdd(ctx, "s", "x") },
		func(ctx context.Context) error { return st.SRem(ctx, "s", "m0") },
		func(ctx context.Context) error { return st.ZAdd(ctx, "z", "x", 9) },
		func(ctx context.Context) error { return st.ZRem(ctx, "z", "m0") },
	} {
		if err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if admin.HGet(ctx, "h", "f0").Val() != "x" || admin.HExists(ctx, "h", "f1").Val() ||
		admin.LIndex(ctx, "l", 0).Val() != "x" || !admin.SIsMember(ctx, "s", "x").Val() ||
		admin.SIsMember(ctx, "s", "m0").Val() || admin.ZScore(ctx, "z", "x").Val() != 9 ||
		admin.ZScore(ctx, "z", "m0").Err() != redis.Nil {
		t.Fatal("member edits did not reach the server")
	}
	if info, err := st.Info(ctx, "server"); err != nil || len(info) == 0 {
		t.Fatalf("INFO: %v", err)
	}
	if _, err := st.JSONGet(ctx, "k:1"); err == nil {
		t.Fatal("JSON.GET without the module succeeded")
	}
}
