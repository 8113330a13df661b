package session

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

// ErrTokenExpired is wrapped by the errors of commands that need a new connection while the
// token has expired and no new one could be obtained.
var ErrTokenExpired = errors.New("the Entra token has expired and no new one could be obtained")

// tokenManager holds the current token and refreshes it: failures retried with capped
// exponential backoff until the token expires and then more slowly until the source recovers,
// an unchanged (cached) token polled again rather than treated as new.
//
// A request that has no answer within RequestTimeout counts as a failed attempt and the next
// one starts on the usual schedule, but the slow request is not cancelled: it may still
// finish, for up to slowAttempts × RequestTimeout. Cancelling it would only start over from
// the beginning: a fresh credential makes two round trips (tenant discovery, then the token),
// so an Entra that answers each one late enough never delivers a token to an impatient client,
// while the one that waits gets it in time (the soak's entra-slow: 2 × 3 s against a 4 s
// timeout and an 8 s margin). At most slowAttempts requests are in flight; the first token
// that arrives is installed and the others are cancelled.
type tokenManager struct {
	src      auth.Source
	cfg      Config
	provider *Provider
	events   *eventBus
	reg      *registry
	// onNew is called from the manager goroutine after each new token but the first, with
	// the expiry of the token it replaces; it must not block.
	onNew func(gen uint64, prevExpiry time.Time)

	mu          sync.Mutex
	cur         auth.Token
	gen         uint64
	nextAttempt time.Time
	refreshing  bool
	expired     bool
	failures    int
	lastErr     error
	retryAt     time.Time
	inflight    int                // requests to the source under way
	attemptCtx  context.Context    // the requests' parent, cancelled when a token is installed
	cancelAtts  context.CancelFunc // cancels attemptCtx

	results chan attemptResult
	wg      sync.WaitGroup // the requests' goroutines
	newTok  chan struct{}  // closed (and replaced) when a token is installed
	kick    chan struct{}
	stop    context.CancelFunc
	ctx     context.Context
	done    chan struct{}
}

func newTokenManager(src auth.Source, cfg Config, p *Provider, ev *eventBus) *tokenManager {
	ctx, cancel := context.WithCancel(context.Background())
	m := &tokenManager{src: src, cfg: cfg, provider: p, events: ev, ctx: ctx, stop: cancel,
		kick: make(chan struct{}, 1), done: make(chan struct{}), results: make(chan attemptResult),
		newTok: make(chan struct{})}
	m.attemptCtx, m.cancelAtts = context.WithCancel(ctx)
	return m
}

// slowAttempts bounds the requests to the source in flight at once, and the life of each
// (slowAttempts × RequestTimeout).
const slowAttempts = 4

// attemptResult is the outcome of one request to the source.
type attemptResult struct {
	tok      auth.Token
	err      error
	gen      uint64 // the generation current when the request started
	attempt  int
	slow     bool // not an outcome: the request has had RequestTimeout without an answer
	reported bool // (final outcome) its slowness was reported as a failure already
}

// first obtains the initial token synchronously (Open fails if it cannot).
func (m *tokenManager) first(ctx context.Context) error {
	tok, err := m.src.Token(ctx)
	if err == nil && tok.Expires() && !time.Now().Before(tok.ExpiresOn) {
		tok, err = m.src.Fresh(ctx)
	}
	if err == nil {
		err = checkToken(tok, time.Now())
	}
	if err != nil {
		return fmt.Errorf("session: getting a token from %s: %w", m.src.Kind(), err)
	}
	m.install(tok)
	return nil
}

func checkToken(tok auth.Token, now time.Time) error {
	if tok.Value == "" && tok.Expires() {
		return errors.New("the source returned an empty token")
	}
	if tok.Expires() && !now.Before(tok.ExpiresOn) {
		return fmt.Errorf("the source returned a token that expired at %s", tok.ExpiresOn.Format(time.RFC3339))
	}
	return nil
}

// current returns the token in use and its generation.
func (m *tokenManager) current() (auth.Token, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur, m.gen
}

// installed returns a channel closed when the next token is installed: a connection that
// cannot be made without one (the token expired) waits on it rather than on a backoff.
func (m *tokenManager) installed() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.newTok
}

func (m *tokenManager) settings(tok auth.Token, now time.Time) (TokenSettings, RetrySettings) {
	return scaled(m.cfg.Token, m.cfg.Retry, lifetimeOf(tok, now))
}

// install makes tok current: new connections use it at once and onNew re-AUTHs live ones.
func (m *tokenManager) install(tok auth.Token) {
	now := time.Now()
	m.mu.Lock()
	prevExpiry := m.cur.ExpiresOn
	m.cur = tok
	m.gen++
	gen := m.gen
	m.expired, m.failures, m.lastErr, m.retryAt = false, 0, nil, time.Time{}
	m.cancelAtts() // other requests in flight are no longer needed
	m.attemptCtx, m.cancelAtts = context.WithCancel(m.ctx)
	close(m.newTok)
	m.newTok = make(chan struct{})
	if tok.Expires() {
		ts, _ := m.settings(tok, now)
		m.nextAttempt = refreshAt(tok, now, ts, rand.Float64())
	} else {
		m.nextAttempt = time.Time{}
	}
	next := m.nextAttempt
	m.mu.Unlock()
	if m.reg != nil {
		m.reg.remember(tok.Value, gen) // before any connection can send it
	}
	m.provider.set(tok.Username, tok.Value)
	m.events.emit(TokenAcquired{At: at(), Claims: tok.Claims, Username: tok.Username,
		ExpiresAt: tok.ExpiresOn, NextRefreshAt: next, Generation: gen})
	if m.onNew != nil && gen > 1 {
		m.onNew(gen, prevExpiry)
	}
}

// start runs the refresh loop for expiring tokens.
func (m *tokenManager) start() {
	tok, _ := m.current()
	if !tok.Expires() {
		close(m.done)
		return
	}
	go m.run()
}

// close stops the loop and waits for it and the requests it started.
func (m *tokenManager) close() {
	m.stop()
	<-m.done
	m.wg.Wait()
}

// refreshNow asks the loop for an immediate refresh (used by tests and the UI's "refresh"
// key); it is coalesced with one already pending.
func (m *tokenManager) refreshNow() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

func (m *tokenManager) run() {
	defer close(m.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		m.mu.Lock()
		wake, expiry, expired := m.nextAttempt, m.cur.ExpiresOn, m.expired
		m.mu.Unlock()
		if !expired && expiry.Before(wake) {
			wake = expiry
		}
		timer.Reset(time.Until(wake))
		kicked := false
		var res *attemptResult
		select {
		case <-m.ctx.Done():
			return
		case <-m.kick:
			kicked = true
		case r := <-m.results:
			res = &r
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		if res != nil {
			m.settle(*res)
			continue
		}
		now := time.Now()
		if !expired && !now.Before(expiry) {
			m.markExpired(expiry)
		}
		m.mu.Lock()
		due := !now.Before(m.nextAttempt)
		m.mu.Unlock()
		if due || kicked {
			m.attempt()
		}
	}
}

func (m *tokenManager) markExpired(expiry time.Time) {
	m.mu.Lock()
	if m.expired {
		m.mu.Unlock()
		return
	}
	m.expired = true
	last := m.lastErr
	m.mu.Unlock()
	err := fmt.Errorf("session: %w (%s, expired at %s)", ErrTokenExpired, m.src.Kind(), expiry.Format(time.RFC3339))
	if last != nil {
		err = fmt.Errorf("%w; last refresh error: %v", err, last)
	}
	m.provider.fail(err)
	m.events.emit(TokenExpired{At: at(), ExpiredAt: expiry, LastErr: last})
}

// attempt starts one request to the source; settle handles its outcome and schedules the
// next. With slowAttempts requests still in flight it starts none and looks again after
// RequestTimeout.
func (m *tokenManager) attempt() {
	now := time.Now()
	m.mu.Lock()
	cur, gen := m.cur, m.gen
	ts, _ := m.settings(cur, now)
	if m.inflight >= slowAttempts {
		m.nextAttempt = now.Add(ts.RequestTimeout)
		m.mu.Unlock()
		return
	}
	m.inflight++
	m.refreshing = true
	attempt := m.failures + 1
	// No answer by then counts as a failure; until a settle reschedules, wait for it.
	m.nextAttempt = now.Add(ts.RequestTimeout)
	parent := m.attemptCtx
	m.mu.Unlock()
	m.events.emit(RefreshStarted{At: at(), Attempt: attempt})

	ctx, cancel := context.WithTimeout(parent, slowAttempts*ts.RequestTimeout)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer cancel()
		out := make(chan attemptResult, 1)
		go func() {
			tok, err := m.src.Fresh(ctx)
			out <- attemptResult{tok: tok, err: err, gen: gen, attempt: attempt}
		}()
		slow := time.NewTimer(ts.RequestTimeout)
		defer slow.Stop()
		reported := false
		for {
			select {
			case r := <-out:
				r.reported = reported
				m.deliver(r)
				return
			case <-slow.C:
				reported = m.deliver(attemptResult{gen: gen, attempt: attempt, slow: true,
					err: fmt.Errorf("no answer within %s; the request goes on while the next attempt starts", ts.RequestTimeout.Round(time.Millisecond))})
			}
		}
	}()
}

// deliver hands r to the loop; false when the session is closing.
func (m *tokenManager) deliver(r attemptResult) bool {
	select {
	case m.results <- r:
		return true
	case <-m.ctx.Done():
		return false
	}
}

// settle handles a request's outcome (or its slowness) on the loop's goroutine.
func (m *tokenManager) settle(r attemptResult) {
	m.mu.Lock()
	if !r.slow {
		m.inflight--
	}
	m.refreshing = m.inflight > 0
	cur, gen := m.cur, m.gen
	m.mu.Unlock()
	if r.gen != gen || m.ctx.Err() != nil {
		return // a token was installed since this request started: it is not needed
	}
	now := time.Now()
	err := r.err
	if err == nil {
		err = checkToken(r.tok, now)
	}
	if err == nil && r.tok.Value != cur.Value {
		m.install(r.tok)
		return
	}
	ts, rs := m.settings(cur, now)

	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil { // the same token again: poll until a new one arrives
		m.nextAttempt = now.Add(ts.PollInterval)
		m.events.emit(TokenUnchanged{At: at(), ExpiresAt: cur.ExpiresOn, NextPollAt: m.nextAttempt})
		return
	}
	err = fmt.Errorf("refreshing the token (%s): %w", m.src.Kind(), err)
	if r.reported {
		m.lastErr = err // counted as a failure when it was slow
		return
	}
	m.failures++
	m.lastErr = err
	switch {
	case m.expired || !now.Before(cur.ExpiresOn):
		m.nextAttempt = now.Add(retryDelay(1<<20, rs, rand.Float64())) // capped: MaxDelay
	case rs.MaxAttempts > 0 && m.failures >= rs.MaxAttempts:
		m.nextAttempt = cur.ExpiresOn // give up until expiry, then poll to recover
	default:
		m.nextAttempt = now.Add(retryDelay(m.failures, rs, rand.Float64()))
		if m.nextAttempt.After(cur.ExpiresOn) && now.Before(cur.ExpiresOn) {
			m.nextAttempt = cur.ExpiresOn
		}
	}
	m.retryAt = m.nextAttempt
	exp := cur.ExpiresOn
	if m.expired {
		exp = time.Time{}
	}
	m.events.emit(RefreshFailed{At: at(), Err: err, Attempt: r.attempt, NextRetryAt: m.nextAttempt, ExpiresAt: exp})
}

func (m *tokenManager) fill(s *State) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.Kind = m.src.Kind()
	s.Username = m.cur.Username
	s.Claims = m.cur.Claims
	s.Expires = m.cur.Expires()
	s.ExpiresAt = m.cur.ExpiresOn
	s.NextRefreshAt = m.nextAttempt
	s.Refreshing = m.refreshing
	s.Expired = m.expired
	s.Generation = m.gen
	s.Failures = m.failures
	s.LastErr = m.lastErr
	s.RetryAt = m.retryAt
}
