package analyze

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// On an emulated OSS-policy cluster (three primaries behind AMR gates) every primary is walked,
// per-shard totals add up to the whole, each shard's key count is its primary's DBSIZE, and the
// skew names the largest shard.
func TestClusterShardTotalsAddUp(t *testing.T) {
	cg := emutest.StartCluster(t, 3, 1, emulator.GateOptions{AccessKeys: map[string]string{"default": "key"}})
	ctx := testCtx(t)
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{cg.Entry()}, Password: "key", DisableIdentity: true})
	defer cc.Close()
	const n = 6000
	p := newPipe(t, cc)
	for i := range n {
		switch i % 3 {
		case 0:
			p.do("SET", fmt.Sprintf("s:%d", i), strings.Repeat("x", i%200))
		case 1:
			p.do("HSET", fmt.Sprintf("h:%d", i), "a", i, "b", i)
		default:
			p.do("RPUSH", fmt.Sprintf("{tagged}:l:%d", i), 1, 2, 3) // one slot: one shard holds all
		}
	}
	p.flush()
	dbsize := map[string]int64{}
	var mu sync.Mutex
	if err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		k, err := c.DBSize(ctx).Result()
		mu.Lock()
		dbsize[c.Options().Addr] = k
		mu.Unlock()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := Analyze(ctx, cc, Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Shards) != 3 {
		t.Fatalf("%d shards in the report, want 3: %+v", len(rep.Shards), rep.Shards)
	}
	var keys, mem int64
	for _, s := range rep.Shards {
		if !s.Complete || s.Keys.Value != dbsize[s.Addr] || s.Keyspace.Keys != dbsize[s.Addr] {
			t.Errorf("shard %s: %+v keys, complete %v; its DBSIZE is %d", s.Addr, s.Keys, s.Complete, dbsize[s.Addr])
		}
		keys += s.Keys.Value
		mem += s.Memory.Value
	}
	if keys != n || rep.Keys.Value != n || mem != rep.Memory.Value || !rep.Complete {
		t.Errorf("shards add up to %d keys, %d B; the whole is %+v keys, %+v B (want %d keys)", keys, mem, rep.Keys, rep.Memory, n)
	}
	var types int64
	for _, ts := range rep.Types {
		types += ts.Keys.Value
	}
	if types != n {
		t.Errorf("types add up to %d keys, want %d", types, n)
	}
	if rep.Skew == nil || rep.Skew.Keys <= 1 || rep.Skew.LargestKeys == "" {
		t.Errorf("skew %+v: the hash-tagged lists put more keys on one shard", rep.Skew)
	}
	for _, s := range rep.Shards {
		if s.Addr == rep.Skew.LargestKeys && s.Keys.Value < keys/3 {
			t.Errorf("largest shard %s holds %d of %d keys", s.Addr, s.Keys.Value, keys)
		}
	}

	// A sample of the cluster is split between the shards by their key counts, and its
	// estimate is near the truth (TestSampleTotalsWithinStatedBound checks the intervals'
	// coverage; one interval misses 5 % of the time, three half-widths almost never).
	smp, err := Analyze(ctx, cc, Options{SampleSize: 1500})
	if err != nil {
		t.Fatal(err)
	}
	if smp.Complete || smp.Keyspace.Examined < 1500 || len(smp.Shards) != 3 {
		t.Fatalf("cluster sample: %+v, %d shards", smp.Keyspace, len(smp.Shards))
	}
	if smp.Keys.Value != n {
		t.Errorf("cluster sample counts %+v keys, want %d (every key matches)", smp.Keys, n)
	}
	half := (smp.Memory.High - smp.Memory.Low) / 2
	if d := smp.Memory.Value - rep.Memory.Value; d > 3*half || -d > 3*half || half == 0 {
		t.Errorf("cluster sample memory %+v is far from the true %d", smp.Memory, rep.Memory.Value)
	}
}
