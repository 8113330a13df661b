package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// ErrClosed is returned by a console or subscription used after Close.
var ErrClosed = errors.New("session: closed")

// ErrConsoleReconnect is returned by the console command that follows a connection lost
// between two commands (a re-AUTH found it broken). That command is not sent: it would run
// on a new connection, in the session's database and outside any MULTI the user started, so
// the caller learns the state is gone and the next command dials a new connection.
var ErrConsoleReconnect = errors.New("session: the console's connection broke between two commands; this command was not sent, and the next one runs on a new connection (SELECT, MULTI and other connection state start over)")

// Console is a dedicated connection for the command console: connection state (SELECT,
// MULTI, CLIENT SETNAME, HELLO 3 …) persists between commands. It speaks RESP itself (like
// Scanner, and like redis-cli): a command goes out as a RESP array and its reply comes back
// exactly as sent (rediscli's reader: statuses apart from bulk strings, a hash in the
// server's order, RESP3 types after HELLO 3). Its commands are serialised with the session's
// re-AUTHs, so a new token reaches it between two commands.
//
// In a cluster it behaves as redis-cli -c: it starts on the profile's endpoint, and a MOVED
// or ASK reply moves it to the node named (ASKING first for an ASK), where it stays for the
// next commands; the state of the old connection stays behind, as with redis-cli. Inside a
// MULTI it does not follow: the command would run at once on the other node, outside the
// transaction, so the redirection is returned as the server sent it.
type Console struct {
	rawConn
	mu     sync.Mutex
	rd     *rediscli.Reader // reads rawConn.r; replaced with it
	inTx   bool             // MULTI answered OK and no EXEC or DISCARD since, on this connection
	lost   bool             // a re-AUTH found the connection broken: see ErrConsoleReconnect
	closed bool
	at     string // the node of the last command sent (Addr)
	// userResp3: the user's HELLO 3 switched this connection to RESP3.
	userResp3 bool
	stream    *Stream // the stream carried by the connection, if any (see Stream)
	home      string  // ConsoleOptions.Addr: the node this console returns to after a failure
	res       resumeState
	cmdWrote  bool // the last command was written whole (a failure after it loses its reply)

	onRedirect func(rediscli.Redirect)
}

// ConsoleOptions adapt a console to a caller other than the TUI's console.
type ConsoleOptions struct {
	// Protocol 3 sends HELLO 3 on every connection the console dials, as redis-cli -3 does;
	// otherwise the connection speaks RESP2 until a HELLO 3 of the user's.
	Protocol int
	// OnRedirect, if set, is told of each MOVED or ASK before the console follows it.
	OnRedirect func(rediscli.Redirect)
	// Addr, if set, is the node the console dials instead of the profile's endpoint (one
	// primary of a cluster, reached through its gate): MONITOR on every primary.
	Addr string
	// Resume suits a script (exec reading standard input): a connection lost between two
	// commands is replaced before the next one is sent, with the user's SELECT, CLIENT
	// SETNAME and HELLO 3 restored, instead of ErrConsoleReconnect. A command written before
	// the connection failed returns ErrReplyLost; one that finds a MULTI lost, ErrTxAborted.
	Resume bool
	// ReconnectLimit bounds a resuming console's reconnect attempts; 0: the token's lifetime
	// (at least a minute).
	ReconnectLimit time.Duration
	// OnResume, if set, is told of each connection a resuming console replaced.
	OnResume func(Resumed)
}

// Console opens a console; it dials with its first command.
func (s *Session) Console(ctx context.Context) (*Console, error) {
	return s.ConsoleWith(ctx, ConsoleOptions{})
}

// ConsoleWith opens a console with options; it dials with its first command (or Dial).
func (s *Session) ConsoleWith(_ context.Context, o ConsoleOptions) (*Console, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	c := &Console{rawConn: rawConn{s: s, what: "the console", proto: o.Protocol, addr: o.Addr}, onRedirect: o.OnRedirect, home: o.Addr,
		res: resumeState{on: o.Resume, limit: o.ReconnectLimit, notify: o.OnResume}}
	s.consoles[c] = struct{}{}
	return c, nil
}

// Dial connects now rather than with the first command, so a login or connection failure is
// known before any command is read. A console already connected is left as it is.
func (c *Console) Dial(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	if c.conn != nil {
		return nil
	}
	c.at = c.target()
	if err := c.dial(ctx); err != nil {
		return err
	}
	c.rd, c.inTx = rediscli.NewReader(c.r), false
	c.res.wasConn = true
	return nil
}

// Addr is the node the last command went to (after any redirection), or the profile's
// endpoint before the first.
func (c *Console) Addr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at == "" {
		return c.target()
	}
	return c.at
}

// Do runs one command and returns its reply; an error reply from Redis is a reply of
// KindError, not an error. The error is for a connection that failed, could not be opened,
// or was abandoned when ctx ended (its reply would be lost): the connection is closed and the
// next command dials a new one (on the profile's endpoint), authenticated with the current
// token, whose state (SELECT, MULTI) starts over.
func (c *Console) Do(ctx context.Context, args ...string) (rediscli.Reply, error) {
	_, reply, err := c.Exchange(ctx, args...)
	return reply, err
}

// Exchange is Do that also returns the push messages (RESP3 pushes: invalidations,
// pub/sub messages) that arrived before the reply, in order.
func (c *Console) Exchange(ctx context.Context, args ...string) (pushes []rediscli.Reply, reply rediscli.Reply, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, rediscli.Reply{}, ErrClosed
	}
	if len(args) == 0 {
		return nil, rediscli.Reply{}, errors.New("session: an empty command")
	}
	if err := ctx.Err(); err != nil {
		return nil, rediscli.Reply{}, err
	}
	if c.stream != nil {
		return nil, rediscli.Reply{}, ErrStreaming
	}
	if c.res.on {
		return c.exchangeResuming(ctx, args)
	}
	if c.lost {
		c.lost = false
		return nil, rediscli.Reply{}, ErrConsoleReconnect
	}
	if err := c.reauthIfStale(ctx); err != nil {
		return nil, rediscli.Reply{}, err
	}
	return c.exchangeLocked(ctx, args)
}

// exchangeLocked sends args (following redirections) with c.mu held.
func (c *Console) exchangeLocked(ctx context.Context, args []string) (pushes []rediscli.Reply, reply rediscli.Reply, err error) {
	pushes, reply, err = c.send(ctx, args, pushes)
	for hops := 0; err == nil && c.s.cluster && !c.inTx && hops < rediscli.MaxRedirects; hops++ {
		to, ok := rediscli.ParseRedirect(reply, c.target())
		if !ok {
			break
		}
		if c.onRedirect != nil {
			c.onRedirect(to)
		}
		if err = c.moveTo(ctx, to); err == nil {
			pushes, reply, err = c.send(ctx, args, pushes)
		}
	}
	if err != nil {
		if c.res.on {
			c.loseConn(err)
		}
		c.drop()
		c.addr, c.inTx = c.home, false // a failed node may be gone: start over from the endpoint (or the pinned node)
		return pushes, rediscli.Reply{}, err
	}
	c.track(args[0], reply)
	c.trackResume(args, reply)
	return pushes, reply, nil
}

// Next reads the next message the server sends without a command, as it does after
// SUBSCRIBE or MONITOR; it waits until one comes or ctx ends (which closes the connection).
func (c *Console) Next(ctx context.Context) (rediscli.Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return rediscli.Reply{}, ErrClosed
	}
	if c.conn == nil {
		return rediscli.Reply{}, fmt.Errorf("session: %s on %s: not connected", c.what, c.target())
	}
	c.wbuf = c.wbuf[:0]
	var reply rediscli.Reply
	err := c.roundTrip(ctx, false, func() error {
		var err error
		reply, err = c.rd.ReadReply()
		return err
	})
	return reply, err
}

// reauthIfStale sends AUTH before a command when the session has a newer token than the
// connection: a re-AUTH round waits for the command in progress, and a console busy with
// one command after another (exec's script) might otherwise keep it waiting past the old
// token's expiry. Inside a MULTI the AUTH would be queued, so it waits for EXEC or DISCARD.
func (c *Console) reauthIfStale(ctx context.Context) error {
	if c.inTx || !c.stale() {
		return nil
	}
	if err := c.authCurrent(ctx); err != nil && c.conn == nil {
		return err
	}
	return nil // a refused AUTH leaves the connection on its old token, as a re-AUTH round does
}

// send writes args on the connection (dialled first if need be) and reads its reply,
// appending to pushes any push that arrives before it.
func (c *Console) send(ctx context.Context, args []string, pushes []rediscli.Reply) ([]rediscli.Reply, rediscli.Reply, error) {
	c.at = c.target()
	if c.conn == nil {
		if err := c.dial(ctx); err != nil {
			return pushes, rediscli.Reply{}, err
		}
		c.rd, c.inTx, c.userResp3 = rediscli.NewReader(c.r), false, false
		c.res.wasConn = true
	}
	c.wbuf = rediscli.AppendCommand(c.wbuf[:0], args)
	var reply rediscli.Reply
	c.cmdWrote = false
	err := c.roundTrip(ctx, false, func() error {
		c.cmdWrote = true // roundTrip reads only after the whole command was written
		for {
			r, err := c.rd.ReadReply()
			if err != nil {
				return err
			}
			if rediscli.IsReplyTo(args, r) {
				reply = r
				return nil
			}
			pushes = append(pushes, r)
		}
	})
	if cap(c.wbuf) > 1<<20 { // a huge command: do not keep its buffer
		c.wbuf = nil
	}
	return pushes, reply, err
}

// moveTo follows a MOVED or ASK: it connects to the node named, and sends ASKING for an ASK.
func (c *Console) moveTo(ctx context.Context, to rediscli.Redirect) error {
	c.cmdWrote = false // the redirected command has not been sent to the new node yet
	c.drop()
	c.addr = to.Addr()
	if err := c.dial(ctx); err != nil {
		return err
	}
	c.rd, c.inTx = rediscli.NewReader(c.r), false
	if to.Ask {
		c.wbuf = appendCommand(c.wbuf[:0], "ASKING")
		return c.roundTrip(ctx, true, c.readOK)
	}
	return nil
}

// track follows the connection state that decides what Do may do next.
func (c *Console) track(name string, reply rediscli.Reply) {
	switch strings.ToLower(name) {
	case "multi":
		c.inTx = c.inTx || !reply.IsError()
	case "exec", "discard":
		c.inTx = false
	case "reset":
		c.inTx, c.userResp3 = false, false
	case "hello":
		if !reply.IsError() {
			c.userResp3 = reply.Kind == rediscli.KindMap
		}
	case "quit":
		if !reply.IsError() {
			c.drop() // the server closes it after its +OK
		}
	}
}

// reauth sends AUTH on the console's connection, between two commands.
func (c *Console) reauth(ctx context.Context) (done, failed int, err error) {
	c.mu.Lock()
	if st := c.stream; st != nil {
		c.mu.Unlock()
		return st.reauth(ctx) // the stream owns the connection
	}
	defer c.mu.Unlock()
	if c.closed {
		return 0, 0, nil
	}
	if c.conn != nil && !c.stale() {
		return 1, 0, nil // the command path re-AUTHed it already (reauthIfStale)
	}
	if c.inTx && c.conn != nil {
		return 0, 0, nil // inside MULTI an AUTH would be queued: reauthIfStale sends it after EXEC
	}
	done, failed, lost, err := c.rawConn.reauth(ctx)
	if lost {
		c.lost = true
	}
	return done, failed, err
}

// Close releases the console's connection (and ends its stream).
func (c *Console) Close() error {
	c.mu.Lock()
	st := c.stream
	c.mu.Unlock()
	if st != nil {
		_ = st.Close()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.s.mu.Lock()
	delete(c.s.consoles, c)
	c.s.mu.Unlock()
	c.drop()
	return nil
}
