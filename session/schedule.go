package session

import (
	"math"
	"time"

	"github.com/amr-tui/amr-tui/auth"
)

// scaled returns the settings scaled for a token of the given lifetime: defaults suit real
// tokens (an hour or more) and are shrunk for the seconds-long tokens of tests, so the same
// code paths run in both.
func scaled(t TokenSettings, r RetrySettings, lifetime time.Duration) (TokenSettings, RetrySettings) {
	if lifetime <= 0 {
		return t, r
	}
	t.LowerRefreshBound = min(t.LowerRefreshBound, lifetime*2/5)
	t.RequestTimeout = min(t.RequestTimeout, max(lifetime/5, 100*time.Millisecond))
	t.PollInterval = min(t.PollInterval, max(lifetime/20, 20*time.Millisecond))
	r.InitialDelay = min(r.InitialDelay, max(lifetime/40, 10*time.Millisecond))
	r.MaxDelay = max(min(r.MaxDelay, lifetime/10), r.InitialDelay)
	return t, r
}

func lifetimeOf(tok auth.Token, now time.Time) time.Duration {
	return tok.ExpiresOn.Sub(receivedAt(tok, now))
}

func receivedAt(tok auth.Token, now time.Time) time.Time {
	if tok.ReceivedAt.IsZero() || tok.ReceivedAt.After(now) {
		return now
	}
	return tok.ReceivedAt
}

// refreshAt is when a refresh of tok is due: the earlier of received + ratio × lifetime and
// expiry − lower bound, no later than the issuer's RefreshOn hint, moved earlier by up to
// jitter × the wait (u is uniform in [0, 1)). It is never before now.
func refreshAt(tok auth.Token, now time.Time, t TokenSettings, u float64) time.Time {
	recv := receivedAt(tok, now)
	life := tok.ExpiresOn.Sub(recv)
	if life <= 0 {
		return now
	}
	due := recv.Add(time.Duration(float64(life) * t.RefreshRatio))
	if b := tok.ExpiresOn.Add(-t.LowerRefreshBound); b.Before(due) {
		due = b
	}
	if !tok.RefreshOn.IsZero() && tok.RefreshOn.Before(due) {
		due = tok.RefreshOn
	}
	if wait := due.Sub(now); wait > 0 {
		due = due.Add(-time.Duration(float64(wait) * t.Jitter * u))
	}
	if due.Before(now) {
		return now
	}
	return due
}

// retryDelay is the wait after the n-th consecutive failure (n ≥ 1): InitialDelay ×
// Multiplier^(n−1), capped at MaxDelay, shortened by up to jitter (u uniform in [0, 1)).
func retryDelay(n int, r RetrySettings, u float64) time.Duration {
	d := float64(r.InitialDelay) * math.Pow(r.Multiplier, float64(max(n-1, 0)))
	d = min(d, float64(r.MaxDelay))
	return time.Duration(d * (1 - r.Jitter*u))
}
