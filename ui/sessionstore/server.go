package sessionstore

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui"
)

// ClientList implements ui.ServerReader. In a cluster it answers for one node.
func (s *Store) ClientList(ctx context.Context) (string, error) {
	return s.c.ClientList(ctx).Result()
}

// SlowLog implements ui.ServerReader. In a cluster it answers for one node.
func (s *Store) SlowLog(ctx context.Context, n int64) ([]ui.SlowLogEntry, error) {
	ls, err := s.c.SlowLogGet(ctx, n).Result()
	if err != nil {
		return nil, err
	}
	out := make([]ui.SlowLogEntry, len(ls))
	for i, l := range ls {
		out[i] = ui.SlowLogEntry{ID: l.ID, Time: l.Time, Duration: l.Duration, Args: l.Args, Client: l.ClientAddr, Name: l.ClientName}
	}
	return out, nil
}

// ShardInfo implements ui.ShardInfoReader: INFO on every primary of a cluster, in address
// order, each with its own error; a standalone server is its one shard.
func (s *Store) ShardInfo(ctx context.Context, section string) ([]ui.ShardInfo, error) {
	if s.cluster == nil {
		addr := ""
		if c, ok := s.c.(*redis.Client); ok {
			addr = c.Options().Addr
		}
		text, err := s.c.Info(ctx, section).Result()
		return []ui.ShardInfo{{Addr: addr, Text: text, Err: err}}, nil
	}
	var (
		mu  sync.Mutex
		out []ui.ShardInfo
	)
	err := s.cluster.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		text, err := c.Info(ctx, section).Result()
		mu.Lock()
		out = append(out, ui.ShardInfo{Addr: c.Options().Addr, Text: text, Err: err})
		mu.Unlock()
		return nil
	})
	slices.SortFunc(out, func(a, b ui.ShardInfo) int { return strings.Compare(a.Addr, b.Addr) })
	return out, err
}
