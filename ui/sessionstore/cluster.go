package sessionstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// A cluster scan visits the primaries in address order, one at a time, each with its own SCAN
// cursor. The UI's opaque cursor is "<address>|<cursor>": the primary being scanned and where
// it stands. A primary that disappears mid-scan (failover) is skipped: its successor in address
// order continues from its own start, so a failover can cost keys or show some twice, as a
// standalone SCAN across a resharding can.

type primary struct {
	addr   string
	client *redis.Client
}

// primaries lists the cluster's primaries sorted by address.
func (s *Store) primaries(ctx context.Context) ([]primary, error) {
	var (
		mu  sync.Mutex
		out []primary
	)
	err := s.cluster.ForEachMaster(ctx, func(_ context.Context, c *redis.Client) error {
		mu.Lock()
		out = append(out, primary{addr: c.Options().Addr, client: c})
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b primary) int { return strings.Compare(a.addr, b.addr) })
	return out, nil
}

func (s *Store) scanCluster(ctx context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	ps, err := s.primaries(ctx)
	if err != nil {
		return nil, cur, err
	}
	if len(ps) == 0 {
		return nil, "", nil
	}
	i, cursor := 0, uint64(0)
	if cur != "" {
		addr, c, ok := strings.Cut(cur, "|")
		if !ok {
			return nil, "", fmt.Errorf("sessionstore: bad cluster scan cursor %q", cur)
		}
		if cursor, err = strconv.ParseUint(c, 10, 64); err != nil {
			return nil, "", fmt.Errorf("sessionstore: bad cluster scan cursor %q", cur)
		}
		// The first primary at or after addr: addr itself, or its successor if it is gone.
		i, _ = slices.BinarySearchFunc(ps, addr, func(p primary, a string) int { return strings.Compare(p.addr, a) })
		if i == len(ps) {
			return nil, "", nil
		}
		if ps[i].addr != addr {
			cursor = 0
		}
	}
	keys, next, err := scanOne(ctx, ps[i].client, cursor, match, count, typ)
	if err != nil {
		return nil, cur, err
	}
	if next != 0 {
		return keys, ps[i].addr + "|" + strconv.FormatUint(next, 10), nil
	}
	if i+1 < len(ps) {
		return keys, ps[i+1].addr + "|0", nil
	}
	return keys, "", nil
}
