package sessionstore

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui/common"
)

// ClientList implements common.ServerReader. In a cluster it answers for one node.
func (s *Store) ClientList(ctx context.Context) (string, error) {
	return s.c.ClientList(ctx).Result()
}

// SlowLog implements common.ServerReader. In a cluster it answers for one node.
func (s *Store) SlowLog(ctx context.Context, n int64) ([]common.SlowLogEntry, error) {
	return slowLog(ctx, s.c, n)
}

// slowLog reads c's newest n slow log entries.
func slowLog(ctx context.Context, c redis.Cmdable, n int64) ([]common.SlowLogEntry, error) {
	ls, err := c.SlowLogGet(ctx, n).Result()
	if err != nil {
		return nil, err
	}
	out := make([]common.SlowLogEntry, len(ls))
	for i, l := range ls {
		out[i] = common.SlowLogEntry{ID: l.ID, Time: l.Time, Duration: l.Duration, Args: l.Args, Client: l.ClientAddr, Name: l.ClientName}
	}
	return out, nil
}
