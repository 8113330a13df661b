// Package valueread reads the one value or member `amr-tui get` prints, with the bounds the
// viewer keeps: never a whole collection.
package valueread

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/decode"
)

// Request names the value to read.
type Request struct {
	Key string
	// Field picks a member: a hash field, a list index, a sorted-set rank, a set member (its
	// bytes), a stream ID:FIELD.
	// Empty for a string, or for a hash that is a .NET IDistributedCache entry.
	Field string
	// Max is the largest string read (bytes).
	Max int64
}

// ErrNoKey is wrapped by the error for a key that does not exist.
var ErrNoKey = errors.New("no such key")

type getter struct {
	c     redis.UniversalClient
	key   string
	field string
	max   int64
}

// Read reads the one value or member req names, bounded: TYPE first, a size check for strings,
// one member's command for collections (HGET, LINDEX, ZRANGE rank rank, XRANGE id id), and
// HGETALL only for a hash of at most decode.CacheEntryFieldLimit fields. It returns the raw
// bytes, or the IDistributedCache entry the hash is.
func Read(ctx context.Context, c redis.UniversalClient, req Request) (string, *decode.CacheEntry, error) {
	return getter{c: c, key: req.Key, field: req.Field, max: req.Max}.read(ctx)
}

func (g getter) read(ctx context.Context) (string, *decode.CacheEntry, error) {
	name := strconv.Quote(g.key)
	typ, err := g.c.Type(ctx, g.key).Result()
	if err != nil {
		return "", nil, err
	}
	if typ == "none" {
		return "", nil, fmt.Errorf("%s: %w", name, ErrNoKey)
	}
	if typ != "string" && typ != "hash" && g.field == "" {
		return "", nil, fmt.Errorf("%s is a %s: give --field to pick a member (%s)", name, typ, fieldHint(typ))
	}
	switch typ {
	case "string":
		if g.field != "" {
			return "", nil, fmt.Errorf("%s is a string: --field applies to hashes, lists, sets, sorted sets and streams", name)
		}
		n, err := g.c.StrLen(ctx, g.key).Result()
		if err != nil {
			return "", nil, err
		}
		if n > g.max {
			return "", nil, fmt.Errorf("%s holds %d bytes, over --max-bytes %d", name, n, g.max)
		}
		v, err := g.c.Get(ctx, g.key).Result()
		if errors.Is(err, redis.Nil) {
			return "", nil, fmt.Errorf("%s: %w", name, ErrNoKey)
		}
		return v, nil, err
	case "hash":
		if g.field == "" {
			return g.cacheEntry(ctx, name)
		}
		v, err := g.c.HGet(ctx, g.key, g.field).Result()
		if errors.Is(err, redis.Nil) {
			return "", nil, fmt.Errorf("%s has no field %s", name, strconv.Quote(g.field))
		}
		return v, nil, err
	case "list":
		i, err := strconv.ParseInt(g.field, 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("--field %s: a list member is picked by its index (0, 1, …, -1 for the last)", strconv.Quote(g.field))
		}
		v, err := g.c.LIndex(ctx, g.key, i).Result()
		if errors.Is(err, redis.Nil) {
			return "", nil, fmt.Errorf("%s has no element %d", name, i)
		}
		return v, nil, err
	case "zset":
		r, err := strconv.ParseInt(g.field, 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("--field %s: a sorted-set member is picked by its rank (0 for the lowest score)", strconv.Quote(g.field))
		}
		ms, err := g.c.ZRange(ctx, g.key, r, r).Result()
		if err == nil && len(ms) == 0 {
			err = fmt.Errorf("%s has no member at rank %d", name, r)
		}
		if err != nil {
			return "", nil, err
		}
		return ms[0], nil, nil
	case "set":
		// A set member has no position to name it by (SSCAN's order is not stable), so it is
		// named by its own bytes: get checks that it is there and prints it decoded.
		ok, err := g.c.SIsMember(ctx, g.key, g.field).Result()
		if err != nil {
			return "", nil, err
		}
		if !ok {
			return "", nil, fmt.Errorf("%s has no member %s", name, strconv.Quote(g.field))
		}
		if int64(len(g.field)) > g.max {
			return "", nil, fmt.Errorf("the member holds %d bytes, over --max-bytes %d", len(g.field), g.max)
		}
		return g.field, nil, nil
	case "stream":
		id, field, one := strings.Cut(g.field, ":")
		es, err := g.c.XRangeN(ctx, g.key, id, id, 1).Result()
		if err != nil {
			return "", nil, fmt.Errorf("--field %s: %w", strconv.Quote(g.field), err)
		}
		if len(es) == 0 {
			return "", nil, fmt.Errorf("%s has no entry %s", name, strconv.Quote(id))
		}
		if one {
			v, ok := es[0].Values[field]
			if !ok {
				return "", nil, fmt.Errorf("entry %s of %s has no field %s", strconv.Quote(id), name, strconv.Quote(field))
			}
			return fmt.Sprint(v), nil, nil
		}
		return "", nil, fmt.Errorf("entry %s has %d fields: pick one with --field %s:FIELD", strconv.Quote(id), len(es[0].Values), strconv.Quote(id))
	}
	return "", nil, fmt.Errorf("%s is a %s, which get does not read", name, typ)
}

// cacheEntry reads a small hash whole and accepts it when it is a .NET IDistributedCache entry.
func (g getter) cacheEntry(ctx context.Context, name string) (string, *decode.CacheEntry, error) {
	n, err := g.c.HLen(ctx, g.key).Result()
	if err != nil {
		return "", nil, err
	}
	if n <= decode.CacheEntryFieldLimit {
		fields, err := g.c.HGetAll(ctx, g.key).Result()
		if err != nil {
			return "", nil, err
		}
		if e, ok := decode.DetectCacheEntry(fields); ok {
			return "", &e, nil
		}
	}
	return "", nil, fmt.Errorf("%s is a hash: give --field to pick a field", name)
}

func fieldHint(typ string) string {
	switch typ {
	case "list":
		return "an index"
	case "zset":
		return "a rank"
	case "stream":
		return "ID:FIELD"
	case "set":
		return "the member itself; --field-hex for bytes a shell cannot pass"
	}
	return "a member"
}
