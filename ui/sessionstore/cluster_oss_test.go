package sessionstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// startClusterDemo starts the demo as an emulated OSS-policy cluster (3 primaries, with
// replicas replicas each), unseeded, and opens a session on its service principal profile:
// host name "localhost" checked by TLS on every shard, shards advertised as 127.0.0.1:<port>.
func startClusterDemo(t *testing.T, replicas int) (*emulator.Demo, *session.Session) {
	t.Helper()
	emutest.RedisServerPath(t) // skip (or fail under CI) before anything starts
	emutest.GuardDefaultTransport(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	d, err := emulator.StartDemo(ctx, emulator.DemoOptions{Dir: t.TempDir(), TokenLifetime: time.Hour,
		Cluster: true, ClusterReplicas: replicas})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	p := demoProfile(t, d, "demo-sp")
	if p.Host != "localhost" {
		t.Fatalf("cluster demo profile host %q, want the host name", p.Host)
	}
	s := open(t, p, guarded(t))
	if !s.Cluster() {
		t.Fatal("cluster = auto did not detect the OSS clustering policy")
	}
	return d, s
}

// seedNumbered writes n keys k:00000… through the session's cluster client.
func seedNumbered(t *testing.T, s *session.Session, n int) {
	t.Helper()
	ctx := ctxT(t)
	for lo := 0; lo < n; lo += 2000 {
		pipe := s.Client().Pipeline()
		for i := lo; i < min(lo+2000, n); i++ {
			pipe.Set(ctx, fmt.Sprintf("k:%05d", i), "v", 0)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// scanRaw runs a whole scan and returns every key as often as it came, and the last cursor
// before the end (for ScanProgress).
func scanRaw(t *testing.T, st *Store, match string, count int64) (keys []string, last string) {
	t.Helper()
	ctx := ctxT(t)
	cur := ""
	for range 1_000_000 {
		ks, next, err := st.Scan(ctx, cur, match, count, "")
		if err != nil {
			t.Fatalf("Scan(%q): %v", cur, err)
		}
		keys = append(keys, ks...)
		if next == "" {
			return keys, cur
		}
		cur = next
	}
	t.Fatal("scan does not end")
	return nil, ""
}

// 30k keys spread over 3 shards are each found exactly once, with and without a pattern; the
// progress names 3 shards whose counts add up; the header facts and per-shard INFO agree.
func TestOSSClusterScanFindsEveryKeyOnce(t *testing.T) {
	d, s := startClusterDemo(t, 0)
	const n = 30000
	seedNumbered(t, s, n)
	st := New(s)

	for _, tc := range []struct {
		match string
		want  func(i int) bool
	}{
		{"*", func(int) bool { return true }},
		{"k:1*", func(i int) bool { return strings.HasPrefix(fmt.Sprintf("%05d", i), "1") }},
	} {
		keys, last := scanRaw(t, st, tc.match, 500)
		seen := make(map[string]int, len(keys))
		for _, k := range keys {
			seen[k]++
		}
		want := 0
		for i := range n {
			if !tc.want(i) {
				continue
			}
			want++
			if c := seen[fmt.Sprintf("k:%05d", i)]; c != 1 {
				t.Fatalf("MATCH %s: k:%05d found %d times", tc.match, i, c)
			}
		}
		if len(keys) != want {
			t.Fatalf("MATCH %s: %d keys returned, want %d", tc.match, len(keys), want)
		}
		shards, ok := st.ScanProgress(last)
		if !ok || len(shards) != 3 {
			t.Fatalf("MATCH %s: progress of the last cursor %q: %+v %v", tc.match, last, shards, ok)
		}
		var found int64
		for _, sh := range shards {
			if sh.Found == 0 || !strings.HasPrefix(sh.Addr, "127.0.0.1:") {
				t.Errorf("MATCH %s: shard %+v", tc.match, sh)
			}
			found += sh.Found
		}
		t.Logf("MATCH %s: %d keys in %d shards: %+v", tc.match, len(keys), len(shards), shards)
		if found > int64(want) {
			t.Errorf("MATCH %s: shards found %d keys before the last step, more than %d", tc.match, found, want)
		}
	}

	// Type/TTL/memory lookups are routed by slot.
	ms, err := st.Meta(ctxT(t), []string{"k:00001", "k:12345", "k:29999", "missing"})
	if err != nil || ms[0].Type != "string" || ms[2].Memory <= 0 || ms[3].Type != "none" {
		t.Fatalf("Meta across shards: %+v %v", ms, err)
	}

	infos, err := st.ShardInfo(ctxT(t), "keyspace")
	if err != nil || len(infos) != 3 {
		t.Fatalf("ShardInfo: %+v %v", infos, err)
	}
	slots, total := 0, 0
	for _, in := range infos {
		if in.Err != nil {
			t.Fatalf("ShardInfo %s: %v", in.Addr, in.Err)
		}
		slots += in.Slots
		_, rest, _ := strings.Cut(in.Text, "db0:keys=")
		k, _, _ := strings.Cut(rest, ",")
		c, _ := strconv.Atoi(k)
		total += c
	}
	if slots != 16384 || total != n {
		t.Fatalf("per-shard INFO: %d slots, %d keys; want 16384, %d", slots, total, n)
	}
	for _, g := range d.Cluster.Gates {
		if g.Stats().AuthFailed != 0 {
			t.Errorf("gate %s refused an AUTH", g.Addr())
		}
	}
	if sst := s.Snapshot(); !sst.Cluster || sst.Shards != 3 {
		t.Fatalf("session state: cluster %v, %d shards", sst.Cluster, sst.Shards)
	}
	adapter := NewSession(InfoFromProfile(demoProfile(t, d, "demo-sp")))
	adapter.Attach(s)
	defer adapter.Close()
	if h := adapter.State(); !h.Cluster || h.Shards != 3 {
		t.Fatalf("header: %+v", h)
	}
	var _ common.ScanProgressReader = st
}

// A primary is killed mid-scan and its replica promoted: the session recovers and the scan
// finishes with every key.
func TestOSSClusterFailoverDuringScan(t *testing.T) {
	d, s := startClusterDemo(t, 1)
	const n = 9000
	seedNumbered(t, s, n)
	ctx := ctxT(t)
	// Every write must be on the replicas before a primary dies.
	if err := s.Client().(*redis.ClusterClient).ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		return c.Do(ctx, "WAIT", 1, 5000).Err()
	}); err != nil {
		t.Fatal(err)
	}
	st := New(s)
	seen := map[string]bool{}
	keys, cur, err := st.Scan(ctx, "", "*", 200, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		seen[k] = true
	}
	victim := d.Cluster.Cluster.Masters()[1]
	killed := time.Now()
	d.Cluster.Cluster.Kill(victim)

	var resumed time.Duration
	for steps := 0; cur != ""; steps++ {
		if steps > 100000 {
			t.Fatal("scan does not end")
		}
		sctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		keys, cur, err = st.Scan(sctx, cur, "*", 200, "")
		cancel()
		if err != nil {
			t.Fatalf("scan step after the failover: %v", err)
		}
		if resumed == 0 {
			resumed = time.Since(killed)
		}
		for _, k := range keys {
			seen[k] = true
		}
	}
	for i := range n {
		if !seen[fmt.Sprintf("k:%05d", i)] {
			t.Fatalf("k:%05d was not found after the failover", i)
		}
	}
	// The session recovered: commands reach every shard, the promoted replica included.
	var err2 error
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if err2 = s.Client().Set(ctx, "k:00000", "after", 0).Err(); err2 == nil {
			break
		}
	}
	if err2 != nil {
		t.Fatalf("commands after the failover: %v", err2)
	}
	for i := range 300 {
		if err := s.Client().Get(ctx, fmt.Sprintf("k:%05d", i)).Err(); err != nil {
			t.Fatalf("GET after the failover: %v", err)
		}
	}
	t.Logf("failover: the scan step in flight finished %v after the primary was killed; %d keys found", resumed.Round(time.Millisecond), len(seen))
}
