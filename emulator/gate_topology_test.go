package emulator_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// Through the gates of an emulated OSS-policy cluster, every topology reply and redirection
// names gates only, in RESP2 and RESP3, and a go-redis cluster client works from one entry gate.
func TestClusterGatesRewriteTopology(t *testing.T) {
	cg := emutest.StartCluster(t, 3, 1, emulator.GateOptions{AccessKeys: map[string]string{"default": "key"}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	backends, gates := map[string]bool{}, map[string]bool{}
	for i, n := range cg.Cluster.Nodes {
		backends[n.Addr], gates[cg.Gates[i].Addr()] = true, true
	}
	// CLUSTER SLOTS leaves out replicas that have replicated nothing yet.
	masterGates := map[string]bool{}
	for _, m := range cg.Cluster.Masters() {
		masterGates[cg.GateOf(m).Addr()] = true
	}
	checkOnlyGates := func(what, text string, gates map[string]bool) {
		t.Helper()
		for b := range backends {
			if strings.Contains(text, b) {
				t.Errorf("%s names backend %s:\n%s", what, b, text)
			}
		}
		found := 0
		for g := range gates {
			if strings.Contains(text, g) {
				found++
			}
		}
		if found != len(gates) {
			t.Errorf("%s names %d of %d gates:\n%s", what, found, len(gates), text)
		}
	}
	for _, proto := range []int{2, 3} {
		c := redis.NewClient(&redis.Options{Addr: cg.Entry(), Password: "key", Protocol: proto, DisableIdentity: true})
		defer c.Close()
		nodes, err := c.ClusterNodes(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		checkOnlyGates("CLUSTER NODES", nodes, gates)
		slots, err := c.ClusterSlots(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		var addrs []string
		for _, s := range slots {
			for _, n := range s.Nodes {
				addrs = append(addrs, n.Addr)
			}
		}
		checkOnlyGates("CLUSTER SLOTS", strings.Join(addrs, " "), masterGates)
		shards, err := c.ClusterShards(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		addrs = addrs[:0]
		for _, s := range shards {
			for _, n := range s.Nodes {
				addrs = append(addrs, n.IP+":"+itoa(n.Port)+" "+n.Endpoint+":"+itoa(n.Port))
			}
		}
		checkOnlyGates("CLUSTER SHARDS", strings.Join(addrs, " "), gates)
		// foo lives in slot 12182, on the third primary: the first gate answers MOVED to the third.
		err = c.Get(ctx, "foo").Err()
		if want := "MOVED 12182 " + cg.Gates[2].Addr(); err == nil || err.Error() != want {
			t.Errorf("RESP%d GET foo on the first gate: %v, want %s", proto, err, want)
		}
		// A value that looks like topology passes untouched.
		raw := "abc 127.0.0.1:" + strings.Split(cg.Cluster.Nodes[0].Addr, ":")[1] + "@1 master"
		if err := c.Set(ctx, "bar", raw, 0).Err(); err != nil { // bar: slot 5061, first primary
			t.Fatal(err)
		}
		if got, _ := c.Get(ctx, "bar").Result(); got != raw {
			t.Errorf("value changed on its way through: %q", got)
		}
	}
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{cg.Entry()}, Password: "key", DisableIdentity: true})
	defer cc.Close()
	for _, k := range []string{"foo", "bar", "baz", "qux"} {
		if err := cc.Set(ctx, k, k, 0).Err(); err != nil {
			t.Fatalf("cluster SET %s: %v", k, err)
		}
	}
	var (
		mu sync.Mutex
		n  int
	)
	_ = cc.ForEachMaster(ctx, func(_ context.Context, m *redis.Client) error {
		if !gates[m.Options().Addr] {
			t.Errorf("the cluster client reached a primary at %s, not a gate", m.Options().Addr)
		}
		mu.Lock()
		n++
		mu.Unlock()
		return nil
	})
	if n != 3 {
		t.Errorf("%d primaries, want 3", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
