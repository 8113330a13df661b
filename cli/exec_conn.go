package cli

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// Without --timeout, the login and connection get these; a device code or browser login waits
// for a person.
const (
	execOpenTimeout        = 30 * time.Second
	execInteractiveTimeout = 5 * time.Minute
)

// execDial is how exec's connection is set up beyond the profile.
type execDial struct {
	proto   int           // 2 or 3
	db      int           // SELECTed when not 0
	timeout time.Duration // 0: defaults (see newExecCmdWith)
}

// execConn is exec's one connection: dialled with the session's TLS settings and
// authenticated with the profile's token, it sends commands and reads the replies with
// rediscli's raw reader, so each reply is printed as the server sent it (go-redis would turn
// a status into a string and lose map order). A token about to expire is renewed and re-sent
// with AUTH between two commands, as the session does for its consoles.
type execConn struct {
	p       profiles.Profile
	src     auth.Source
	tok     auth.Token
	cfg     session.Config
	dial    execDial
	ctx     context.Context // Ctrl-C
	conn    net.Conn
	bw      *bufio.Writer
	rd      *rediscli.Reader
	timeout time.Duration
	// readOnly refuses commands that write (see readOnlyRefusal); infos caches COMMAND INFO.
	readOnly bool
	infos    map[string]rediscli.Reply
	allInfos bool // infos holds every command (COMMAND), as it must before a MULTI
	// inMulti is set between MULTI and EXEC or DISCARD, where an AUTH would be queued.
	inMulti bool
	// renewAfter holds off the next refresh after one that failed or brought the same token.
	renewAfter time.Time

	stopWatch func() bool
	closeOnce sync.Once
}

// openExecConn gets a token for p, connects, authenticates (AUTH, or HELLO 3 AUTH) and
// selects the database. Failures are explained: which credential, which step, the fix.
func openExecConn(ctx context.Context, p profiles.Profile, opts auth.Options, d execDial) (*execConn, error) {
	src, err := auth.NewSource(p, opts)
	if err != nil {
		return nil, explainExec(p, err)
	}
	cfg, err := session.ConfigFromProfile(p)
	if err != nil {
		return nil, err
	}
	timeout := d.timeout
	if timeout <= 0 {
		timeout = execOpenTimeout
		if p.Auth.Kind == profiles.AuthDeveloper && (p.Auth.Method == profiles.DeveloperDeviceCode || p.Auth.Method == profiles.DeveloperBrowser) {
			timeout = execInteractiveTimeout
		}
	}
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	timedOut := func(err error) error {
		if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return explainExec(p, err)
		}
		msg := fmt.Sprintf("profile %q: logging in and connecting to %s timed out after %s (--timeout sets the limit)", p.Name, cfg.Addr(), timeout)
		if ae := (*auth.Error)(nil); errors.As(err, &ae) {
			msg += ":\n" + ae.Explain()
		}
		return errors.New(msg)
	}
	tok, err := src.Token(octx)
	if err != nil {
		return nil, timedOut(err)
	}
	c := &execConn{p: p, src: src, tok: tok, cfg: cfg, dial: d, ctx: ctx, timeout: d.timeout, readOnly: p.ReadOnly}
	if err := c.connect(octx, cfg.Addr()); err != nil {
		if octx.Err() != nil {
			err = octx.Err()
		}
		return nil, timedOut(err)
	}
	return c, nil
}

// connect dials addr, authenticates and selects the database there, and makes it the
// connection commands go to, closing the previous one. Until the handshake is done octx
// bounds it; afterwards Ctrl-C (c.ctx) interrupts a read or write in progress by closing the
// connection.
func (c *execConn) connect(octx context.Context, addr string) error {
	conn, err := dialExec(octx, c.cfg, addr)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", addr, err)
	}
	stopOpen := context.AfterFunc(octx, func() { _ = conn.Close() })
	old, oldBW, oldRD := c.conn, c.bw, c.rd
	c.conn, c.bw, c.rd = conn, bufio.NewWriter(conn), rediscli.NewReader(bufio.NewReader(conn))
	err = c.handshake(c.dial)
	stopOpen()
	if err != nil {
		_ = conn.Close()
		c.conn, c.bw, c.rd = old, oldBW, oldRD
		return err
	}
	if c.stopWatch != nil {
		c.stopWatch()
	}
	if old != nil {
		_ = old.Close()
	}
	c.stopWatch = context.AfterFunc(c.ctx, func() { _ = conn.Close() })
	return nil
}

// dialExec opens the TCP (and TLS) connection to addr the way the session's dialer does; the
// certificate is checked against the profile's host (or server_name) whichever node addr is,
// as AMR's OSS cluster policy advertises nodes by IP address.
func dialExec(ctx context.Context, cfg session.Config, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if !cfg.TLS {
		return conn, nil
	}
	tc := cfg.TLSConfig()
	tconn := tls.Client(conn, tc)
	if err := tconn.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("TLS handshake (server name %q): %w", tc.ServerName, err)
	}
	return tconn, nil
}

// handshake authenticates and selects the protocol and database.
func (c *execConn) handshake(d execDial) error {
	if d.proto == 3 {
		args := []string{"HELLO", "3"}
		if c.tok.Value != "" {
			user := c.tok.Username
			if user == "" {
				user = "default"
			}
			args = append(args, "AUTH", user, c.tok.Value)
		}
		if err := c.expectOK(args, true); err != nil {
			return err
		}
	} else if c.tok.Value != "" {
		if err := c.auth(c.tok); err != nil {
			return err
		}
	}
	if d.db != 0 {
		if err := c.expectOK([]string{"SELECT", strconv.Itoa(d.db)}, false); err != nil {
			return fmt.Errorf("SELECT %d: %w", d.db, err)
		}
	}
	return nil
}

// auth sends AUTH [username] token.
func (c *execConn) auth(tok auth.Token) error {
	args := []string{"AUTH", tok.Value}
	if tok.Username != "" {
		args = []string{"AUTH", tok.Username, tok.Value}
	}
	return c.expectOK(args, true)
}

// expectOK sends a setup command and turns an error reply into an error; a refused AUTH is
// explained (auth.ExplainRedisError never includes the token).
func (c *execConn) expectOK(args []string, authenticates bool) error {
	_, r, err := c.do(args, c.timeout)
	if err != nil {
		return err
	}
	if r.IsError() {
		if authenticates {
			return auth.ExplainRedisError(errors.New(r.Str), c.tok)
		}
		return errors.New(r.Str)
	}
	return nil
}

// do sends one command and reads its reply, returning the pushes that arrived before it.
// timeout bounds the wait (0: none).
func (c *execConn) do(args []string, timeout time.Duration) (pushes []rediscli.Reply, reply rediscli.Reply, err error) {
	deadline := time.Time{}
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	_ = c.conn.SetDeadline(deadline)
	if _, err := c.bw.Write(rediscli.AppendCommand(nil, args)); err != nil {
		return nil, rediscli.Reply{}, err
	}
	if err := c.bw.Flush(); err != nil {
		return nil, rediscli.Reply{}, err
	}
	for {
		r, err := c.rd.ReadReply()
		if err != nil {
			return pushes, rediscli.Reply{}, err
		}
		if rediscli.IsReplyTo(args, r) {
			return pushes, r, nil
		}
		pushes = append(pushes, r)
	}
}

// next reads one more reply (a streaming command's next message), with no deadline.
func (c *execConn) next() (rediscli.Reply, error) {
	_ = c.conn.SetDeadline(time.Time{})
	return c.rd.ReadReply()
}

// renewIfDue gets a new token and sends AUTH with it when the current one is close to expiry
// (AMR closes a connection whose token expires). Static credentials never expire. While the
// current token is still valid, a failed or unchanged refresh is retried a little later
// rather than on every command; once it has expired, a failure ends the run.
func (c *execConn) renewIfDue(ctx context.Context) error {
	if !c.tok.Expires() || c.inMulti {
		return nil
	}
	now := time.Now()
	life := c.tok.ExpiresOn.Sub(c.tok.ReceivedAt)
	margin := min(5*time.Minute, life*3/10)
	if c.tok.ExpiresOn.Sub(now) > margin || now.Before(c.renewAfter) {
		return nil
	}
	tctx, cancel := context.WithTimeout(ctx, execOpenTimeout)
	defer cancel()
	tok, err := c.src.Fresh(tctx)
	valid := time.Now().Before(c.tok.ExpiresOn)
	if err != nil && !valid {
		return explainExec(c.p, err)
	}
	if err != nil || tok.Value == c.tok.Value {
		c.renewAfter = time.Now().Add(min(15*time.Second, margin/10))
		return nil
	}
	old := c.tok
	c.tok = tok
	if err := c.auth(tok); err != nil {
		c.tok = old
		return explainExec(c.p, err)
	}
	return nil
}

// track follows the connection's transaction state from the replies.
func (c *execConn) track(args []string, reply rediscli.Reply) {
	switch strings.ToLower(args[0]) {
	case "multi":
		c.inMulti = c.inMulti || !reply.IsError()
	case "exec", "discard", "reset":
		c.inMulti = false
	}
}

// Close closes the connection.
func (c *execConn) Close() {
	c.closeOnce.Do(func() {
		if c.stopWatch != nil {
			c.stopWatch()
		}
		if c.conn != nil {
			_ = c.conn.Close()
		}
	})
}
