package session

import (
	"bufio"
	"context"
	"errors"
	"sync"
)

// Pipe is a dedicated connection for a bulk writer's pipelines on a standalone endpoint: the
// caller encodes a batch of commands as RESP into one reused buffer and reads their replies
// straight off the connection's reader. An import sends a million small commands; go-redis
// boxes every argument, allocates a command object per command and parses replies
// generically, which on a busy 2-core machine costs as much client CPU as the server spends
// on the writes themselves.
//
// Its connection is dialled like a Scanner's (the session's dialer, TLS and registry, counted
// under Connections.Console), authenticated with the current token, re-AUTHed by every re-AUTH
// round between two batches, and AUTHed again before a batch when the session holds a newer
// token than it sent (as a console is between two commands). A connection failure closes the
// connection: the next RoundTrip dials a new one.
type Pipe struct {
	rawConn
	mu     sync.Mutex
	closed bool
}

// ErrClusterPipe is returned by Session.Pipe on a cluster session: a cluster's writes are
// routed by hash slot through the pooled cluster client.
var ErrClusterPipe = errors.New("session: the dedicated pipeline connection is for standalone endpoints")

// Pipe returns a new Pipe; it dials on its first RoundTrip.
func (s *Session) Pipe() (*Pipe, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if s.cluster {
		return nil, ErrClusterPipe
	}
	p := &Pipe{rawConn: rawConn{s: s, what: "the import pipeline"}}
	s.pipes[p] = struct{}{}
	return p, nil
}

// RoundTrip writes cmds (commands encoded as RESP) and calls read with the connection's
// reader to read their replies; read returns an error only when the connection failed or the
// replies make no sense (an error reply is a reply). Both are bounded by the session's write
// and read timeouts. On any error the connection is closed: whatever read had not read yet
// may or may not have been written.
func (p *Pipe) RoundTrip(ctx context.Context, cmds []byte, read func(r *bufio.Reader) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if p.conn == nil {
		if err := p.dial(ctx); err != nil {
			return err
		}
	} else if p.stale() {
		if err := p.authCurrent(ctx); err != nil && p.conn == nil {
			return err
		}
	}
	p.wbuf = cmds
	err := p.roundTrip(ctx, true, func() error { return read(p.r) })
	p.wbuf = nil // the caller's buffer, not ours to keep
	if err != nil && p.conn != nil {
		p.drop() // read stopped mid-reply: what follows on the connection is unknown
	}
	return err
}

// reauth sends AUTH on the pipe's connection, between two batches (see Console.reauth).
func (p *Pipe) reauth(ctx context.Context) (done, failed int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0, 0, nil
	}
	// A lost connection needs no report: the next batch dials a new one.
	done, failed, _, err = p.rawConn.reauth(ctx)
	return done, failed, err
}

// Close releases the connection.
func (p *Pipe) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	p.s.mu.Lock()
	delete(p.s.pipes, p)
	p.s.mu.Unlock()
	p.drop()
	return nil
}
