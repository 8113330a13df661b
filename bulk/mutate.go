package bulk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// MutateOptions configure Delete and Expire.
type MutateOptions struct {
	// ReadOnly refuses the operation before anything is sent (the target profile is read-only).
	ReadOnly bool
	// Control pauses, caps and cancels the operation; nil for none.
	Control *Control
	// Journal, when set, receives one line per key changed (its name, binary-safe as in the
	// jsonl format), so that a cancelled run leaves the list of what was done.
	Journal io.Writer
	// Batch is how many keys go in one pipeline (500 when 0).
	Batch int
}

// ExpireSpec is what Expire does to each key: set a TTL, or remove it (Persist).
type ExpireSpec struct {
	TTL     time.Duration // > 0: PEXPIRE key TTL (from the moment the key is handled)
	Persist bool          // PERSIST key
}

// Delete removes the selected keys with UNLINK. With a type filter, each key's type is checked
// again in the same script that removes it, so a key recreated with another type since the
// scan is left alone (counted as Unchanged).
func Delete(ctx context.Context, c redis.UniversalClient, sel Selection, opts MutateOptions) (Report, error) {
	if opts.ReadOnly {
		return Report{Op: "delete", Selection: sel.Describe()}, ErrReadOnly
	}
	return mutate(ctx, c, sel, opts, "delete", func(ctx context.Context, p redis.Pipeliner, key string) *redis.Cmd {
		if sel.Type != "" {
			return unlinkIfType.Eval(ctx, p, []string{key}, sel.Type)
		}
		return p.Do(ctx, "UNLINK", key)
	})
}

// Expire sets or removes the TTL of the selected keys. Affected counts keys whose TTL was set
// or removed; a key without a TTL is Unchanged by Persist. With a type filter the type is
// re-checked as in Delete.
func Expire(ctx context.Context, c redis.UniversalClient, sel Selection, spec ExpireSpec, opts MutateOptions) (Report, error) {
	op := "expire"
	if spec.Persist {
		op = "persist"
	}
	if opts.ReadOnly {
		return Report{Op: op, Selection: sel.Describe()}, ErrReadOnly
	}
	if spec.Persist == (spec.TTL > 0) {
		return Report{Op: op, Selection: sel.Describe()}, errors.New("bulk: expire needs either a TTL > 0 or persist")
	}
	ms := spec.TTL.Milliseconds()
	if !spec.Persist && ms < 1 {
		return Report{Op: op, Selection: sel.Describe()}, errors.New("bulk: a TTL must be at least 1 ms")
	}
	return mutate(ctx, c, sel, opts, op, func(ctx context.Context, p redis.Pipeliner, key string) *redis.Cmd {
		switch {
		case sel.Type != "" && spec.Persist:
			return persistIfType.Eval(ctx, p, []string{key}, sel.Type)
		case sel.Type != "":
			return pexpireIfType.Eval(ctx, p, []string{key}, sel.Type, ms)
		case spec.Persist:
			return p.Do(ctx, "PERSIST", key)
		default:
			return p.Do(ctx, "PEXPIRE", key, ms)
		}
	})
}

// The type checks return -1 when the key is of another type (or gone), else the command's reply.
var (
	unlinkIfType = redis.NewScript(`if redis.call('TYPE', KEYS[1]).ok ~= ARGV[1] then return -1 end
return redis.call('UNLINK', KEYS[1])`)
	pexpireIfType = redis.NewScript(`if redis.call('TYPE', KEYS[1]).ok ~= ARGV[1] then return -1 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`)
	persistIfType = redis.NewScript(`if redis.call('TYPE', KEYS[1]).ok ~= ARGV[1] then return -1 end
return redis.call('PERSIST', KEYS[1])`)
)

type keyCmd func(ctx context.Context, p redis.Pipeliner, key string) *redis.Cmd

func mutate(ctx context.Context, c redis.UniversalClient, sel Selection, opts MutateOptions, op string, cmd keyCmd) (Report, error) {
	start := time.Now()
	t := &tally{r: Report{Op: op, Selection: sel.Describe()}}
	batch := opts.Batch
	if batch <= 0 {
		batch = 500
	}
	batch = opts.Control.batchSize(batch)
	var jmu sync.Mutex
	err := walk(ctx, c, sel, opts.Control, batch, func(ctx context.Context, keys []string) error {
		// The batch is sent and read to the end even if ctx ends meanwhile: its outcome must
		// be known to be reported. Cancellation acts between batches (walk).
		wctx := context.WithoutCancel(ctx)
		cmds := make([]*redis.Cmd, len(keys))
		_, perr := c.Pipelined(wctx, func(p redis.Pipeliner) error {
			for i, k := range keys {
				cmds[i] = cmd(wctx, p, k)
			}
			return nil
		})
		var changed []string
		var lost int64
		for i, k := range keys {
			n, err := cmds[i].Int64()
			var rerr redis.Error
			switch {
			case err == nil && n == 1:
				changed = append(changed, k)
			case err == nil:
				t.add(func(r *Report) { r.Unchanged++ })
			case errors.As(err, &rerr):
				t.fail(k, err.Error())
			default:
				lost++
			}
		}
		t.add(func(r *Report) {
			r.Matched += int64(len(keys))
			r.Affected += int64(len(changed))
			r.Uncertain += lost
		})
		opts.Control.addDone(len(keys))
		if opts.Journal != nil && len(changed) > 0 {
			var b []byte
			for _, k := range changed {
				b = append(appendBytes(b, k), '\n')
			}
			jmu.Lock()
			_, jerr := opts.Journal.Write(b)
			jmu.Unlock()
			if jerr != nil {
				return fmt.Errorf("bulk: writing the journal: %w", jerr)
			}
		}
		if lost > 0 {
			return fmt.Errorf("bulk: %s: the connection failed mid-batch; %d keys may or may not have been changed: %w", op, lost, perr)
		}
		return nil
	})
	return t.finish(start, err)
}
