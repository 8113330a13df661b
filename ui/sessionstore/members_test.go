package sessionstore

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

func TestListAndStreamEditingRealRedis(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = c.Close() })
	st := NewClient(c)
	ctx := ctxT(t)

	// Duplicates: delete by index removes exactly that element, not the first equal one.
	c.RPush(ctx, "l", "a", "b", "a", "c")
	if err := st.LRemAt(ctx, "l", 2, "a"); err != nil {
		t.Fatal(err)
	}
	if got := c.LRange(ctx, "l", 0, -1).Val(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("after LRemAt 2: %v", got)
	}
	// The element changed since it was read: nothing happens.
	if err := st.LRemAt(ctx, "l", 1, "x"); err == nil || !strings.Contains(err.Error(), "changed since it was read") {
		t.Fatalf("stale LRemAt: %v", err)
	}
	if err := st.LRemAt(ctx, "l", 9, "a"); err == nil {
		t.Fatal("LRemAt past the end succeeded")
	}
	if got := c.LRange(ctx, "l", 0, -1).Val(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("a refused LRemAt changed the list: %v", got)
	}
	if err := st.RPush(ctx, "l", "d"); err != nil {
		t.Fatal(err)
	}
	if err := st.LPush(ctx, "l", "z"); err != nil {
		t.Fatal(err)
	}
	if got := c.LRange(ctx, "l", 0, -1).Val(); !slices.Equal(got, []string{"z", "a", "b", "c", "d"}) {
		t.Fatalf("after pushes: %v", got)
	}

	id, err := st.XAdd(ctx, "s", []string{"type", "login", "note", "two words"})
	if err != nil || id == "" {
		t.Fatalf("XAdd: %q, %v", id, err)
	}
	es, _ := st.XRange(ctx, "s", "-", "+", 10)
	if len(es) != 1 || es[0].ID != id || !slices.Contains(es[0].Fields, "two words") {
		t.Fatalf("stream after XAdd: %+v", es)
	}
	if err := st.XDel(ctx, "s", id); err != nil {
		t.Fatal(err)
	}
	if n := c.XLen(ctx, "s").Val(); n != 0 {
		t.Fatalf("XLEN after XDel: %d", n)
	}
	if err := st.XDel(ctx, "s", id); err == nil {
		t.Fatal("XDel of a missing entry reported success")
	}
}

// SelectDB through a real session: the store returned works on the new database, the
// session reports it, and an out-of-range database is refused without changing anything.
func TestSelectDBThroughSession(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, DB: 5})
	t.Cleanup(func() { _ = c.Close() })
	ctx := ctxT(t)
	c.Set(ctx, "in5", "v", 0)
	s := open(t, plainProfile(t, srv.Addr), guarded(t))
	st := New(s)
	if n, _ := st.DBSize(ctx); n != 0 {
		t.Fatalf("database 0 has %d keys", n)
	}
	st5, err := st.SelectDB(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := st5.DBSize(ctx); n != 1 || s.DB() != 5 || s.Snapshot().DB != 5 {
		t.Fatalf("database 5: DBSIZE %d, session DB %d", n, s.DB())
	}
	// The key browser's SCAN (the session's dedicated SCAN connection) walks database 5 too.
	if keys, next, err := st5.Scan(ctx, "", "*", 100, ""); err != nil || next != "" || len(keys) != 1 || keys[0] != "in5" {
		t.Fatalf("SCAN after SELECT 5: %q next %q, %v", keys, next, err)
	}
	x := NewSession(Info{Profile: "local"})
	x.Attach(s)
	t.Cleanup(x.Close)
	if got := x.State().DB; got != 5 {
		t.Fatalf("header state DB %d", got)
	}
	if _, err := st5.(common.DBSelector).SelectDB(ctx, 1000); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("SelectDB 1000: %v", err)
	}
	if n, _ := st5.DBSize(ctx); n != 1 {
		t.Fatal("a refused SELECT moved the store")
	}

	// A cluster store refuses before any command.
	cs := NewClient(redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{srv.Addr}}))
	if _, err := cs.SelectDB(ctx, 1); !errors.Is(err, session.ErrClusterDB) {
		t.Fatalf("cluster SelectDB: %v", err)
	}
}

// An ACL user denied CLIENT and SLOWLOG gets NOPERM for those and INFO for the rest.
func TestServerReaderNOPERM(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = admin.Close() })
	ctx := ctxT(t)
	if err := admin.Do(ctx, "ACL", "SETUSER", "reader", "on", ">pw", "~*", "+@all", "-client", "-slowlog").Err(); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, Username: "reader", Password: "pw"})
	t.Cleanup(func() { _ = c.Close() })
	st := NewClient(c)
	if _, err := st.ClientList(ctx); err == nil || !strings.Contains(err.Error(), "NOPERM") {
		t.Fatalf("CLIENT LIST as reader: %v", err)
	}
	if _, err := st.SlowLog(ctx, 10); err == nil || !strings.Contains(err.Error(), "NOPERM") {
		t.Fatalf("SLOWLOG GET as reader: %v", err)
	}
	shards, err := st.ShardInfo(ctx, "all")
	if err != nil || len(shards) != 1 || shards[0].Addr != srv.Addr || !strings.Contains(shards[0].Text, "redis_version") {
		t.Fatalf("ShardInfo: %+v, %v", shards, err)
	}
	adminStore := NewClient(admin)
	admin.Do(ctx, "CONFIG", "SET", "slowlog-log-slower-than", "0")
	admin.Set(ctx, "k", "v", 0)
	es, err := adminStore.SlowLog(ctx, 10)
	if err != nil || len(es) == 0 || len(es[0].Args) == 0 {
		t.Fatalf("SLOWLOG as admin: %+v, %v", es, err)
	}
	list, err := adminStore.ClientList(ctx)
	if err != nil || !strings.Contains(list, "user=reader") {
		t.Fatalf("CLIENT LIST as admin: %q, %v", list, err)
	}
	var _ common.ServerReader = adminStore
}
