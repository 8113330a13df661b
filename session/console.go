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
// MULTI, CLIENT SETNAME, HELLO 3 …) persists between commands. On a standalone endpoint it
// speaks RESP itself (like Scanner, and like redis-cli): a command goes out as a RESP array
// and its reply comes back exactly as sent (rediscli's reader: statuses apart from bulk
// strings, a hash in the server's order, RESP3 types after HELLO 3). Its commands are
// serialised with the session's re-AUTHs, so a new token reaches it between two commands.
// In a cluster the console runs on the pooled cluster client, which routes each command by
// key and follows MOVED/ASK; its replies come through go-redis (rediscli.FromGoRedisFor).
type Console struct {
	rawConn
	mu     sync.Mutex
	rd     *rediscli.Reader // reads rawConn.r; replaced with it
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
// next command dials a new one, authenticated with the current token, whose state (SELECT,
// MULTI) starts over.
func (c *Console) Do(ctx context.Context, args ...string) (rediscli.Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return rediscli.Reply{}, ErrClosed
	}
	if len(args) == 0 {
		return rediscli.Reply{}, errors.New("session: an empty command")
	}
	if c.s.cluster {
		return c.doCluster(ctx, args)
	}
	if err := ctx.Err(); err != nil {
		return rediscli.Reply{}, err
	}
	if c.lost {
		c.lost = false
		return rediscli.Reply{}, ErrConsoleReconnect
	}
	if c.conn == nil {
		if err := c.dial(ctx); err != nil {
			return rediscli.Reply{}, err
		}
		c.rd = rediscli.NewReader(c.r)
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
	if err != nil {
		return rediscli.Reply{}, err
	}
	if strings.EqualFold(args[0], "quit") && !reply.IsError() {
		c.drop() // the server closes it after its +OK
	}
	return reply, nil
}

func (c *Console) doCluster(ctx context.Context, args []string) (rediscli.Reply, error) {
	a := make([]any, len(args))
	for i, s := range args {
		a[i] = s
	}
	v, err := c.s.client.Do(ctx, a...).Result()
	r, err := rediscli.FromGoRedisFor(args, v, err)
	return r, explain(err)
}

// reauth sends AUTH on the console's connection, between two commands.
func (c *Console) reauth(ctx context.Context, user, pass string) (done, failed int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.s.cluster {
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
