package profiles

import "time"

// Defaults for TokenSettings. The refresh bound keeps AUTH well ahead of the service's
// three-minute minimum; retries continue until the token expires because giving up while the
// token is still valid would drop a working session, and after expiry they go on every
// RetryMaxDelay so a session recovers by itself when the identity provider returns.
const (
	DefaultRefreshRatio           = 0.7
	DefaultLowerRefreshBound      = 5 * time.Minute
	DefaultRequestTimeout         = 30 * time.Second
	DefaultRetryMaxAttempts       = 0
	DefaultRetryInitialDelay      = time.Second
	DefaultRetryMaxDelay          = 30 * time.Second
	DefaultRetryBackoffMultiplier = 2.0
)

// TokenConfig is the token manager configuration in effect for a profile: TokenSettings with
// every unset field replaced by its default.
type TokenConfig struct {
	RefreshRatio           float64
	LowerRefreshBound      time.Duration
	RequestTimeout         time.Duration
	RetryMaxAttempts       int // 0 = no limit before expiry; after expiry retries never stop
	RetryInitialDelay      time.Duration
	RetryMaxDelay          time.Duration
	RetryBackoffMultiplier float64
}

// Config returns the settings in effect, with defaults for every unset field.
func (t TokenSettings) Config() TokenConfig {
	c := TokenConfig{
		RefreshRatio:           DefaultRefreshRatio,
		LowerRefreshBound:      DefaultLowerRefreshBound,
		RequestTimeout:         DefaultRequestTimeout,
		RetryMaxAttempts:       DefaultRetryMaxAttempts,
		RetryInitialDelay:      DefaultRetryInitialDelay,
		RetryMaxDelay:          DefaultRetryMaxDelay,
		RetryBackoffMultiplier: DefaultRetryBackoffMultiplier,
	}
	if t.RefreshRatio != nil {
		c.RefreshRatio = *t.RefreshRatio
	}
	if t.LowerRefreshBound != nil {
		c.LowerRefreshBound = t.LowerRefreshBound.Duration
	}
	if t.RequestTimeout != nil {
		c.RequestTimeout = t.RequestTimeout.Duration
	}
	if t.RetryMaxAttempts != nil {
		c.RetryMaxAttempts = *t.RetryMaxAttempts
	}
	if t.RetryInitialDelay != nil {
		c.RetryInitialDelay = t.RetryInitialDelay.Duration
	}
	if t.RetryMaxDelay != nil {
		c.RetryMaxDelay = t.RetryMaxDelay.Duration
	}
	if t.RetryBackoffMultiplier != nil {
		c.RetryBackoffMultiplier = *t.RetryBackoffMultiplier
	}
	return c
}

// IsZero reports whether no field is set (so the [token] table is omitted when saving).
func (t TokenSettings) IsZero() bool { return t == TokenSettings{} }
