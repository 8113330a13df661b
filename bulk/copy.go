package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// CopyMode says how Copy carries values.
type CopyMode string

// The copy modes.
const (
	// CopyAuto uses DUMP/RESTORE, and typed writes for the keys (and from then on all keys)
	// whose DUMP payload the target refuses as being of another RDB version.
	CopyAuto CopyMode = "auto"
	// CopyDump uses DUMP/RESTORE only; payloads the target refuses are failures.
	CopyDump CopyMode = "dump"
	// CopyTyped reads values with typed commands and writes them as Import writes jsonl.
	CopyTyped CopyMode = "typed"
)

// ParseCopyMode checks a copy mode's name.
func ParseCopyMode(s string) (CopyMode, error) {
	switch CopyMode(s) {
	case CopyAuto, CopyDump, CopyTyped:
		return CopyMode(s), nil
	}
	return "", fmt.Errorf("bulk: unknown copy mode %q (auto, dump or typed)", s)
}

// CopyOptions configure Copy.
type CopyOptions struct {
	// ReadOnly refuses the copy before anything is sent (the target profile is read-only; the
	// source may be read-only: it is only read).
	ReadOnly bool
	Conflict Conflict // ConflictSkip when empty
	DropTTL  bool     // write keys without TTLs
	Mode     CopyMode // CopyAuto when empty
	Control  *Control
	Batch    int // keys per batch (200 when 0)
}

// Copy copies the selected keys of from to to. Each key is written whole or not at all, under
// the conflict rule, as Import writes. Module values (JSON, …) need DUMP/RESTORE.
func Copy(ctx context.Context, from, to redis.UniversalClient, sel Selection, opts CopyOptions) (Report, error) {
	start := time.Now()
	t := &tally{r: Report{Op: "copy", Selection: sel.Describe()}}
	if opts.ReadOnly {
		return t.r, ErrReadOnly
	}
	if opts.Conflict == "" {
		opts.Conflict = ConflictSkip
	}
	if _, err := ParseConflict(string(opts.Conflict)); err != nil {
		return t.r, err
	}
	if opts.Mode == "" {
		opts.Mode = CopyAuto
	}
	if _, err := ParseCopyMode(string(opts.Mode)); err != nil {
		return t.r, err
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = 200
	}
	batch = opts.Control.batchSize(batch)
	var typed atomic.Bool
	typed.Store(opts.Mode == CopyTyped)
	st := new(writeState)
	var once sync.Once
	err := walk(ctx, from, sel, opts.Control, batch, func(ctx context.Context, keys []string) error {
		defer opts.Control.addDone(len(keys))
		w := newWriter(ctx, to, opts.Conflict, !opts.DropTTL, t, st)
		defer func() { _ = w.sync() }() // a batch in flight is counted even when this one failed
		// Reads of the source count their keys gone since the scan as Skipped in a report of
		// their own: in a copy, Skipped means "exists on the target".
		rt := &tally{}
		if typed.Load() {
			return copyTyped(ctx, from, keys, w, rt)
		}
		var incompatible []string
		if opts.Mode == CopyAuto {
			w.badPayload = func(k string) { incompatible = append(incompatible, k) }
		}
		if err := copyDumps(ctx, from, keys, w, t); err != nil {
			return err
		}
		if len(incompatible) == 0 {
			return nil
		}
		once.Do(func() { typed.Store(true) })
		w.badPayload = nil
		return copyTyped(ctx, from, incompatible, w, rt)
	})
	t.r.Matched = t.r.Created + t.r.Replaced + t.r.Skipped + t.r.Expired + t.r.Failed + t.r.Uncertain
	return t.finish(start, err)
}

func copyTyped(ctx context.Context, from redis.UniversalClient, keys []string, w *writer, rt *tally) error {
	if err := fetchTyped(ctx, from, keys, w, rt); err != nil {
		return err
	}
	return w.sync()
}

func copyDumps(ctx context.Context, from redis.UniversalClient, keys []string, w *writer, t *tally) error {
	dumps := make([]*redis.StringCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	t0 := time.Now()
	if _, err := from.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			ttls[i] = p.PTTL(ctx, k)
			dumps[i] = p.Dump(ctx, k)
		}
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) && !isReplyErr(err) {
		return fmt.Errorf("bulk: DUMP: %w", err)
	}
	readAt := midpoint(t0, time.Now())
	for i, k := range keys {
		payload, err := dumps[i].Result()
		pttl, terr := pttlOf(ttls[i])
		if err == nil {
			err = terr
		}
		switch {
		case errors.Is(err, redis.Nil) || (err == nil && pttl == -2):
			continue // gone since the scan
		case err != nil && w.badPayload != nil:
			w.badPayload(k) // DUMP refused (NOPERM, a proxy without it): read it typed
			continue
		case err != nil:
			t.fail(k, err.Error())
			continue
		}
		if err := w.restore(k, ttlLeft(pttl, readAt), payload); err != nil {
			return err
		}
	}
	return w.sync()
}
