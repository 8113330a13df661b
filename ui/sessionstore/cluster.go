package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui/common"
)

// A cluster scan runs SCAN on every shard's primary with the shard's own cursor, all shards in
// parallel: each step sends one SCAN … COUNT count to every shard not yet done and merges the
// keys. (Rival tools share one cursor across nodes, scan one node only, or rescan everything.)
//
// The UI's opaque cursor lists every shard of the scan:
//
//	c1,<first slot>/<primary addr>/<SCAN cursor or "done">/<keys found>,…
//
// A shard is named by the first slot it owns, which survives a failover; its primary is looked up
// by slot at every step. If the primary changed (failover), the shard is scanned again from 0 on
// the new one — a SCAN cursor is only meaningful on the node that issued it (its hash seed
// differs) — so some of the shard's keys may be returned twice; the UI's key set drops repeats.
// Keys are never missed for a shard change. A shard whose primary is unreachable is retried,
// with go-redis's topology reloaded, until clusterRetryBudget runs out: long enough for a
// replica to be promoted.

const (
	clusterCursorPrefix = "c1,"
	shardDone           = "done"
)

// clusterRetryBudget bounds how long one step waits for an unreachable shard to come back (a
// failover takes cluster-node-timeout plus an election: a few seconds).
var clusterRetryBudget = 20 * time.Second

// shardCursor is one shard's place in a cluster scan.
type shardCursor struct {
	first  int    // the first slot the shard owns: its name
	addr   string // the primary the cursor belongs to
	cursor uint64
	done   bool
	found  int64 // keys returned so far
}

// ScanProgress implements common.ScanProgressReader from the cursor alone.
func (s *Store) ScanProgress(cursor string) ([]common.ShardProgress, bool) {
	if s.cluster == nil {
		return nil, false
	}
	cs, err := parseClusterCursor(cursor)
	if err != nil || len(cs) == 0 {
		return nil, false
	}
	out := make([]common.ShardProgress, len(cs))
	for i, c := range cs {
		out[i] = common.ShardProgress{FirstSlot: c.first, Addr: c.addr, Found: c.found, Done: c.done}
	}
	return out, true
}

func parseClusterCursor(cur string) ([]shardCursor, error) {
	rest, ok := strings.CutPrefix(cur, clusterCursorPrefix)
	if !ok {
		return nil, fmt.Errorf("sessionstore: bad cluster scan cursor %q", cur)
	}
	var out []shardCursor
	for _, part := range strings.Split(rest, ",") {
		f := strings.Split(part, "/")
		if len(f) != 4 {
			return nil, fmt.Errorf("sessionstore: bad cluster scan cursor %q", cur)
		}
		var c shardCursor
		var err1, err2, err3 error
		c.first, err1 = strconv.Atoi(f[0])
		c.addr = f[1]
		if f[2] == shardDone {
			c.done = true
		} else {
			c.cursor, err2 = strconv.ParseUint(f[2], 10, 64)
		}
		c.found, err3 = strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || c.first < 0 || c.first > 16383 {
			return nil, fmt.Errorf("sessionstore: bad cluster scan cursor %q", cur)
		}
		out = append(out, c)
	}
	return out, nil
}

func formatClusterCursor(cs []shardCursor) string {
	var b strings.Builder
	b.WriteString(clusterCursorPrefix)
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(c.first))
		b.WriteByte('/')
		b.WriteString(c.addr)
		b.WriteByte('/')
		if c.done {
			b.WriteString(shardDone)
		} else {
			b.WriteString(strconv.FormatUint(c.cursor, 10))
		}
		b.WriteByte('/')
		b.WriteString(strconv.FormatInt(c.found, 10))
	}
	return b.String()
}

// startClusterScan lists the shards from the cluster's slot map (CLUSTER SLOTS), one cursor
// each at 0, in slot order.
func (s *Store) startClusterScan(ctx context.Context) ([]shardCursor, error) {
	slots, err := s.cluster.ClusterSlots(ctx).Result()
	if err != nil {
		return nil, err
	}
	byPrimary := map[string]*shardCursor{}
	for _, r := range slots {
		if len(r.Nodes) == 0 {
			continue
		}
		key := r.Nodes[0].ID
		if key == "" {
			key = r.Nodes[0].Addr
		}
		if c, ok := byPrimary[key]; ok {
			c.first = min(c.first, int(r.Start))
			continue
		}
		byPrimary[key] = &shardCursor{first: int(r.Start)}
	}
	out := make([]shardCursor, 0, len(byPrimary))
	for _, c := range byPrimary {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b shardCursor) int { return a.first - b.first })
	return out, nil
}

func (s *Store) scanCluster(ctx context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	var (
		cs  []shardCursor
		err error
	)
	if cur == "" {
		cs, err = s.startClusterScan(ctx)
	} else {
		cs, err = parseClusterCursor(cur)
	}
	if err != nil {
		return nil, cur, err
	}
	results := make([][]string, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i := range cs {
		if cs[i].done {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = s.scanShard(ctx, &cs[i], match, count, typ)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		// Nothing is lost: the cursor handed back is the one this step started from.
		return nil, cur, err
	}
	var keys []string
	all := true
	for i := range cs {
		keys = append(keys, results[i]...)
		all = all && cs[i].done
	}
	if all {
		return keys, "", nil
	}
	return keys, formatClusterCursor(cs), nil
}

// scanShard runs one SCAN step on the shard's current primary and advances c. A primary that
// cannot be reached is retried on the topology go-redis reloads, for up to clusterRetryBudget.
func (s *Store) scanShard(ctx context.Context, c *shardCursor, match string, count int64, typ string) ([]string, error) {
	deadline := time.Now().Add(clusterRetryBudget)
	wait := 50 * time.Millisecond
	for {
		keys, err := s.scanShardOnce(ctx, c, match, count, typ)
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) || isRedisReply(err) {
			return keys, err
		}
		s.cluster.ReloadState(ctx)
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

func (s *Store) scanShardOnce(ctx context.Context, c *shardCursor, match string, count int64, typ string) ([]string, error) {
	node, err := s.cluster.MasterForKey(ctx, slotKey(c.first))
	if err != nil {
		return nil, err
	}
	if addr := node.Options().Addr; addr != c.addr {
		// A new primary (first step, or a failover): its cursors start at 0.
		c.addr, c.cursor = addr, 0
	}
	keys, next, err := scanOne(ctx, node, c.cursor, match, count, typ)
	if err != nil {
		return nil, fmt.Errorf("scanning the shard at %s (slot %d): %w", c.addr, c.first, err)
	}
	c.cursor, c.done = next, next == 0
	c.found += int64(len(keys))
	return keys, nil
}

// isRedisReply tells an error reply (retrying will not help) from a network failure.
func isRedisReply(err error) bool {
	var re redis.Error
	var ne net.Error
	return errors.As(err, &re) && !errors.As(err, &ne)
}

var (
	slotKeysOnce sync.Once
	slotKeys     [16384]string
)

// slotKey returns a short key that hashes to slot, to route a command to the slot's primary
// with go-redis's own slot map (MasterForKey).
func slotKey(slot int) string {
	slotKeysOnce.Do(func() {
		left := len(slotKeys)
		for i := 0; left > 0; i++ {
			k := strconv.Itoa(i)
			if sl := keySlot(k); slotKeys[sl] == "" {
				slotKeys[sl] = k
				left--
			}
		}
	})
	return slotKeys[slot]
}

// keySlot is Redis Cluster's HASH_SLOT for a key without a hash tag: CRC16 (XMODEM) mod 16384.
func keySlot(key string) int {
	var crc uint16
	for i := 0; i < len(key); i++ {
		crc ^= uint16(key[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return int(crc) & 16383
}
