package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/viewer"

	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/redis/go-redis/v9"
)

// goRedisStore is a test-only Store over go-redis, to prove the UI's use of SCAN, pipelined
// metadata and windowed reads against a real redis-server. The product adapter lives with the
// session (main wires it); this one only has to be faithful.
type goRedisStore struct{ c *redis.Client }

func (s goRedisStore) Scan(ctx context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	var cursor uint64
	if cur != "" {
		var err error
		if cursor, err = strconv.ParseUint(cur, 10, 64); err != nil {
			return nil, "", err
		}
	}
	var keys []string
	var next uint64
	var err error
	if typ != "" {
		keys, next, err = s.c.ScanType(ctx, cursor, match, count, typ).Result()
	} else {
		keys, next, err = s.c.Scan(ctx, cursor, match, count).Result()
	}
	if next == 0 {
		return keys, "", err
	}
	return keys, strconv.FormatUint(next, 10), err
}

func (s goRedisStore) DBSize(ctx context.Context) (int64, error) { return s.c.DBSize(ctx).Result() }

func (s goRedisStore) Exists(ctx context.Context, k string) (bool, error) {
	n, err := s.c.Exists(ctx, k).Result()
	return n == 1, err
}

func (s goRedisStore) Meta(ctx context.Context, keys []string) ([]common.KeyMeta, error) {
	pipe := s.c.Pipeline()
	types := make([]*redis.StatusCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	mems := make([]*redis.IntCmd, len(keys))
	for i, k := range keys {
		types[i], ttls[i], mems[i] = pipe.Type(ctx, k), pipe.PTTL(ctx, k), pipe.MemoryUsage(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	out := make([]common.KeyMeta, len(keys))
	for i := range keys {
		out[i] = common.KeyMeta{Type: types[i].Val(), TTL: ttls[i].Val(), Memory: -1}
		if m, err := mems[i].Result(); err == nil {
			out[i].Memory = m
		}
	}
	return out, nil
}

func (s goRedisStore) StrLen(ctx context.Context, k string) (int64, error) {
	return s.c.StrLen(ctx, k).Result()
}

func (s goRedisStore) GetRange(ctx context.Context, k string, a, b int64) (string, error) {
	return s.c.GetRange(ctx, k, a, b).Result()
}

func (s goRedisStore) HLen(ctx context.Context, k string) (int64, error) {
	return s.c.HLen(ctx, k).Result()
}

func (s goRedisStore) HScan(ctx context.Context, k string, cur uint64, n int64) ([]string, uint64, error) {
	return s.c.HScan(ctx, k, cur, "", n).Result()
}

func (s goRedisStore) LLen(ctx context.Context, k string) (int64, error) {
	return s.c.LLen(ctx, k).Result()
}

func (s goRedisStore) LRange(ctx context.Context, k string, a, b int64) ([]string, error) {
	return s.c.LRange(ctx, k, a, b).Result()
}

func (s goRedisStore) SCard(ctx context.Context, k string) (int64, error) {
	return s.c.SCard(ctx, k).Result()
}

func (s goRedisStore) SScan(ctx context.Context, k string, cur uint64, n int64) ([]string, uint64, error) {
	return s.c.SScan(ctx, k, cur, "", n).Result()
}

func (s goRedisStore) ZCard(ctx context.Context, k string) (int64, error) {
	return s.c.ZCard(ctx, k).Result()
}

func (s goRedisStore) ZRangeWithScores(ctx context.Context, k string, a, b int64) ([]common.ScoredMember, error) {
	zs, err := s.c.ZRangeWithScores(ctx, k, a, b).Result()
	out := make([]common.ScoredMember, len(zs))
	for i, z := range zs {
		out[i] = common.ScoredMember{Member: fmt.Sprint(z.Member), Score: z.Score}
	}
	return out, err
}

func (s goRedisStore) XLen(ctx context.Context, k string) (int64, error) {
	return s.c.XLen(ctx, k).Result()
}

func (s goRedisStore) XRange(ctx context.Context, k, a, b string, n int64) ([]common.StreamEntry, error) {
	ms, err := s.c.XRangeN(ctx, k, a, b, n).Result()
	out := make([]common.StreamEntry, len(ms))
	for i, m := range ms {
		names := make([]string, 0, len(m.Values))
		for f := range m.Values {
			names = append(names, f)
		}
		sort.Strings(names)
		out[i].ID = m.ID
		for _, f := range names {
			out[i].Fields = append(out[i].Fields, f, fmt.Sprint(m.Values[f]))
		}
	}
	return out, err
}

func (s goRedisStore) Del(ctx context.Context, k string) error { return s.c.Del(ctx, k).Err() }

func (s goRedisStore) Rename(ctx context.Context, k, n string) error {
	return s.c.Rename(ctx, k, n).Err()
}

func (s goRedisStore) Expire(ctx context.Context, k string, d time.Duration) error {
	return s.c.Expire(ctx, k, d).Err()
}

func (s goRedisStore) Persist(ctx context.Context, k string) error { return s.c.Persist(ctx, k).Err() }

func TestAgainstRealRedis(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	const n = 20_000
	pipe := c.Pipeline()
	for i := range n {
		pipe.Set(ctx, "user:"+strconv.Itoa(i%100)+":item:"+strconv.Itoa(i), "v", 0)
	}
	for i := range 1000 {
		pipe.RPush(ctx, "biglist", "e"+strconv.Itoa(i))
		pipe.HSet(ctx, "bighash", "f"+strconv.Itoa(i), "v")
	}
	pipe.Set(ctx, "we*ird:1", "x", 0)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	total := n + 3

	a, _ := testApp(t, goRedisStore{c}, nil, 120, 30, func(o *Options) { o.LoadBatch = 5000 })
	start(t, a)
	b := a.browser
	if b.Keys.Len() < 5000 || b.Keys.Len() >= total || b.Scan.Done {
		t.Fatalf("first batch loaded %d keys (done=%v)", b.Keys.Len(), b.Scan.Done)
	}
	if b.DBSize != int64(total) {
		t.Fatalf("DBSIZE %d, want %d", b.DBSize, total)
	}
	press(t, a, "M") // load all, continuing from the saved cursor
	scanned := func() bool { return b.Scan.Done }
	settleUntil(t, a, scanned)
	if b.Keys.Len() != total || !b.Scan.Done {
		t.Fatalf("loaded %d of %d keys (done=%v)", b.Keys.Len(), total, b.Scan.Done)
	}
	if m := b.Meta[b.KeyAt(0)]; m.Type == "" || m.Memory <= 0 || m.TTL != -1 {
		t.Fatalf("pipelined metadata for a visible row: %+v", m)
	}

	// Server-side TYPE filter.
	drain(t, a, a.runCommand("keys * list"))
	settleUntil(t, a, scanned)
	if ks := keysOf(b); len(ks) != 1 || ks[0] != "biglist" {
		t.Fatalf("SCAN TYPE list: %v", ks)
	}
	// Exact key without scanning.
	drain(t, a, a.runCommand("keys user:7:item:7"))
	if ks := keysOf(b); len(ks) != 1 || b.Exact == nil || !b.Exact.Found {
		t.Fatalf("exact key: %v", ks)
	}

	// Tree: fed by the one flat scan; folders from the prefix index, no SCAN per level.
	drain(t, a, a.runCommand("keys *"))
	drain(t, a, a.runCommand("tree"))
	tr := b.Tree
	treeDone := func() bool { return tr.Complete(b) && !tr.Busy() }
	settleUntil(t, a, treeDone)
	if fs := tr.FolderList(); len(fs) != 2 || fs[0].Name != "user:" || fs[0].Keys != int64(n) || !fs[0].Complete || len(tr.LeafKeys(b)) != 2 {
		t.Fatalf("root: folders %+v leaves %v", fs, tr.LeafKeys(b))
	}
	drain(t, a, b.PushLevel("user:"))
	settleUntil(t, a, treeDone)
	if fs := tr.FolderList(); len(fs) != 100 || fs[42].Name != "42:" || fs[42].Keys != int64(n/100) {
		t.Fatalf("user: level: %d folders", len(fs))
	}
	drain(t, a, b.PushLevel("we*ird:"))
	settleUntil(t, a, treeDone)
	if ks := tr.LeafKeys(b); len(ks) != 1 || ks[0] != "we*ird:1" {
		t.Fatal("glob characters in a prefix matched more than the literal prefix")
	}

	// Bounded value reads.
	drain(t, a, a.runCommand("open biglist"))
	settleViewer(t, a)
	press(t, a, "n")
	settleViewer(t, a)
	if v := a.viewer; v.Size != 1000 || len(v.Page.Rows) != viewer.RangePage || v.Page.Rows[0][1] != "e200" {
		t.Fatalf("list page 2: size %d rows %d", v.Size, len(v.Page.Rows))
	}
	drain(t, a, a.runCommand("open bighash"))
	settleViewer(t, a)
	if v := a.viewer; v.Size != 1000 || len(v.Page.Rows) == 0 || len(v.Page.Rows) >= 1000 {
		t.Fatalf("HSCAN page: size %d, %d rows", v.Size, len(v.Page.Rows))
	}

	// Edit a hash member in place.
	press(t, a, "e")
	for range 3 {
		press(t, a, "backspace")
	}
	typeText(t, a, "changed")
	press(t, a, "enter")
	if f := a.viewer.Page.Rows[0][0]; c.HGet(ctx, "bighash", f).Val() != "changed" {
		t.Fatalf("HSET %s did not reach the server", f)
	}

	// INFO from the real server.
	drain(t, a, a.runCommand("info"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "redis_version") || !strings.Contains(v, "Server") {
		t.Fatalf("info screen:\n%s", v)
	}
	press(t, a, "esc")

	// A write round trip: set a TTL on the selected key and see the column change.
	drain(t, a, a.runCommand("keys biglist"))
	press(t, a, "x")
	typeText(t, a, "1h")
	press(t, a, "enter")
	if d := c.TTL(ctx, "biglist").Val(); d <= 59*time.Minute {
		t.Fatalf("TTL on the server: %v", d)
	}
	if m := b.Meta["biglist"]; m.TTL <= 59*time.Minute {
		t.Fatalf("TTL column: %+v", m)
	}
}

func (s goRedisStore) SetNX(ctx context.Context, k, v string) (bool, error) {
	return s.c.SetNX(ctx, k, v, 0).Result()
}

func (s goRedisStore) SetKeepTTL(ctx context.Context, k, v string) error {
	return s.c.SetArgs(ctx, k, v, redis.SetArgs{KeepTTL: true}).Err()
}

func (s goRedisStore) HSet(ctx context.Context, k, f, v string) error {
	return s.c.HSet(ctx, k, f, v).Err()
}

func (s goRedisStore) HDel(ctx context.Context, k, f string) error { return s.c.HDel(ctx, k, f).Err() }

func (s goRedisStore) LSet(ctx context.Context, k string, i int64, v string) error {
	return s.c.LSet(ctx, k, i, v).Err()
}

func (s goRedisStore) SAdd(ctx context.Context, k, m string) error { return s.c.SAdd(ctx, k, m).Err() }

func (s goRedisStore) SRem(ctx context.Context, k, m string) error { return s.c.SRem(ctx, k, m).Err() }

func (s goRedisStore) ZAdd(ctx context.Context, k, m string, score float64) error {
	return s.c.ZAdd(ctx, k, redis.Z{Score: score, Member: m}).Err()
}

func (s goRedisStore) ZRem(ctx context.Context, k, m string) error { return s.c.ZRem(ctx, k, m).Err() }

func (s goRedisStore) Info(ctx context.Context, section string) (string, error) {
	return s.c.Info(ctx, section).Result()
}
