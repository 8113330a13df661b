package sessionstore

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// startCluster starts two redis-server primaries in cluster mode, each owning half the slots.
func startCluster(t *testing.T) []string {
	t.Helper()
	ctx := ctxT(t)
	a := emutest.StartRedisServer(t, "--cluster-enabled", "yes")
	b := emutest.StartRedisServer(t, "--cluster-enabled", "yes")
	ca := redis.NewClient(&redis.Options{Addr: a.Addr, Protocol: 2})
	cb := redis.NewClient(&redis.Options{Addr: b.Addr, Protocol: 2})
	t.Cleanup(func() { _ = ca.Close(); _ = cb.Close() })
	if err := ca.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 8191).Err(); err != nil {
		t.Fatal(err)
	}
	if err := cb.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 8192, 16383).Err(); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(b.Addr, ":")
	if err := ca.ClusterMeet(ctx, host, port).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ia, _ := ca.ClusterInfo(ctx).Result()
		ib, _ := cb.ClusterInfo(ctx).Result()
		if strings.Contains(ia, "cluster_state:ok") && strings.Contains(ib, "cluster_state:ok") &&
			strings.Contains(ia, "cluster_known_nodes:2") && strings.Contains(ib, "cluster_known_nodes:2") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cluster not ok in time:\n%s\n%s", ia, ib)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return []string{a.Addr, b.Addr}
}

func TestClusterScanVisitsEveryPrimary(t *testing.T) {
	addrs := startCluster(t)
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs[:1], Protocol: 2})
	t.Cleanup(func() { _ = c.Close() })
	ctx := ctxT(t)
	const n = 5000
	pipe := c.Pipeline()
	for i := range n {
		pipe.Set(ctx, "key:"+strconv.Itoa(i), "v", 0)
	}
	pipe.HSet(ctx, "{key:1}:h", "f", "v")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	st := NewClient(c)

	got := scanAll(t, st, "*", 200, "")
	if len(got) != n+1 {
		t.Fatalf("cluster scan found %d distinct keys, want %d", len(got), n+1)
	}
	if got := scanAll(t, st, "*", 200, "hash"); len(got) != 1 || got[0] != "{key:1}:h" {
		t.Fatalf("cluster TYPE hash: %v", got)
	}
	// The first page's cursor names a primary; a bogus cursor is an error, not a restart.
	_, cur, err := st.Scan(ctx, "", "*", 10, "")
	if err != nil || !strings.HasPrefix(cur, "c1,") {
		t.Fatalf("first cluster page: cursor %q, %v", cur, err)
	}
	if _, _, err := st.Scan(ctx, "garbage", "*", 10, ""); err == nil {
		t.Fatal("a malformed cluster cursor was accepted")
	}
	if size, err := st.DBSize(ctx); err != nil || size != n+1 {
		t.Fatalf("cluster DBSIZE %d %v", size, err)
	}
	ms, err := st.Meta(ctx, []string{"key:1", "key:2", "{key:1}:h", "key:3"})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.Type == "" || m.Type == "none" || m.Memory <= 0 {
			t.Fatalf("cluster meta %d: %+v", i, m)
		}
	}
}

// TestClusterThroughASession opens a real session in cluster mode (as an AMR OSS-cluster
// profile would) and browses through it.
func TestClusterThroughASession(t *testing.T) {
	addrs := startCluster(t)
	p := plainProfile(t, addrs[1])
	p.Cluster = profiles.ClusterOn
	s := open(t, p, guarded(t))
	if !s.Cluster() {
		t.Fatal("the session did not use a cluster client")
	}
	st := New(s)
	ctx := ctxT(t)
	for i := range 300 {
		if ok, err := st.SetNX(ctx, "k"+strconv.Itoa(i), "v"); err != nil || !ok {
			t.Fatalf("SETNX: %v %v", ok, err)
		}
	}
	if got := scanAll(t, st, "k*", 50, ""); len(got) != 300 {
		t.Fatalf("scanned %d keys through a cluster session, want 300", len(got))
	}
}
