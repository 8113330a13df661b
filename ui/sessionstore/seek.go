package sessionstore

import (
	"context"
	"errors"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.ValueSeeker = (*Store)(nil)

// ZRank implements common.ValueSeeker.
func (s *Store) ZRank(ctx context.Context, k, member string) (int64, bool, error) {
	r, err := s.c.ZRank(ctx, k, member).Result()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	return r, err == nil, err
}

// ZCountBelow implements common.ValueSeeker.
func (s *Store) ZCountBelow(ctx context.Context, k string, score float64) (int64, error) {
	return s.c.ZCount(ctx, k, "-inf", "("+strconv.FormatFloat(score, 'g', -1, 64)).Result()
}

// XRevRange implements common.ValueSeeker.
func (s *Store) XRevRange(ctx context.Context, k, end, start string, n int64) ([]common.StreamEntry, error) {
	ms, err := s.c.XRevRangeN(ctx, k, end, start, n).Result()
	if err != nil {
		return nil, err
	}
	return streamEntries(ms), nil
}
