package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// Store is common.Store (with common.InfoReader and common.JSONReader) over a go-redis client: a
// standalone *redis.Client or a *redis.ClusterClient.
type Store struct {
	c       redis.UniversalClient
	cluster *redis.ClusterClient // nil for a standalone client
	sess    *session.Session     // nil over a bare client: no SelectDB, no console (console.go)
	scanner *session.Scanner     // the session's lean SCAN connection (standalone sessions only)
}

var (
	_ common.Store      = (*Store)(nil)
	_ common.InfoReader = (*Store)(nil)
	_ common.JSONReader = (*Store)(nil)
)

// New returns the Store over a session's pooled client. A standalone session's keyspace is
// walked on the session's dedicated SCAN connection (session.Scanner), which costs less per
// step than a pooled go-redis command; the session closes it.
func New(s *session.Session) *Store {
	st := NewClient(s.Client())
	st.sess = s
	if !s.Cluster() {
		st.scanner, _ = s.Scanner() // fails only on a closed session, whose commands fail anyway
		if st.scanner != nil {
			// The browser walks the keyspace step after step: each step is sent as the
			// previous reply's cursor arrives, so the server never waits on the client.
			st.scanner.SetPrefetch(true)
			st.scanner.Warm() // ready by the first step, which comes a few messages later
		}
	}
	return st
}

// NewClient returns the Store over any go-redis client (tests and benchmarks use plain ones).
func NewClient(c redis.UniversalClient) *Store {
	st := &Store{c: c}
	if cc, ok := c.(*redis.ClusterClient); ok {
		st.cluster = cc
	}
	return st
}

// Scan implements common.KeyScanner. A standalone cursor is SCAN's own ("0" ↔ ""); a cluster
// cursor names the primary being scanned and its cursor there.
func (s *Store) Scan(ctx context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	if s.cluster != nil {
		return s.scanCluster(ctx, cur, match, count, typ)
	}
	var cursor uint64
	if cur != "" {
		var err error
		if cursor, err = strconv.ParseUint(cur, 10, 64); err != nil {
			return nil, "", fmt.Errorf("sessionstore: bad scan cursor %q", cur)
		}
	}
	var (
		keys []string
		next uint64
		err  error
	)
	if s.scanner != nil {
		keys, next, err = s.scanner.Scan(ctx, cursor, match, count, typ)
	} else {
		keys, next, err = scanOne(ctx, s.c, cursor, match, count, typ)
	}
	if err != nil {
		return nil, cur, err
	}
	if next == 0 {
		return keys, "", nil
	}
	return keys, strconv.FormatUint(next, 10), nil
}

func scanOne(ctx context.Context, c redis.Cmdable, cursor uint64, match string, count int64, typ string) ([]string, uint64, error) {
	if typ != "" {
		return c.ScanType(ctx, cursor, match, count, typ).Result()
	}
	return c.Scan(ctx, cursor, match, count).Result()
}

// DBSize implements common.KeyScanner; a cluster client sums every primary.
func (s *Store) DBSize(ctx context.Context) (int64, error) { return s.c.DBSize(ctx).Result() }

// Exists implements common.KeyScanner.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	n, err := s.c.Exists(ctx, key).Result()
	return n == 1, err
}

// Meta implements common.KeyScanner: TYPE, PTTL and MEMORY USAGE of every key in one pipeline (a
// cluster pipeline is split per slot owner by go-redis). MEMORY USAGE may be refused (ACL,
// managed services): the memory is then -1 and the rest still counts.
func (s *Store) Meta(ctx context.Context, keys []string) ([]common.KeyMeta, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	pipe := s.c.Pipeline()
	types := make([]*redis.StatusCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	mems := make([]*redis.IntCmd, len(keys))
	for i, k := range keys {
		types[i], ttls[i], mems[i] = pipe.Type(ctx, k), pipe.PTTL(ctx, k), pipe.MemoryUsage(ctx, k)
	}
	_, _ = pipe.Exec(ctx) // per-command errors are read below
	out := make([]common.KeyMeta, len(keys))
	for i := range keys {
		t, err := types[i].Result()
		if err != nil {
			return nil, err // TYPE never fails on a healthy connection: the pipeline did
		}
		out[i] = common.KeyMeta{Type: t, TTL: -1, Memory: -1}
		if d, err := ttls[i].Result(); err == nil {
			out[i].TTL = d // -1 ns / -2 ns for no expiry / missing, as ui expects
		}
		if m, err := mems[i].Result(); err == nil {
			out[i].Memory = m
		}
	}
	return out, nil
}

// StrLen implements common.ValueReader.
func (s *Store) StrLen(ctx context.Context, k string) (int64, error) {
	return s.c.StrLen(ctx, k).Result()
}

// GetRange implements common.ValueReader.
func (s *Store) GetRange(ctx context.Context, k string, start, end int64) (string, error) {
	return s.c.GetRange(ctx, k, start, end).Result()
}

// HLen implements common.ValueReader.
func (s *Store) HLen(ctx context.Context, k string) (int64, error) { return s.c.HLen(ctx, k).Result() }

// HScan implements common.ValueReader.
func (s *Store) HScan(ctx context.Context, k string, cur uint64, n int64) ([]string, uint64, error) {
	return s.c.HScan(ctx, k, cur, "", n).Result()
}

// LLen implements common.ValueReader.
func (s *Store) LLen(ctx context.Context, k string) (int64, error) { return s.c.LLen(ctx, k).Result() }

// LRange implements common.ValueReader.
func (s *Store) LRange(ctx context.Context, k string, start, stop int64) ([]string, error) {
	return s.c.LRange(ctx, k, start, stop).Result()
}

// SCard implements common.ValueReader.
func (s *Store) SCard(ctx context.Context, k string) (int64, error) {
	return s.c.SCard(ctx, k).Result()
}

// SScan implements common.ValueReader.
func (s *Store) SScan(ctx context.Context, k string, cur uint64, n int64) ([]string, uint64, error) {
	return s.c.SScan(ctx, k, cur, "", n).Result()
}

// ZCard implements common.ValueReader.
func (s *Store) ZCard(ctx context.Context, k string) (int64, error) {
	return s.c.ZCard(ctx, k).Result()
}

// ZRangeWithScores implements common.ValueReader.
func (s *Store) ZRangeWithScores(ctx context.Context, k string, start, stop int64) ([]common.ScoredMember, error) {
	zs, err := s.c.ZRangeWithScores(ctx, k, start, stop).Result()
	if err != nil {
		return nil, err
	}
	out := make([]common.ScoredMember, len(zs))
	for i, z := range zs {
		out[i] = common.ScoredMember{Member: fmt.Sprint(z.Member), Score: z.Score}
	}
	return out, nil
}

// XLen implements common.ValueReader.
func (s *Store) XLen(ctx context.Context, k string) (int64, error) { return s.c.XLen(ctx, k).Result() }

// XRange implements common.ValueReader. go-redis returns an entry's fields as a map, so the order
// shown is sorted by field name rather than the stream's own.
func (s *Store) XRange(ctx context.Context, k, start, end string, n int64) ([]common.StreamEntry, error) {
	ms, err := s.c.XRangeN(ctx, k, start, end, n).Result()
	if err != nil {
		return nil, err
	}
	return streamEntries(ms), nil
}

// streamEntries turns go-redis's entries into common's, fields sorted by name.
func streamEntries(ms []redis.XMessage) []common.StreamEntry {
	out := make([]common.StreamEntry, len(ms))
	for i, m := range ms {
		names := make([]string, 0, len(m.Values))
		for f := range m.Values {
			names = append(names, f)
		}
		sort.Strings(names)
		out[i] = common.StreamEntry{ID: m.ID, Fields: make([]string, 0, 2*len(names))}
		for _, f := range names {
			out[i].Fields = append(out[i].Fields, f, fmt.Sprint(m.Values[f]))
		}
	}
	return out
}

// Del implements common.Writer.
func (s *Store) Del(ctx context.Context, k string) error { return s.c.Del(ctx, k).Err() }

// Rename implements common.Writer. In a cluster both names must hash to the same slot; Redis says
// CROSSSLOT otherwise and the UI shows it.
func (s *Store) Rename(ctx context.Context, k, n string) error { return s.c.Rename(ctx, k, n).Err() }

// Expire implements common.Writer (PEXPIRE, so sub-second TTLs survive).
func (s *Store) Expire(ctx context.Context, k string, d time.Duration) error {
	ok, err := s.c.PExpire(ctx, k, d).Result()
	if err == nil && !ok {
		return errors.New("the key no longer exists")
	}
	return err
}

// Persist implements common.Writer.
func (s *Store) Persist(ctx context.Context, k string) error { return s.c.Persist(ctx, k).Err() }

// SetNX implements common.Writer.
func (s *Store) SetNX(ctx context.Context, k, v string) (bool, error) {
	return s.c.SetNX(ctx, k, v, 0).Result()
}

// SetKeepTTL implements common.Writer.
func (s *Store) SetKeepTTL(ctx context.Context, k, v string) error {
	return s.c.SetArgs(ctx, k, v, redis.SetArgs{KeepTTL: true}).Err()
}

// HSet implements common.MemberWriter.
func (s *Store) HSet(ctx context.Context, k, f, v string) error { return s.c.HSet(ctx, k, f, v).Err() }

// HDel implements common.MemberWriter.
func (s *Store) HDel(ctx context.Context, k, f string) error { return s.c.HDel(ctx, k, f).Err() }

// LSet implements common.MemberWriter.
func (s *Store) LSet(ctx context.Context, k string, i int64, v string) error {
	return s.c.LSet(ctx, k, i, v).Err()
}

// SAdd implements common.MemberWriter.
func (s *Store) SAdd(ctx context.Context, k, m string) error { return s.c.SAdd(ctx, k, m).Err() }

// SRem implements common.MemberWriter.
func (s *Store) SRem(ctx context.Context, k, m string) error { return s.c.SRem(ctx, k, m).Err() }

// ZAdd implements common.MemberWriter.
func (s *Store) ZAdd(ctx context.Context, k, m string, score float64) error {
	return s.c.ZAdd(ctx, k, redis.Z{Score: score, Member: m}).Err()
}

// ZRem implements common.MemberWriter.
func (s *Store) ZRem(ctx context.Context, k, m string) error { return s.c.ZRem(ctx, k, m).Err() }

// Info implements common.InfoReader. In a cluster it answers for one node.
func (s *Store) Info(ctx context.Context, section string) (string, error) {
	return s.c.Info(ctx, section).Result()
}

// JSONGet implements common.JSONReader (the UI checks MEMORY USAGE before calling it).
func (s *Store) JSONGet(ctx context.Context, k string) (string, error) {
	return s.c.Do(ctx, "JSON.GET", k).Text()
}
