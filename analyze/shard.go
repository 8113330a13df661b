package analyze

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"
)

// shard walks one server (a standalone server, or one primary of a cluster).
type shard struct {
	addr   string
	c      *redis.Client
	opts   Options
	total  int64 // DBSIZE when the run started
	target int64 // sample mode: matching keys to examine; 0: every key
	ctl    *control
	mem    *memoryState
	lim    *rate.Limiter
	batch  int

	examined atomic.Int64 // keys of processed batches, for progress
	matched  atomic.Int64

	mu       sync.Mutex // guards acc and complete
	acc      *acc
	complete bool
}

func newShard(addr string, c *redis.Client, o Options, total, target int64, ctl *control, mem *memoryState) *shard {
	s := &shard{addr: addr, c: c, opts: o, total: total, target: target, ctl: ctl, mem: mem,
		acc: newAcc(o), batch: o.ScanCount}
	if target > 0 {
		// A sample stops after the batch that reaches its target: batches of a twentieth of
		// it keep the overshoot small.
		s.batch = min(s.batch, max(int(target/20), 10))
	}
	if o.Rate > 0 {
		// Batches of at most a tenth of a second of the budget keep pipelines short enough
		// that other clients' commands interleave with them.
		burst := max(o.Rate/10, 1)
		s.batch = max(min(s.batch, burst/o.opsPerKey()), 1)
		s.lim = rate.NewLimiter(rate.Limit(o.Rate), max(burst, s.batch*o.opsPerKey()))
	}
	return s
}

// waitRate blocks until ops more commands fit under the rate cap.
func (s *shard) waitRate(ctx context.Context, ops int) error {
	if s.lim == nil {
		return nil
	}
	for ops > 0 {
		n := min(ops, s.lim.Burst())
		if err := s.lim.WaitN(ctx, n); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		ops -= n
	}
	return nil
}

type batch struct {
	keys     []string // keys matching the pattern
	examined int64    // keys SCAN returned
}

// run scans the shard once: one goroutine follows the SCAN cursor, Workers goroutines probe
// its batches. A batch counts as examined only once its keys are in the accumulator, so a
// cancelled run's partial report is a consistent (if smaller) sample.
func (s *shard) run(ctx context.Context) error {
	jobs := make(chan batch, s.opts.Workers)
	g, gctx := errgroup.WithContext(ctx)
	reachedEnd := false
	g.Go(func() error {
		defer close(jobs)
		var cursor uint64
		var seen int64
		for {
			if err := s.ctl.wait(gctx); err != nil {
				return err
			}
			if err := s.waitRate(gctx, 1); err != nil {
				return err
			}
			keys, next, err := s.c.Scan(gctx, cursor, "", int64(s.batch)).Result()
			if err != nil {
				return fmt.Errorf("SCAN on %s: %w", s.addr, err)
			}
			b := batch{keys: keys, examined: int64(len(keys))}
			if s.opts.Match != "" {
				b.keys = keys[:0:0]
				for _, k := range keys {
					if matchGlob(s.opts.Match, k) {
						b.keys = append(b.keys, k)
					}
				}
			}
			select {
			case jobs <- b:
			case <-gctx.Done():
				return gctx.Err()
			}
			seen += int64(len(b.keys))
			cursor = next
			if cursor == 0 {
				reachedEnd = true
				return nil
			}
			if s.target > 0 && seen >= s.target {
				return nil
			}
		}
	})
	p := &prober{c: s.c, opts: s.opts, wait: s.waitRate, memState: s.mem}
	if s.lim != nil {
		p.chunk = maxPipelineKeys
	}
	for range s.opts.Workers {
		g.Go(func() error {
			for b := range jobs {
				if err := s.ctl.wait(gctx); err != nil {
					return err
				}
				var res probed
				if len(b.keys) > 0 {
					var err error
					if res, err = p.run(gctx, b.keys); err != nil {
						if gctx.Err() != nil {
							return gctx.Err()
						}
						return fmt.Errorf("probing keys on %s: %w", s.addr, err)
					}
				}
				s.mu.Lock()
				s.acc.examined += b.examined
				s.acc.vanished += res.vanished
				s.acc.skipped += res.skipped
				if s.acc.skipErr == "" {
					s.acc.skipErr = res.skipErr
				}
				for _, ki := range res.infos {
					s.acc.add(ki, s.addr)
				}
				s.mu.Unlock()
				s.examined.Add(b.examined)
				s.matched.Add(int64(len(b.keys)))
			}
			return nil
		})
	}
	err := g.Wait()
	if err == nil && reachedEnd {
		s.mu.Lock()
		s.complete = true
		s.mu.Unlock()
	}
	return err
}
