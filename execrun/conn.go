package execrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// Without a Timeout, the login and connection get these; a device code or browser login
// waits for a person.
const (
	openTimeout        = 30 * time.Second
	interactiveTimeout = 5 * time.Minute
)

// Dial is how the connection is set up beyond the profile.
type Dial struct {
	Proto   int           // 2 or 3
	DB      int           // SELECTed when not 0
	Timeout time.Duration // bounds the login and connection, then each reply; 0: see openTimeout
}

// Conn is exec's one connection: a console of a raw session, authenticated with the
// profile's token and re-AUTHed by the session when the token is renewed.
type Conn struct {
	p       profiles.Profile
	s       *session.Session
	c       *session.Console
	timeout time.Duration
	// redirected is told of a MOVED or ASK about to be followed (Runner prints it).
	redirected func(rediscli.Redirect)
	// resumed is told of a lost connection replaced before a command (Runner says so).
	resumed func(session.Resumed)
	// table is the command table the read-only rule judges by (see refusal).
	table rediscli.CommandTable
}

// Open gets a token for p, connects, authenticates (AUTH, or HELLO 3 AUTH) and selects the
// database. Failures are explained: which credential, which step, the fix.
func Open(ctx context.Context, p profiles.Profile, opts auth.Options, d Dial) (*Conn, error) {
	src, err := auth.NewSource(p, opts)
	if err != nil {
		return nil, Explain(p, err)
	}
	cfg, err := session.ConfigFromProfile(p)
	if err != nil {
		return nil, err
	}
	cfg.DB = d.DB
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = openTimeout
		if p.Auth.Kind == profiles.AuthDeveloper && (p.Auth.Method == profiles.DeveloperDeviceCode || p.Auth.Method == profiles.DeveloperBrowser) {
			timeout = interactiveTimeout
		}
	}
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	timedOut := func(err error) error {
		if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return Explain(p, err)
		}
		msg := fmt.Sprintf("profile %q: logging in and connecting to %s timed out after %s (--timeout sets the limit)", p.Name, cfg.Addr(), timeout)
		if ae := (*auth.Error)(nil); errors.As(err, &ae) {
			msg += ":\n" + ae.Explain()
		}
		return errors.New(msg)
	}
	s, err := session.OpenRaw(octx, cfg, src)
	if err != nil {
		return nil, timedOut(session.ExplainTLSMismatch(ctx, cfg, cfg.Addr(), err))
	}
	c := &Conn{p: p, s: s, timeout: d.Timeout}
	c.c, err = s.ConsoleWith(ctx, session.ConsoleOptions{Protocol: d.Proto, OnRedirect: func(to rediscli.Redirect) {
		if c.redirected != nil {
			c.redirected(to)
		}
	}, Resume: true, ReconnectLimit: d.Timeout, OnResume: func(r session.Resumed) {
		if c.resumed != nil {
			c.resumed(r)
		}
	}})
	if err == nil {
		err = c.c.Dial(octx)
	}
	if err != nil {
		err = s.ExplainLogin(err)
		if d.DB != 0 && strings.Contains(err.Error(), fmt.Sprintf("SELECT %d: ", d.DB)) {
			// Never part of a script on another database: redis-cli would warn and go on in 0.
			err = fmt.Errorf("%w; database %d (-n or the profile's db) cannot be selected, so nothing was run", err, d.DB)
		}
		_ = s.Close()
		if octx.Err() != nil && ctx.Err() == nil {
			err = octx.Err()
		}
		return nil, timedOut(session.ExplainTLSMismatch(ctx, cfg, cfg.Addr(), err))
	}
	return c, nil
}

// do sends one command and reads its reply, returning the pushes that arrived before it;
// --timeout bounds the wait (none without it).
func (c *Conn) do(ctx context.Context, args []string) (pushes []rediscli.Reply, reply rediscli.Reply, err error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	return c.c.Exchange(ctx, args...)
}

// Close closes the connection and the session.
func (c *Conn) Close() { _ = c.s.Close() }

// Explain gives an auth failure in full (which credential, which step, the likely fix).
func Explain(p profiles.Profile, err error) error {
	var ae *auth.Error
	if errors.As(err, &ae) {
		return fmt.Errorf("profile %q: %s", p.Name, ae.Explain())
	}
	return fmt.Errorf("profile %q: %w", p.Name, err)
}

// discardIfNil keeps writers usable when a caller leaves one unset.
func discardIfNil(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
