package sessionstore

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/session"
)

// ShardInfo reports every primary of a real cluster, in address order, with its own keys;
// SELECT is refused there before any command.
func TestClusterShardInfoAndNoSelect(t *testing.T) {
	addrs := startCluster(t)
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs[:1], Protocol: 2})
	t.Cleanup(func() { _ = c.Close() })
	ctx := ctxT(t)
	for i := range 200 {
		if err := c.Set(ctx, "k:"+strconv.Itoa(i), "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	st := NewClient(c)
	shards, err := st.ShardInfo(ctx, "all")
	if err != nil || len(shards) != 2 {
		t.Fatalf("ShardInfo: %d shards, %v", len(shards), err)
	}
	total, slots := 0, 0
	for i, sh := range shards {
		if !slices.Contains(addrs, sh.Addr) || sh.Err != nil || !strings.Contains(sh.Text, "role:master") {
			t.Fatalf("shard %d: %s %v", i, sh.Addr, sh.Err)
		}
		if i > 0 && sh.FirstSlot <= shards[i-1].FirstSlot {
			t.Fatalf("shards not in slot order: %+v", shards)
		}
		slots += sh.Slots
		_, rest, _ := strings.Cut(sh.Text, "db0:keys=")
		n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
		if n == 0 || n == 200 {
			t.Fatalf("shard %s holds %d of 200 keys: not split", sh.Addr, n)
		}
		total += n
	}
	if total != 200 || slots != 16384 {
		t.Fatalf("shards hold %d keys and %d slots, want 200 and 16384", total, slots)
	}
	if _, err := st.SelectDB(ctx, 1); err != session.ErrClusterDB {
		t.Fatalf("SelectDB on a cluster: %v", err)
	}
}
