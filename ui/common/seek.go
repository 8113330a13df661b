package common

import "context"

// ValueSeeker is implemented by stores that can find a place in a big sorted set or stream
// without reading up to it: the viewer's `G` (the real end) and its go-to prompt use it. It is
// optional: without it those jumps say so and the value is still paged from its start.
type ValueSeeker interface {
	// ZRank is a member's rank (ZRANK); ok is false when it is not in the set.
	ZRank(ctx context.Context, key, member string) (rank int64, ok bool, err error)
	// ZCountBelow counts the members scoring less than score (ZCOUNT key -inf (score): the
	// rank of the first member at or above it.
	ZCountBelow(ctx context.Context, key string, score float64) (int64, error)
	// XRevRange is XREVRANGE key end start COUNT count: the newest entries first.
	XRevRange(ctx context.Context, key, end, start string, count int64) ([]StreamEntry, error)
}
