package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// tokenInstalled runs on the token manager's goroutine: it records the old token's expiry
// (the deadline of the re-AUTH round) and wakes the re-AUTH loop.
func (s *Session) tokenInstalled(_ uint64, prevExpiry time.Time) {
	s.mu.Lock()
	s.prevExp = prevExpiry
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default: // a round is already pending; it will use the newest token
	}
}

func (s *Session) reauthLoop() {
	defer s.wg.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.kick:
		}
		s.reauthRound()
	}
}

// reauthRound re-AUTHs every live connection with the current token, before the previous
// token expires: the command pool (every node's, in a cluster), consoles and subscriptions,
// in parallel, and reports the outcome as a ReauthDone event.
func (s *Session) reauthRound() {
	start := time.Now()
	tok, gen := s.tm.current()
	s.mu.Lock()
	deadline := s.prevExp
	consoles := make([]*Console, 0, len(s.consoles))
	for c := range s.consoles {
		consoles = append(consoles, c)
	}
	scanners := make([]*Scanner, 0, len(s.scanners))
	for sc := range s.scanners {
		scanners = append(scanners, sc)
	}
	pipes := make([]*Pipe, 0, len(s.pipes))
	for p := range s.pipes {
		pipes = append(pipes, p)
	}
	subs := make([]*Subscription, 0, len(s.subs))
	for sub := range s.subs {
		subs = append(subs, sub)
	}
	s.mu.Unlock()
	if !deadline.After(start) {
		deadline = start.Add(30 * time.Second) // the old token is gone; still move everything over
	}
	ctx, cancel := context.WithDeadline(s.ctx, deadline)
	defer cancel()
	spread := s.cfg.Reauth.Spread
	if spread == 0 {
		spread = min(10*time.Second, deadline.Sub(start)/10)
	}

	var (
		mu                    sync.Mutex
		done, evicted, failed int
		errs                  []error
		wg                    sync.WaitGroup
	)
	record := func(n, e, f int, err error) {
		mu.Lock()
		done += n
		evicted += e
		failed += f
		if err != nil {
			errs = append(errs, err)
		}
		mu.Unlock()
	}
	run := func(fn func() (int, int, int, error)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			record(fn())
		}()
	}
	for _, c := range s.nodeClients(ctx) {
		run(func() (int, int, int, error) { return s.sweepPool(ctx, c, tok.Username, tok.Value, gen, spread) })
	}
	for _, c := range consoles {
		run(func() (int, int, int, error) {
			n, f, err := c.reauth(ctx)
			return n, 0, f, err
		})
	}
	for _, sc := range scanners {
		run(func() (int, int, int, error) {
			n, f, err := sc.reauth(ctx)
			return n, 0, f, err
		})
	}
	for _, p := range pipes {
		run(func() (int, int, int, error) {
			n, f, err := p.reauth(ctx)
			return n, 0, f, err
		})
	}
	for _, sub := range subs {
		run(func() (int, int, int, error) {
			n, f, err := sub.rotate(ctx)
			return n, 0, f, err
		})
	}
	wg.Wait()
	if s.ctx.Err() != nil {
		return
	}
	err := errors.Join(errs...)
	if err != nil {
		err = fmt.Errorf("re-AUTH with the new token: %w", explain(err))
	}
	s.mu.Lock()
	s.reauthErr = err
	s.mu.Unlock()
	s.events.emit(ReauthDone{At: at(), Generation: gen, Connections: done, Failed: failed, Evicted: evicted,
		Duration: time.Since(start), Err: err})
}

// nodeClients returns the per-node clients whose pools hold command connections. In a cluster
// that includes the subscription client's nodes: it loads the topology (CLUSTER SLOTS) over
// pooled connections of its own, which would otherwise sit idle with an old token until the
// server closes them.
func (s *Session) nodeClients(ctx context.Context) []*redis.Client {
	out := clientNodes(ctx, s.Client())
	if _, ok := s.psClient.(*redis.ClusterClient); ok {
		out = append(out, clientNodes(ctx, s.psClient)...)
	}
	return out
}

func clientNodes(ctx context.Context, client redis.UniversalClient) []*redis.Client {
	switch c := client.(type) {
	case *redis.Client:
		return []*redis.Client{c}
	case *redis.ClusterClient:
		var (
			mu  sync.Mutex
			out []*redis.Client
		)
		_ = c.ForEachShard(ctx, func(_ context.Context, n *redis.Client) error {
			mu.Lock()
			out = append(out, n)
			mu.Unlock()
			return nil
		})
		return out
	}
	return nil
}

// sweepPool re-AUTHs every connection in c's pools. go-redis offers no way to reach a pooled
// connection except checking it out, so the sweep checks connections out one at a time
// (FIFO pools hand out the longest-idle one, so repeated checkouts cycle through all of
// them), sends AUTH on each and returns it, until the registry reports that none of c's
// connections still holds an older token. A connection busy with a command is reached once
// it is returned. Connections dialled meanwhile authenticate with the new token already.
// Pipelines have a pool of their own, reached with pipelined AUTHs in proportion to its size.
func (s *Session) sweepPool(ctx context.Context, c *redis.Client, user, pass string, gen uint64, spread time.Duration) (done, evicted, failed int, err error) {
	addr := c.Options().Addr
	poolSize := c.Options().PoolSize
	initial := s.reg.stale(rolePool, addr, gen)
	if initial == 0 {
		return 0, 0, 0, nil
	}
	pace := time.Duration(0)
	if spread > 0 {
		pace = spread / time.Duration(initial)
	}
	// Connections the sweep has just re-AUTHed (or that were fresh) are held while it makes
	// no progress, so the next checkouts reach other connections; they go back on progress
	// and at the end.
	var held []*redis.Conn
	release := func() {
		for _, h := range held {
			_ = h.Close()
		}
		held = held[:0]
	}
	defer release()
	// Last resort, once most of the window has passed: close the stale connections that
	// have no command in flight (the server would close them at expiry anyway).
	evictAt := time.Now()
	if dl, ok := ctx.Deadline(); ok {
		evictAt = evictAt.Add(time.Until(dl) * 6 / 10)
	}
	cycle, sinceProgress := 0, 0
	for {
		before := s.reg.stale(rolePool, addr, gen)
		if before == 0 {
			return done, evicted, 0, err
		}
		if ctx.Err() != nil {
			return done, evicted, before, fmt.Errorf("%d pooled connection(s) to %s still held the old token when it expired (%s)",
				before, addr, s.reg.describeStale(rolePool, addr, gen))
		}
		st := c.PoolStats()
		mainN, pipeN := max(int(st.TotalConns), 1), 0
		if st.PipelineStats != nil {
			pipeN = int(st.PipelineStats.TotalConns)
		}
		if time.Now().After(evictAt) {
			if n := s.reg.evictStale(rolePool, addr, gen, time.Millisecond); n > 0 {
				evicted += n
				err = fmt.Errorf("closed %d pooled connection(s) to %s the re-AUTH could not reach before the old token expired", n, addr)
				continue
			}
		}
		var (
			aerr error
			cn   *redis.Conn
		)
		if cycle%(mainN+pipeN) >= mainN {
			_, aerr = c.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.AuthACL(ctx, user, pass)
				return nil
			})
		} else {
			cn = c.Conn()
			aerr = cn.AuthACL(ctx, user, pass).Err()
		}
		cycle++
		if errors.Is(aerr, redis.ErrClosed) {
			// SelectDB replaced this client and closed it: its connections are gone, and the
			// new client's are swept by the round SelectDB starts.
			return done, evicted, 0, nil
		}
		if aerr != nil && isRedisError(aerr) {
			if cn != nil {
				_ = cn.Close()
			}
			return done, evicted, before, fmt.Errorf("Redis refused the new token on %s: %w", addr, aerr)
		}
		wait := time.Duration(0)
		if after := s.reg.stale(rolePool, addr, gen); after < before {
			done += before - after
			sinceProgress = 0
			wait = pace
			if cn != nil {
				_ = cn.Close()
			}
			release()
		} else {
			sinceProgress++
			if cn != nil && aerr == nil && len(held) < poolSize/2 {
				held = append(held, cn)
			} else if cn != nil {
				_ = cn.Close()
			}
			if aerr != nil || sinceProgress > mainN+pipeN {
				wait = 200 * time.Microsecond // busy or broken connections: don't spin
			}
			if len(held) >= poolSize/2 {
				release()
			}
		}
		if wait > 0 {
			_ = sleepCtx(ctx, wait) // a deadline is reported at the top of the loop
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
