package session

import (
	"context"
	"errors"
	"sync"

	"github.com/redis/go-redis/v9"
)

// ErrClosed is returned by a console or subscription used after Close.
var ErrClosed = errors.New("session: closed")

// Console is a dedicated connection for the command console: connection state (SELECT,
// MULTI, CLIENT …) persists between commands. Its commands are serialised with the session's
// re-AUTHs, so a new token reaches it between two commands. In a cluster the console runs
// on the pooled cluster client, which routes each command by key.
type Console struct {
	s      *Session
	mu     sync.Mutex
	conn   *redis.Conn // nil until the first command, and after a broken connection
	closed bool
}

// Console opens a console.
func (s *Session) Console(_ context.Context) (*Console, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	c := &Console{s: s}
	s.consoles[c] = struct{}{}
	return c, nil
}

// Do runs one command. A broken connection is replaced by the next command, which
// authenticates with the current token; its state (SELECT, MULTI) is lost with it.
func (c *Console) Do(ctx context.Context, args ...any) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if c.s.cluster {
		return c.s.client.Do(ctx, args...).Result()
	}
	if c.conn == nil {
		c.conn = c.s.conClient.Conn()
	}
	v, err := c.conn.Do(ctx, args...).Result()
	if err != nil && !isRedisError(err) && !errors.Is(err, redis.Nil) {
		_ = c.conn.Close()
		c.conn = nil
	}
	return v, explain(err)
}

// reauth sends AUTH on the console's connection, between two commands.
func (c *Console) reauth(ctx context.Context, user, pass string) (done, failed int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.conn == nil || c.s.cluster {
		return 0, 0, nil
	}
	if err := c.conn.AuthACL(ctx, user, pass).Err(); err != nil {
		if isRedisError(err) {
			return 0, 1, err
		}
		_ = c.conn.Close() // broken: the next command dials with the new token
		c.conn = nil
		return 0, 0, nil
	}
	return 1, 0, nil
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
	if c.conn != nil {
		err := c.conn.Close()
		c.conn = nil
		return err
	}
	return nil
}
