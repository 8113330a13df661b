package sessionstore

import (
	"context"
	"slices"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui/common"
)

var (
	_ common.ScanProgressReader = (*Store)(nil)
	_ common.ShardInfoReader    = (*Store)(nil)
)

// ShardInfo implements common.ShardInfoReader: INFO section on every shard's primary, in
// parallel, in slot order, each with its own error. INFO on a cluster answers for one node
// only; this is the whole picture (keys, memory, ops/s per shard). A standalone server is its
// one shard.
func (s *Store) ShardInfo(ctx context.Context, section string) ([]common.ShardInfo, error) {
	if s.cluster == nil {
		addr := ""
		if c, ok := s.c.(*redis.Client); ok {
			addr = c.Options().Addr
		}
		text, err := s.c.Info(ctx, section).Result()
		return []common.ShardInfo{{Addr: addr, Text: text, Err: err}}, nil
	}
	out, err := s.primaries(ctx)
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			node, err := s.cluster.MasterForKey(ctx, slotKey(out[i].FirstSlot))
			if err == nil {
				out[i].Addr = node.Options().Addr
				out[i].Text, err = node.Info(ctx, section).Result()
			}
			out[i].Err = err
		}()
	}
	wg.Wait()
	return out, nil
}

// primaries lists the cluster's primaries from CLUSTER SLOTS, in slot order, with their slot
// ranges and the address the cluster advertises (no INFO read).
func (s *Store) primaries(ctx context.Context) ([]common.ShardInfo, error) {
	slots, err := s.cluster.ClusterSlots(ctx).Result()
	if err != nil {
		return nil, err
	}
	byAddr := map[string]*common.ShardInfo{}
	for _, r := range slots {
		if len(r.Nodes) == 0 {
			continue
		}
		addr := r.Nodes[0].Addr
		si, ok := byAddr[addr]
		if !ok {
			si = &common.ShardInfo{FirstSlot: int(r.Start), Addr: addr}
			byAddr[addr] = si
		}
		si.FirstSlot = min(si.FirstSlot, int(r.Start))
		si.Slots += int(r.End-r.Start) + 1
		si.Ranges = append(si.Ranges, [2]int{int(r.Start), int(r.End)})
	}
	out := make([]common.ShardInfo, 0, len(byAddr))
	for _, si := range byAddr {
		slices.SortFunc(si.Ranges, func(a, b [2]int) int { return a[0] - b[0] })
		out = append(out, *si)
	}
	slices.SortFunc(out, func(a, b common.ShardInfo) int { return a.FirstSlot - b.FirstSlot })
	return out, nil
}
