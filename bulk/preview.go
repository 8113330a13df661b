package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// PreviewOptions configure Preview.
type PreviewOptions struct {
	// Sample is how many key names to return (20 when 0; negative: none).
	Sample int
	// Memory asks for the memory the keys use (MEMORY USAGE of each), the figure a delete frees.
	Memory bool
	// ExistsOn, when set, is a copy's target: Existing counts the keys that exist there.
	ExistsOn redis.UniversalClient
}

// PreviewResult is what an operation would act on.
type PreviewResult struct {
	Selection string
	// Count is the number of distinct keys selected; on a server nobody else writes to, a
	// Delete or Expire of the same selection acts on exactly this many.
	Count int64
	// Sample holds the first names found (at most PreviewOptions.Sample).
	Sample []string
	// MemoryBytes is the sum of MEMORY USAGE over the keys (with PreviewOptions.Memory).
	MemoryBytes int64
	// Existing is how many of the keys exist on PreviewOptions.ExistsOn (or, for a file, on
	// the import's target).
	Existing int64
}

// Preview walks the selection without changing anything and counts it. Values are not read.
func Preview(ctx context.Context, c redis.UniversalClient, sel Selection, opts PreviewOptions, ctl *Control) (PreviewResult, error) {
	sample := opts.Sample
	if sample == 0 {
		sample = 20
	}
	res := PreviewResult{Selection: sel.Describe()}
	var (
		count, mem, existing atomic.Int64
		mu                   sync.Mutex
	)
	err := walk(ctx, c, sel, ctl, 1000, func(ctx context.Context, keys []string) error {
		count.Add(int64(len(keys)))
		if sample > 0 {
			mu.Lock()
			for _, k := range keys {
				if len(res.Sample) < sample {
					res.Sample = append(res.Sample, k)
				}
			}
			mu.Unlock()
		}
		ctl.addDone(len(keys))
		if opts.ExistsOn != nil {
			n, err := countExisting(ctx, opts.ExistsOn, keys)
			if err != nil {
				return err
			}
			existing.Add(n)
		}
		if !opts.Memory {
			return nil
		}
		n, err := memoryUsage(ctx, c, keys)
		mem.Add(n)
		return err
	})
	res.Count, res.MemoryBytes, res.Existing = count.Load(), mem.Load(), existing.Load()
	return res, err
}

func countExisting(ctx context.Context, c redis.UniversalClient, keys []string) (int64, error) {
	cmds := make([]*redis.IntCmd, len(keys))
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Exists(ctx, k)
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("bulk: EXISTS: %w", err)
	}
	var n int64
	for _, c := range cmds {
		n += c.Val()
	}
	return n, nil
}

func memoryUsage(ctx context.Context, c redis.UniversalClient, keys []string) (int64, error) {
	cmds := make([]*redis.IntCmd, len(keys))
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.MemoryUsage(ctx, k)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("bulk: MEMORY USAGE: %w", err)
	}
	var n int64
	for _, cmd := range cmds {
		n += cmd.Val() // a key gone since the scan answers nil: 0 bytes
	}
	return n, nil
}
