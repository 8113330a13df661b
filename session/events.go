package session

import (
	"sync/atomic"
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

// Event is one thing the UI may show: a token change, a refresh outcome, a re-AUTH round, or
// a connection going away and coming back. Events never carry a token.
type Event interface {
	// When is when the event happened.
	When() time.Time
}

// At is embedded in every event to carry its time.
type At struct{ Time time.Time }

// When implements Event.
func (a At) When() time.Time { return a.Time }

func at() At { return At{Time: time.Now()} }

// TokenAcquired reports a new token.
type TokenAcquired struct {
	At
	Claims        auth.Claims // non-secret summary
	Username      string      // the Redis username (object ID)
	ExpiresAt     time.Time
	NextRefreshAt time.Time
	Generation    uint64 // counts tokens installed since Open, from 1
}

// TokenUnchanged reports a refresh that returned the token already in use (the source served
// it from a cache); the session asks again at NextPollAt.
type TokenUnchanged struct {
	At
	ExpiresAt  time.Time
	NextPollAt time.Time
}

// RefreshStarted reports a call to the source.
type RefreshStarted struct {
	At
	Attempt int // 1 for the first try after a success, 2… for retries
}

// RefreshFailed reports a failed refresh and when the next try is due.
type RefreshFailed struct {
	At
	Err         error
	Attempt     int
	NextRetryAt time.Time
	ExpiresAt   time.Time // of the token still in use (zero once expired)
}

// ReauthDone reports a round of re-AUTHs after a new token.
type ReauthDone struct {
	At
	Generation  uint64
	Connections int // connections that now hold the new token
	Failed      int // connections that could not be re-authenticated
	// Evicted counts pooled connections the sweep could not reach in time and closed while
	// idle, rather than let the server close them at expiry (go-redis redials).
	Evicted  int
	Duration time.Duration // from the new token to the last re-AUTH
	Err      error         // why some failed (for example Redis answering WRONGPASS); nil when none did
}

// TokenExpired reports that the token expired before a new one arrived: the server closes
// connections still holding it and new ones fail until the source recovers.
type TokenExpired struct {
	At
	ExpiredAt time.Time
	LastErr   error // the last refresh failure
}

// ConnectionLost reports that the server stopped answering.
type ConnectionLost struct {
	At
	Err error
}

// ConnectionRestored reports that the server answers again after a ConnectionLost.
type ConnectionRestored struct {
	At
	Down time.Duration
}

// eventBus delivers events without ever blocking the sender: when the reader falls behind,
// events are dropped and counted.
type eventBus struct {
	ch      chan Event
	dropped atomic.Uint64
}

func newEventBus(n int) *eventBus { return &eventBus{ch: make(chan Event, n)} }

func (b *eventBus) emit(e Event) {
	select {
	case b.ch <- e:
	default:
		b.dropped.Add(1)
	}
}
