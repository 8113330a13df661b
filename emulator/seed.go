package emulator

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"
)

// SeedOptions configure Seed.
type SeedOptions struct {
	// Keys is the total number of keys to write; 10000 when zero.
	Keys int
	// Seed makes the data reproducible: the same Seed and Keys give the same keys and values.
	Seed int64
	// TTLFraction is the share of generated keys given a TTL (1 min to 7 days); 0.2 when zero,
	// none when negative.
	TTLFraction float64
	// Cluster seeds a Redis Cluster through one of its nodes: keys go to their slots' primaries.
	Cluster bool
	// From is the first key index to write: Seed writes keys From..Keys-1 of the same
	// reproducible set, so a caller can seed a first part and the rest later.
	From int
}

// SeedStats counts the keys Seed wrote, by Redis type.
type SeedStats struct {
	Keys       int // total
	Strings    int // plain, JSON and binary
	Hashes     int
	Lists      int
	Sets       int
	SortedSets int // including the geo index, which Redis stores as a sorted set
	Streams    int
	WithTTL    int
}

func (s *SeedStats) add(o SeedStats) {
	s.Keys += o.Keys
	s.Strings += o.Strings
	s.Hashes += o.Hashes
	s.Lists += o.Lists
	s.Sets += o.Sets
	s.SortedSets += o.SortedSets
	s.Streams += o.Streams
	s.WithTTL += o.WithTTL
}

func (s *SeedStats) count(t keyType, ttl bool) {
	s.Keys++
	switch t {
	case typeString:
		s.Strings++
	case typeHash:
		s.Hashes++
	case typeList:
		s.Lists++
	case typeSet:
		s.Sets++
	case typeZSet:
		s.SortedSets++
	case typeStream:
		s.Streams++
	}
	if ttl {
		s.WithTTL++
	}
}

const (
	seedBatchKeys = 1000 // keys per pipeline round trip
	seedWorkers   = 4    // pipelines in flight; more does not help a single-threaded Redis
)

// Seed fills the Redis at addr (the backend itself, not the gate: it sends no AUTH) with
// realistic namespaced sample data of every type — strings (plain, JSON, binary), hashes,
// lists, sets, sorted sets, a geo index and streams — some with TTLs, plus a few deliberately big
// values (a hash of 5000 fields, a list of 10000 items, a 256 KiB string) for viewers to page
// through. Keys Seed writes are replaced (deleted first), so a second run gives the same data;
// other keys are left alone.
func Seed(ctx context.Context, addr string, opts SeedOptions) (SeedStats, error) {
	if opts.Keys == 0 {
		opts.Keys = 10000
	}
	if opts.Keys < 0 {
		return SeedStats{}, errors.New("emulator seed: Keys must not be negative")
	}
	if opts.From < 0 || opts.From > opts.Keys {
		return SeedStats{}, fmt.Errorf("emulator seed: From %d is outside 0..Keys (%d)", opts.From, opts.Keys)
	}
	if opts.TTLFraction == 0 {
		opts.TTLFraction = 0.2
	}
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:           []string{addr},
		IsClusterMode:   opts.Cluster,
		Protocol:        2,
		DisableIdentity: true,
		PoolSize:        seedWorkers,
		ReadTimeout:     time.Minute, // a batch holding the big values takes a moment
		WriteTimeout:    time.Minute,
		MaxRetries:      -1, // a retried pipeline would append list items twice
	})
	defer rdb.Close()

	gen := seedGenerator{seed: uint64(opts.Seed), ttlFraction: opts.TTLFraction}
	var (
		mu    sync.Mutex
		total SeedStats
	)
	batches := make(chan int)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(batches)
		for lo := opts.From; lo < opts.Keys; lo += seedBatchKeys {
			select {
			case batches <- lo:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range seedWorkers {
		g.Go(func() error {
			for lo := range batches {
				hi := min(lo+seedBatchKeys, opts.Keys)
				var st SeedStats
				plans := make([]keyPlan, 0, hi-lo)
				names := make([]string, 0, hi-lo)
				for i := lo; i < hi; i++ {
					kp := gen.plan(i)
					plans = append(plans, kp)
					names = append(names, kp.name)
					st.count(kp.t, kp.ttl > 0)
				}
				pipe := rdb.Pipeline()
				// A re-run replaces rather than appends: one DEL per batch, or per key in a
				// cluster, where one DEL may only name keys of one slot.
				if opts.Cluster {
					for _, n := range names {
						pipe.Del(gctx, n)
					}
				} else {
					pipe.Del(gctx, names...)
				}
				for _, kp := range plans {
					gen.write(gctx, pipe, kp)
				}
				if _, err := pipe.Exec(gctx); err != nil {
					return fmt.Errorf("emulator seed: writing keys %d-%d to %s: %w", lo, hi-1, addr, err)
				}
				mu.Lock()
				total.add(st)
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return total, err
	}
	return total, nil
}
