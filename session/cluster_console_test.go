package session

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
)

// The console of a cluster session reaches every shard and follows the cluster's ASK and
// MOVED redirections — which name gates, as AMR's proxies do — while a slot migrates between
// shards under it.
func TestClusterConsoleFollowsRedirections(t *testing.T) {
	cg, e, cfg := startOSSCluster(t, 0)
	s := openSession(t, cfg, &mintSource{e: e, oid: "oid-console", minLife: 10 * time.Minute})
	ctx := context.Background()
	con, err := s.Console(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer con.Close()
	// bar (slot 5061), k:1 (10166) and foo (12182) live on the three primaries. A node
	// reached at its backend address instead of its gate would refuse both TLS and the token,
	// so every redirection below must have been rewritten to a gate.
	for _, k := range []string{"bar", "foo", "hello", "k:1", "k:2"} {
		if r, err := con.Do(ctx, "SET", k, "v-"+k); err != nil || r.Kind != rediscli.KindStatus {
			t.Fatalf("console SET %s: %v", k, err)
		}
	}
	nodes, err := con.Do(ctx, "CLUSTER", "NODES")
	if err != nil || nodes.IsError() || strings.Contains(nodes.Str, cg.Cluster.Nodes[0].Addr) {
		t.Fatalf("console CLUSTER NODES names a backend or failed: %v\n%v", err, nodes)
	}

	// Move foo's slot (12182) from the third primary to the first, directly on the backends:
	// the session still believes the third one owns it.
	const slot = 12182
	src, dst := cg.Cluster.Nodes[2], cg.Cluster.Nodes[0]
	admin := func(addr string) *redis.Client {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	sc, dc := admin(src.Addr), admin(dst.Addr)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(dc.Do(ctx, "CLUSTER", "SETSLOT", slot, "IMPORTING", src.ID).Err())
	must(sc.Do(ctx, "CLUSTER", "SETSLOT", slot, "MIGRATING", dst.ID).Err())
	host, port, _ := net.SplitHostPort(dst.Addr)
	must(sc.Do(ctx, "MIGRATE", host, port, "", 0, 5000, "KEYS", "foo").Err())
	// Mid-migration: the old owner answers ASK, naming the new owner's gate.
	if v, err := con.Do(ctx, "GET", "foo"); err != nil || !isReply(v, rediscli.KindBulk, "v-foo") {
		t.Fatalf("console GET foo during the migration (ASK): %v, %v", v, err)
	}
	for _, c := range []*redis.Client{dc, sc, admin(cg.Cluster.Nodes[1].Addr)} {
		must(c.Do(ctx, "CLUSTER", "SETSLOT", slot, "NODE", dst.ID).Err())
	}
	// After it: MOVED, and go-redis learns the new owner.
	if v, err := con.Do(ctx, "GET", "foo"); err != nil || !isReply(v, rediscli.KindBulk, "v-foo") {
		t.Fatalf("console GET foo after the migration (MOVED): %v, %v", v, err)
	}
	if r, err := con.Do(ctx, "SET", "foo", "moved"); err != nil || r.IsError() {
		t.Fatalf("console SET foo after the migration: %v", err)
	}
	if v, _ := dc.Get(ctx, "foo").Result(); v != "moved" {
		t.Fatalf("foo on its new primary is %q", v)
	}
}
