package session

import (
	"context"
	"errors"
	"strings"
	"sync"

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
}

// Console opens a console; it dials with its first command.
func (s *Session) Console(_ context.Context) (*Console, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	c := &Console{rawConn: rawConn{s: s, what: "the console"}}
	s.consoles[c] = struct{}{}
	return c, nil
}

// Do runs one command and returns its reply; an error reply from Redis is a reply of
// KindError, not an error. The error is for a connection that failed, could not be opened,
// or was abandoned when ctx ended (its reply would be lost): the connection is closed and the
// next command dials a new one (on the profile's endpoint), authenticated with the current
// token, whose state (SELECT, MULTI) starts over.
func (c *Console) Do(ctx context.Context, args ...string) (rediscli.Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return rediscli.Reply{}, ErrClosed
	}
	if len(args) == 0 {
		return rediscli.Reply{}, errors.New("session: an empty command")
	}
	if err := ctx.Err(); err != nil {
		return rediscli.Reply{}, err
	}
	if c.lost {
		c.lost = false
		return rediscli.Reply{}, ErrConsoleReconnect
	}
	reply, err := c.send(ctx, args)
	for hops := 0; err == nil && c.s.cluster && !c.inTx && hops < rediscli.MaxRedirects; hops++ {
		to, ok := rediscli.ParseRedirect(reply, c.target())
		if !ok {
			break
		}
		if err = c.moveTo(ctx, to); err == nil {
			reply, err = c.send(ctx, args)
		}
	}
	if err != nil {
		c.drop()
		c.addr, c.inTx = "", false // a failed node may be gone: start over from the endpoint
		return rediscli.Reply{}, err
	}
	c.track(args[0], reply)
	return reply, nil
}

// send writes args on the connection (dialled first if need be) and reads its reply, past
// any push that arrives before it.
func (c *Console) send(ctx context.Context, args []string) (rediscli.Reply, error) {
	if c.conn == nil {
		if err := c.dial(ctx); err != nil {
			return rediscli.Reply{}, err
		}
		c.rd, c.inTx = rediscli.NewReader(c.r), false
	}
	c.wbuf = rediscli.AppendCommand(c.wbuf[:0], args)
	var reply rediscli.Reply
	err := c.roundTrip(ctx, false, func() error {
		for {
			r, err := c.rd.ReadReply()
			if err != nil {
				return err
			}
			if rediscli.IsReplyTo(args, r) {
				reply = r
				return nil
			}
		}
	})
	if cap(c.wbuf) > 1<<20 { // a huge command: do not keep its buffer
		c.wbuf = nil
	}
	return reply, err
}

// moveTo follows a MOVED or ASK: it connects to the node named, and sends ASKING for an ASK.
func (c *Console) moveTo(ctx context.Context, to rediscli.Redirect) error {
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
	case "exec", "discard", "reset":
		c.inTx = false
	case "quit":
		if !reply.IsError() {
			c.drop() // the server closes it after its +OK
		}
	}
}

// reauth sends AUTH on the console's connection, between two commands.
func (c *Console) reauth(ctx context.Context, user, pass string) (done, failed int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, 0, nil
	}
	done, failed, lost, err := c.rawConn.reauth(ctx, user, pass)
	if lost {
		c.lost = true
	}
	return done, failed, err
}

// Close releases the console's connection.
func (c *Console) Close() error {
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
