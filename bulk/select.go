package bulk

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Selection says which keys an operation acts on: a pattern walk (SCAN MATCH/TYPE) or a list
// of names (the marks of the key browser).
type Selection struct {
	// Match is the SCAN MATCH glob; "" selects every key.
	Match string
	// Type is the SCAN TYPE filter (string, list, set, zset, hash, stream, or a module's type
	// name such as ReJSON-RL); "" selects every type.
	Type string
	// Keys, when not nil, are the names to act on instead of a scan; Match is then ignored and
	// Type, when set, is checked per key. Names that do not exist are left out.
	Keys []string
	// Count is SCAN's COUNT hint; 0 means 1000.
	Count int64
	// Filter, when set, keeps only the names it accepts (the key browser's client-side
	// filter, applied to what SCAN returns). It must be safe for concurrent use.
	Filter func(name string) bool
	// FilterText describes Filter in previews and reports (e.g. `filter /^user:\d+$/`).
	FilterText string
}

func (s Selection) count() int64 {
	if s.Count > 0 {
		return s.Count
	}
	return 1000
}

// Describe renders the selection for previews and reports, e.g. `match "tmp:*" type hash`.
func (s Selection) Describe() string {
	if s.Keys != nil {
		d := fmt.Sprintf("%d named keys", len(s.Keys))
		if s.Type != "" {
			d += " of type " + s.Type
		}
		return d
	}
	m := s.Match
	if m == "" {
		m = "*"
	}
	d := fmt.Sprintf("match %q", m)
	if s.Type != "" {
		d += " type " + s.Type
	}
	if s.Filter != nil && s.FilterText != "" {
		d += " " + s.FilterText
	}
	return d
}

// shardFunc handles one batch of distinct key names found on one primary. Calls for one
// primary are sequential; calls for different primaries run in parallel.
type shardFunc func(ctx context.Context, keys []string) error

// walk produces the selection's keys in batches of about batch names and calls fn for each,
// after ctl allows it (pause, rate cap, cancel). A cluster's primaries are walked in
// parallel. Each primary's SCAN runs one step ahead of fn, so the server scans while the
// previous batch is being handled.
func walk(ctx context.Context, c redis.UniversalClient, sel Selection, ctl *Control, batch int, fn shardFunc) error {
	if sel.Keys != nil {
		return walkNames(ctx, c, sel, ctl, batch, fn)
	}
	if cc, ok := c.(*redis.ClusterClient); ok {
		// The first primary to fail (a conflict, a refused write, a cancel) stops the others
		// at their next batch.
		ctx, stop := context.WithCancelCause(ctx)
		defer stop(nil)
		err := cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			err := walkShard(ctx, node, sel, ctl, batch, fn)
			if err != nil {
				stop(err)
			}
			return err
		})
		if cause := context.Cause(ctx); err != nil && cause != nil && !errors.Is(cause, context.Canceled) {
			return cause
		}
		return err
	}
	return walkShard(ctx, c, sel, ctl, batch, fn)
}

type scanStep struct {
	keys []string
	err  error
}

func walkShard(ctx context.Context, node redis.UniversalClient, sel Selection, ctl *Control, batch int, fn shardFunc) error {
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	steps := make(chan scanStep, 2)
	go func() {
		defer close(steps)
		var cursor uint64
		for {
			var (
				keys []string
				err  error
			)
			if sel.Type != "" {
				keys, cursor, err = node.ScanType(sctx, cursor, sel.Match, sel.count(), sel.Type).Result()
			} else {
				keys, cursor, err = node.Scan(sctx, cursor, sel.Match, sel.count()).Result()
			}
			if err != nil {
				select {
				case steps <- scanStep{err: fmt.Errorf("bulk: SCAN: %w", err)}:
				case <-sctx.Done():
				}
				return
			}
			if len(keys) > 0 {
				select {
				case steps <- scanStep{keys: keys}:
				case <-sctx.Done():
					return
				}
			}
			if cursor == 0 {
				return
			}
		}
	}()
	seen := newKeySet()
	var pending []string
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := ctl.wait(ctx, len(pending)); err != nil {
			return err
		}
		err := fn(ctx, pending)
		pending = nil
		return err
	}
	for st := range steps {
		if st.err != nil {
			return st.err
		}
		n := len(pending)
		for _, k := range st.keys {
			if (sel.Filter == nil || sel.Filter(k)) && seen.add(k) {
				pending = append(pending, k)
			}
		}
		ctl.addScanned(len(pending) - n)
		if len(pending) >= batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sctx.Err(); err != nil {
		return err
	}
	return flush()
}

// walkNames hands the named keys to fn in batches, leaving out duplicates and, with a type
// filter, keys of other types (or gone).
func walkNames(ctx context.Context, c redis.UniversalClient, sel Selection, ctl *Control, batch int, fn shardFunc) error {
	seen := newKeySet()
	for i := 0; i < len(sel.Keys); i += batch {
		var names []string
		for _, k := range sel.Keys[i:min(i+batch, len(sel.Keys))] {
			if (sel.Filter == nil || sel.Filter(k)) && seen.add(k) {
				names = append(names, k)
			}
		}
		if sel.Type != "" {
			var err error
			if names, err = filterType(ctx, c, names, sel.Type); err != nil {
				return err
			}
		}
		ctl.addScanned(len(names))
		if len(names) == 0 {
			continue
		}
		if err := ctl.wait(ctx, len(names)); err != nil {
			return err
		}
		if err := fn(ctx, names); err != nil {
			return err
		}
	}
	return nil
}

func filterType(ctx context.Context, c redis.UniversalClient, names []string, typ string) ([]string, error) {
	cmds := make([]*redis.StatusCmd, len(names))
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range names {
			cmds[i] = p.Type(ctx, k)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("bulk: TYPE: %w", err)
	}
	var out []string
	for i, k := range names {
		if cmds[i].Val() == typ {
			out = append(out, k)
		}
	}
	return out, nil
}
