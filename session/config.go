package session

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// ClusterMode says whether the session uses a cluster-aware client.
type ClusterMode int

const (
	// ClusterAuto asks the first node (INFO cluster) and uses a cluster client when
	// cluster_enabled is 1 — AMR's OSS clustering policy. The Enterprise policy's proxy answers 0.
	ClusterAuto ClusterMode = iota
	// ClusterOn always uses a cluster client.
	ClusterOn
	// ClusterOff always uses a standalone client.
	ClusterOff
)

// String names the mode as profiles spell it.
func (m ClusterMode) String() string {
	switch m {
	case ClusterOn:
		return "on"
	case ClusterOff:
		return "off"
	default:
		return "auto"
	}
}

// Config is everything Open needs to reach one Redis endpoint. Zero values take the defaults
// documented on each field.
type Config struct {
	// Host and Port of the endpoint (AMR: <name>.<region>.redis.azure.net:10000).
	Host string
	Port int

	// TLS turns TLS on (it is on for every Entra profile; AMR accepts Entra only over TLS).
	TLS bool
	// RootCAs verifies the server; nil means the system pool.
	RootCAs *x509.CertPool
	// ServerName is the name checked in the server certificate; empty means Host. It is
	// pinned for every cluster node, because AMR's OSS policy advertises nodes by IP.
	ServerName string
	// InsecureSkipVerify turns certificate verification off. Only a profile's explicit
	// setting may set it.
	InsecureSkipVerify bool
	// ClientCerts are presented to servers that ask for a client certificate.
	ClientCerts []tls.Certificate

	// DB is the database selected on every connection (standalone only).
	DB int
	// Cluster selects the client kind (default ClusterAuto).
	Cluster ClusterMode
	// Protocol is the RESP version, 2 or 3 (default 3).
	Protocol int
	// PoolSize caps the command pool (default 10).
	PoolSize int
	// DialTimeout, ReadTimeout and WriteTimeout default to go-redis's (5 s, 3 s, 3 s).
	DialTimeout, ReadTimeout, WriteTimeout time.Duration

	// Token tunes when tokens are refreshed.
	Token TokenSettings
	// Retry tunes how failed refreshes are retried.
	Retry RetrySettings
	// Reauth tunes how live connections are re-authenticated after a new token.
	Reauth ReauthSettings
	// HealthInterval is how often the session pings the server to report a lost or
	// restored connection (default 1 s; 100 ms while the connection is lost).
	HealthInterval time.Duration
	// EventBuffer is the capacity of the event channel (default 256).
	EventBuffer int
}

// TokenSettings decide when a token is refreshed. The refresh is due at the earlier of
// ReceivedAt + RefreshRatio × lifetime and ExpiresOn − LowerRefreshBound, and never later than
// the token's own RefreshOn hint.
type TokenSettings struct {
	// RefreshRatio is the fraction of the lifetime after which a refresh is due (default 0.7).
	RefreshRatio float64
	// LowerRefreshBound is the least time left on the token when the refresh is due
	// (default 5 min, so the new AUTH lands well over AMR's 3 minutes before expiry). It is
	// scaled down to 40 % of the lifetime for short-lived tokens (a 10-minute token is
	// refreshed 4 minutes before expiry; a 3-second test token after 1.8 s).
	LowerRefreshBound time.Duration
	// RequestTimeout bounds one call to the source (default 30 s, scaled down to a fifth of
	// the lifetime for short-lived tokens).
	RequestTimeout time.Duration
	// PollInterval is how often an unchanged token (the source served it from a cache) is
	// asked for again (default 15 s, scaled to a twentieth of the lifetime).
	PollInterval time.Duration
	// Jitter moves each refresh earlier by up to this fraction of the wait (default 0.1), so
	// many clients sharing a principal do not refresh together.
	Jitter float64
}

// RetrySettings is the capped exponential backoff for failed refreshes. Retries go on until
// the token actually expires — and after that, more slowly, until the source recovers.
type RetrySettings struct {
	// InitialDelay is the first wait after a failure (default 1 s, scaled down for short
	// tokens to a fortieth of the lifetime).
	InitialDelay time.Duration
	// MaxDelay caps the wait (default 30 s, scaled to a tenth of the lifetime).
	MaxDelay time.Duration
	// Multiplier grows the wait after each failure (default 2).
	Multiplier float64
	// MaxAttempts stops retrying before expiry after this many failures; 0 (the default)
	// means retry until the token expires. After expiry the session keeps polling at
	// MaxDelay so it recovers by itself when the source returns.
	MaxAttempts int
	// Jitter randomises each wait by up to this fraction (default 0.2).
	Jitter float64
}

// ReauthSettings tune the re-AUTH of live connections.
type ReauthSettings struct {
	// Spread paces the re-AUTHs of pooled connections over this window so they don't reach
	// the server in one burst (default: a tenth of the old token's remaining life, at most
	// 10 s). A negative value means no pacing.
	Spread time.Duration
}

// Addr is Host:Port.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

func (c Config) withDefaults() Config {
	if c.Protocol == 0 {
		c.Protocol = 3
	}
	if c.PoolSize == 0 {
		c.PoolSize = 10
	}
	if c.HealthInterval == 0 {
		c.HealthInterval = time.Second
	}
	if c.EventBuffer == 0 {
		c.EventBuffer = 256
	}
	t := &c.Token
	if t.RefreshRatio == 0 {
		t.RefreshRatio = 0.7
	}
	if t.LowerRefreshBound == 0 {
		t.LowerRefreshBound = 5 * time.Minute
	}
	if t.RequestTimeout == 0 {
		t.RequestTimeout = 30 * time.Second
	}
	if t.PollInterval == 0 {
		t.PollInterval = 15 * time.Second
	}
	if t.Jitter == 0 {
		t.Jitter = 0.1
	}
	r := &c.Retry
	if r.InitialDelay == 0 {
		r.InitialDelay = time.Second
	}
	if r.MaxDelay == 0 {
		r.MaxDelay = 30 * time.Second
	}
	if r.Multiplier == 0 {
		r.Multiplier = 2
	}
	if r.Jitter == 0 {
		r.Jitter = 0.2
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("host is empty"))
	}
	if c.Port <= 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d is not in 1..65535", c.Port))
	}
	if c.Protocol != 2 && c.Protocol != 3 {
		errs = append(errs, fmt.Errorf("protocol %d is not 2 or 3", c.Protocol))
	}
	if c.DB < 0 {
		errs = append(errs, fmt.Errorf("database %d is negative", c.DB))
	}
	if c.DB != 0 && c.Cluster == ClusterOn {
		errs = append(errs, fmt.Errorf("database %d cannot be selected in cluster mode", c.DB))
	}
	if c.Token.RefreshRatio <= 0 || c.Token.RefreshRatio > 1 {
		errs = append(errs, fmt.Errorf("token refresh ratio %v is not in (0, 1]", c.Token.RefreshRatio))
	}
	if c.Token.Jitter < 0 || c.Token.Jitter >= 1 || c.Retry.Jitter < 0 || c.Retry.Jitter >= 1 {
		errs = append(errs, errors.New("jitter must be in [0, 1)"))
	}
	if c.Retry.Multiplier < 1 {
		errs = append(errs, fmt.Errorf("retry multiplier %v is below 1", c.Retry.Multiplier))
	}
	if c.Retry.MaxDelay < c.Retry.InitialDelay {
		errs = append(errs, errors.New("retry max delay is below the initial delay"))
	}
	if c.Retry.MaxAttempts < 0 {
		errs = append(errs, errors.New("retry max attempts is negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("session: invalid config for %s: %w", c.Addr(), err)
	}
	return nil
}

// TLSConfig is the client TLS configuration the session dials with: TLS 1.2 or later, the
// profile's CAs, client certificates and server name (the host unless overridden), and
// verification on unless the profile turns it off. Nil when TLS is off.
func (c Config) TLSConfig() *tls.Config {
	if !c.TLS {
		return nil
	}
	name := c.ServerName
	if name == "" {
		name = c.Host
	}
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		RootCAs:            c.RootCAs,
		ServerName:         name,
		InsecureSkipVerify: c.InsecureSkipVerify, //nolint:gosec // only when the profile says so
		Certificates:       c.ClientCerts,
	}
}
