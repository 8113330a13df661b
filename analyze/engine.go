package analyze

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Run is an analysis in progress. Its methods are safe for concurrent use.
type Run struct {
	opts    Options
	client  redis.UniversalClient
	ctl     *control
	mem     *memoryState
	cancel  context.CancelFunc
	started time.Time
	done    chan struct{}

	mu        sync.Mutex
	shards    []*shard
	cancelled bool
	finished  time.Time
	err       error
}

// Analyze runs an analysis to the end (or until ctx ends) and returns its report. A report is
// returned with the error when the run stopped part way, marked cancelled.
func Analyze(ctx context.Context, c redis.UniversalClient, o Options) (*Report, error) {
	r, err := Start(ctx, c, o)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, r.Cancel)
	defer stop()
	<-r.Done()
	return r.Result()
}

// Start validates the options, counts each server's keys (DBSIZE) and starts walking them in
// the background. ctx bounds only this preparation: the walk goes on until it ends or Cancel
// is called (a caller that wants ctx to stop it calls context.AfterFunc(ctx, run.Cancel)). c is a *redis.Client or a *redis.ClusterClient; on a cluster every primary
// is walked in parallel. Only read commands are sent (SCAN, DBSIZE, TYPE, PTTL, MEMORY USAGE,
// OBJECT ENCODING and the length commands), so read-only profiles can analyse.
func Start(ctx context.Context, c redis.UniversalClient, o Options) (*Run, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	r := &Run{opts: o, client: c, ctl: newControl(), mem: &memoryState{}, started: time.Now(), done: make(chan struct{})}
	if err := r.prepare(ctx); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	go func() {
		defer close(r.done)
		err := r.walk(runCtx)
		r.mu.Lock()
		r.finished = time.Now()
		if errors.Is(err, context.Canceled) && r.cancelled {
			err = nil
		}
		r.err = err
		r.mu.Unlock()
	}()
	return r, nil
}

// prepare finds the servers and their key counts, and splits the sample between them.
func (r *Run) prepare(ctx context.Context) error {
	type found struct {
		addr string
		c    *redis.Client
		n    int64
	}
	var mu sync.Mutex
	var all []found
	visit := func(ctx context.Context, c *redis.Client) error {
		n, err := c.DBSize(ctx).Result()
		if err != nil {
			return fmt.Errorf("analyze: DBSIZE on %s: %w", c.Options().Addr, err)
		}
		r.checkMemoryUsage(ctx, c)
		mu.Lock()
		all = append(all, found{c.Options().Addr, c, n})
		mu.Unlock()
		return nil
	}
	switch c := r.client.(type) {
	case *redis.ClusterClient:
		if err := c.ForEachMaster(ctx, visit); err != nil {
			return err
		}
	case *redis.Client:
		if err := visit(ctx, c); err != nil {
			return err
		}
	default:
		return fmt.Errorf("analyze: a %T is neither a server nor an OSS cluster client", r.client)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].addr < all[j].addr })
	var total int64
	for _, f := range all {
		total += f.n
	}
	want := r.sampleSize(total)
	for _, f := range all {
		var target int64
		if want > 0 && total > 0 {
			target = max(int64(math.Ceil(float64(want)*float64(f.n)/float64(total))), 1)
		}
		r.shards = append(r.shards, newShard(f.addr, f.c, r.opts, f.n, target, r.ctl, r.mem))
	}
	return nil
}

// checkMemoryUsage asks MEMORY USAGE about a key that does not exist: the server checks
// whether the user may run the command before it looks the key up, so a refusal here (other
// than for the key's name, which an ACL key pattern may cause) means every probe would be
// refused, and the walk estimates memory from the start.
func (r *Run) checkMemoryUsage(ctx context.Context, c *redis.Client) {
	err := c.MemoryUsage(ctx, "amr-tui:analyze:no-such-key").Err()
	if err == nil || errors.Is(err, redis.Nil) || !isReply(err) {
		return
	}
	if msg := err.Error(); !strings.Contains(msg, "access a key") && !strings.Contains(msg, "keys used") {
		r.mem.deny(err)
	}
}

// sampleSize is how many keys sample mode examines in all; 0 means every key.
func (r *Run) sampleSize(total int64) int64 {
	if r.opts.Mode == Full {
		return 0
	}
	n := r.opts.SampleSize
	if n == 0 {
		n = max(min(MaxAutoSample, int64(math.Ceil(AutoSampleFraction*float64(total)))), MinAutoSample)
	}
	if n >= total {
		return 0
	}
	return n
}

// walk runs every shard in parallel. On a cluster go-redis's ForEachMaster gives each primary's
// client; a primary that was not there at the start (a failover or resharding) is walked too.
func (r *Run) walk(ctx context.Context) error {
	byAddr := map[string]*shard{}
	for _, s := range r.shards {
		byAddr[s.addr] = s
	}
	if cc, ok := r.client.(*redis.ClusterClient); ok {
		var mu sync.Mutex
		return cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			addr := c.Options().Addr
			mu.Lock()
			s := byAddr[addr]
			if s == nil {
				n, err := c.DBSize(ctx).Result()
				if err != nil {
					mu.Unlock()
					return fmt.Errorf("analyze: DBSIZE on %s: %w", addr, err)
				}
				s = newShard(addr, c, r.opts, n, 0, r.ctl, r.mem)
				if r.opts.Mode == Sample && r.opts.SampleSize == 0 {
					s.target = r.sampleSize(n)
				}
				byAddr[addr] = s
				r.mu.Lock()
				r.shards = append(r.shards, s)
				r.mu.Unlock()
			}
			mu.Unlock()
			return s.run(ctx)
		})
	}
	return r.shards[0].run(ctx)
}

// Pause stops sending commands after the batches in flight; Resume continues.
func (r *Run) Pause() { r.ctl.pause() }

// Resume continues a paused run.
func (r *Run) Resume() { r.ctl.unpause() }

// Cancel stops the run; Result then gives the report of the keys examined so far.
func (r *Run) Cancel() {
	r.mu.Lock()
	if r.finished.IsZero() {
		r.cancelled = true
	}
	r.mu.Unlock()
	r.cancel()
}

// Done is closed when the run has ended (finished, cancelled or failed).
func (r *Run) Done() <-chan struct{} { return r.done }

// Result returns the report and the error that ended the run, if any. Before Done is closed
// it returns a snapshot of the run so far and a nil error.
func (r *Run) Result() (*Report, error) {
	select {
	case <-r.done:
	default:
		return r.Snapshot(), nil
	}
	r.mu.Lock()
	err := r.err
	r.mu.Unlock()
	rep := r.Snapshot()
	if err != nil {
		rep.Cancelled = true
		rep.Warnings = append(rep.Warnings, "the analysis stopped early: "+err.Error())
	}
	return rep, err
}

func (r *Run) shardList() []*shard {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*shard(nil), r.shards...)
}

// Progress is how far a run has got.
type Progress struct {
	// Done and Total are in keys: in full mode keys examined of the servers' key count, in
	// sample mode matching keys examined of the sample size.
	Done, Total int64
	Examined    int64 // keys SCAN returned so far
	Analyzed    int64 // of them, matching keys probed
	KeysPerSec  float64
	ETA         time.Duration // 0 when unknown or finished
	Elapsed     time.Duration // excluding pauses
	Paused      bool
	Finished    bool
	Shards      int
}

// Fraction is Done/Total, between 0 and 1.
func (p Progress) Fraction() float64 {
	if p.Finished {
		return 1
	}
	if p.Total <= 0 {
		return 0
	}
	return min(float64(p.Done)/float64(p.Total), 1)
}

// Progress returns the run's progress now.
func (r *Run) Progress() Progress {
	var p Progress
	shards := r.shardList()
	p.Shards = len(shards)
	for _, s := range shards {
		ex, m := s.examined.Load(), s.matched.Load()
		p.Examined += ex
		p.Analyzed += m
		if s.target > 0 {
			p.Done += min(m, s.target)
			p.Total += s.target
		} else {
			p.Done += ex
			p.Total += max(s.total, ex)
		}
	}
	select {
	case <-r.done:
		p.Finished = true
	default:
	}
	paused, pausedFor := r.ctl.state()
	p.Paused = paused
	end := time.Now()
	r.mu.Lock()
	if !r.finished.IsZero() {
		end = r.finished
	}
	r.mu.Unlock()
	p.Elapsed = max(end.Sub(r.started)-pausedFor, 0)
	if s := p.Elapsed.Seconds(); s > 0 {
		p.KeysPerSec = float64(p.Done) / s
	}
	if !p.Finished && p.KeysPerSec > 0 && p.Total > p.Done {
		p.ETA = time.Duration(float64(p.Total-p.Done) / p.KeysPerSec * float64(time.Second))
	}
	return p
}
