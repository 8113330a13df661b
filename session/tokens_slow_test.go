package session

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

// hangingSource answers its first call at once and every later one only when released (or
// when its context ends), counting the calls in flight.
type hangingSource struct {
	life    time.Duration
	release chan struct{}

	mu       sync.Mutex
	calls    int
	inflight int
	maxIn    int
	ended    int // later calls that returned
}

func (s *hangingSource) Kind() string { return "test hanging source" }

func (s *hangingSource) Token(ctx context.Context) (auth.Token, error) { return s.Fresh(ctx) }

func (s *hangingSource) Fresh(ctx context.Context) (auth.Token, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	if n > 1 {
		s.inflight++
		s.maxIn = max(s.maxIn, s.inflight)
	}
	s.mu.Unlock()
	if n > 1 {
		defer func() {
			s.mu.Lock()
			s.inflight--
			s.ended++
			s.mu.Unlock()
		}()
		select {
		case <-s.release:
		case <-ctx.Done():
			return auth.Token{}, ctx.Err()
		}
	}
	now := time.Now()
	return auth.Token{Value: "tok-" + nonce(), Username: "u", ReceivedAt: now, ExpiresOn: now.Add(s.life)}, nil
}

func (s *hangingSource) stats() (calls, inflight, maxIn, ended int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.inflight, s.maxIn, s.ended
}

// A request the source does not answer within RequestTimeout is reported as a failed attempt
// but left running while the next attempt starts: never more than slowAttempts at once, each
// given up after slowAttempts × RequestTimeout. The first token that arrives is installed and
// the other requests are cancelled.
func TestSlowRequestsRunAlongsideBounded(t *testing.T) {
	src := &hangingSource{life: 2 * time.Second, release: make(chan struct{})}
	cfg := Config{}.withDefaults()
	ev := newEventBus(1024)
	m := newTokenManager(src, cfg, newProvider(), ev)
	if err := m.first(context.Background()); err != nil {
		t.Fatal(err)
	}
	m.start()
	defer m.close()

	var (
		slowFailures, expired int
		evs                   []Event
	)
	deadline := time.After(30 * time.Second)
	// Past expiry, with more attempts than may run at once: the oldest were given up.
	for {
		calls, _, _, ended := src.stats()
		if expired > 0 && calls > 2*slowAttempts && ended > 0 {
			break
		}
		select {
		case e := <-ev.ch:
			evs = append(evs, e)
			switch e := e.(type) {
			case RefreshFailed:
				if e.Err != nil && strings.Contains(e.Err.Error(), "no answer within") {
					slowFailures++
				}
			case TokenExpired:
				expired++
			case TokenAcquired:
				if e.Generation > 1 {
					t.Fatalf("a token was installed while the source answered nothing: %s", describe(evs))
				}
			}
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			calls, inflight, maxIn, ended := src.stats()
			t.Fatalf("calls %d, in flight %d (max %d), ended %d, expired %d; events: %s", calls, inflight, maxIn, ended, expired, describe(evs))
		}
	}
	calls, inflight, maxIn, _ := src.stats()
	t.Logf("%d requests, at most %d at once (%d now), %d reported slow", calls-1, maxIn, inflight, slowFailures)
	if maxIn < 2 {
		t.Errorf("at most %d request in flight: a slow request was cancelled rather than left running", maxIn)
	}
	if maxIn > slowAttempts {
		t.Errorf("%d requests in flight at once, more than %d", maxIn, slowAttempts)
	}
	if slowFailures == 0 {
		t.Errorf("no RefreshFailed reported a request without an answer")
	}

	close(src.release) // every request in flight answers: one token is installed
	for gen := uint64(1); gen < 2; {
		select {
		case e := <-ev.ch:
			if a, ok := e.(TokenAcquired); ok {
				gen = a.Generation
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no token installed after the source answered")
		}
	}
	if _, g := m.current(); g < 2 {
		t.Fatalf("generation %d after the source answered", g)
	}
}
